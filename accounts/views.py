from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_POST

from accounts import lockout, policy, services
from accounts.audit import AuditEvent, case_labels, change_summary
from accounts.forms import (
    AuditFilterForm,
    InviteUserForm,
    LoginForm,
    PracticeFilterForm,
    PracticeForm,
    StyledPasswordChangeForm,
    StyledPasswordResetForm,
    StyledSetPasswordForm,
    UserEditForm,
    UserFilterForm,
)
from accounts.models import Practice, Role, User

PAGE_SIZE = 25


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if not form.cleaned_data.get("remember_me"):
            self.request.session.set_expiry(0)  # ends when the browser closes
        return response


# --- Passwords ------------------------------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = StyledPasswordChangeForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=self.request.user, request=self.request)
        messages.success(self.request, "Your password has been changed.")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = StyledPasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        # Links point at SITE_URL, never at whatever Host header the request carried.
        site = urlsplit(settings.SITE_URL)
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            extra_email_context={"site_url": settings.SITE_URL},
        )
        return redirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = StyledSetPasswordForm
    template_name = "registration/password_reset_confirm.html"
    via = "reset"

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=form.user, request=self.request, via=self.via)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


class InviteAcceptView(PasswordResetConfirmView):
    """The invitation link: the invitee chooses a password, then signs in."""

    template_name = "accounts/invite_accept.html"
    via = "invitation"

    def get_success_url(self):
        return reverse("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password is set. Sign in to get started.")
        return response


# --- Practices ------------------------------------------------------------------------------


@login_required
@policy.require(policy.can_manage_lab)
def practice_list(request):
    form = PracticeFilterForm(request.GET or None)
    practices = Practice.objects.annotate(
        dentist_count=Count("users", filter=Q(users__role=Role.DENTIST, users__is_active=True))
    )
    if form.is_valid():
        if q := form.cleaned_data["q"].strip():
            practices = practices.filter(Q(name__icontains=q) | Q(account_number__icontains=q) | Q(email__icontains=q))
        if status := form.cleaned_data["status"]:
            practices = practices.filter(active=status == "active")
    page = Paginator(practices.order_by("name"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/practice_list.html", {"form": form, "page": page})


@login_required
@policy.require(policy.can_manage_lab)
def practice_create(request):
    return _practice_form(request, Practice())


@login_required
@policy.require(policy.can_manage_lab)
def practice_edit(request, pk):
    return _practice_form(request, get_object_or_404(Practice, pk=pk))


def _practice_form(request, practice):
    creating = practice.pk is None
    form = PracticeForm(request.POST or None, instance=practice)
    if request.method == "POST" and form.is_valid():
        practice = services.save_practice(practice=form.save(commit=False), actor=request.user, request=request)
        messages.success(request, f"Practice “{practice.name}” {'created' if creating else 'saved'}.")
        return redirect("practice_list")
    dentists = [] if creating else practice.users.filter(role=Role.DENTIST).order_by("name")
    return render(
        request,
        "accounts/practice_form.html",
        {"form": form, "practice": practice, "creating": creating, "dentists": dentists},
    )


# --- Users ----------------------------------------------------------------------------------


@login_required
@policy.require(policy.can_manage_lab)
def user_list(request):
    form = UserFilterForm(request.GET or None)
    users = User.objects.select_related("practice")
    if form.is_valid():
        data = form.cleaned_data
        if q := data["q"].strip():
            users = users.filter(Q(name__icontains=q) | Q(email__icontains=q))
        if data["role"]:
            users = users.filter(role=data["role"])
        if data["practice"]:
            users = users.filter(practice=data["practice"])
        if data["status"] == "active":
            users = users.filter(is_active=True)
        elif data["status"] == "inactive":
            users = users.filter(is_active=False)
        elif data["status"] == "invited":
            users = users.filter(is_active=True, password__startswith=UNUSABLE_PASSWORD_PREFIX)
    page = Paginator(users.order_by("name", "email"), PAGE_SIZE).get_page(request.GET.get("page"))
    locked = lockout.locked_out_emails([user.email for user in page])
    rows = [
        {
            "user": user,
            "locked": user.email in locked,
            "invited": not user.has_usable_password(),
            "can_edit": policy.can_edit_user(request.user, user),
        }
        for user in page
    ]
    return render(request, "accounts/user_list.html", {"form": form, "page": page, "rows": rows})


@login_required
@policy.require(policy.can_manage_lab)
def user_invite(request):
    initial = {key: request.GET[key] for key in ("role", "practice") if request.GET.get(key)}
    form = InviteUserForm(request.POST or None, actor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.invite_user(
            actor=request.user,
            email=data["email"],
            name=data["name"],
            role=data["role"],
            practice=data["practice"],
            request=request,
        )
        messages.success(request, f"Invitation sent to {user.email}.")
        return redirect("user_list")
    return render(request, "accounts/user_invite.html", {"form": form})


def _editable_user(request, pk) -> User:
    """The user to manage: 404 if there is none, 403 if this person may not manage that one."""
    user = get_object_or_404(User.objects.select_related("practice"), pk=pk)
    if not policy.can_edit_user(request.user, user):
        raise PermissionDenied
    return user


@login_required
@policy.require(policy.can_manage_lab)
def user_edit(request, pk):
    user = _editable_user(request, pk)
    form = UserEditForm(request.POST or None, instance=user, actor=request.user)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        services.update_user(actor=request.user, user=form.save(commit=False), changed=changes, request=request)
        messages.success(request, f"{user.name} saved.")
        return redirect("user_list")
    context = {
        "form": form,
        "subject": user,
        "locked": lockout.is_locked_out(user.email),
        "invited": not user.has_usable_password(),
        "can_deactivate": policy.can_deactivate_user(request.user, user),
        "recent_events": AuditEvent.objects.filter(
            Q(actor=user) | Q(object_type="accounts.user", object_id=str(user.pk))
        )[:10]
        if policy.can_view_audit_log(request.user)
        else [],
    }
    return render(request, "accounts/user_edit.html", context)


@login_required
@policy.require(policy.can_manage_lab)
@require_POST
def user_deactivate(request, pk):
    user = _editable_user(request, pk)
    if not policy.can_deactivate_user(request.user, user):
        raise PermissionDenied
    services.deactivate_user(actor=request.user, user=user, request=request)
    messages.success(request, f"{user.name} is deactivated and can no longer sign in.")
    return redirect("user_edit", pk=user.pk)


@login_required
@policy.require(policy.can_manage_lab)
@require_POST
def user_reactivate(request, pk):
    user = _editable_user(request, pk)
    services.reactivate_user(actor=request.user, user=user, request=request)
    messages.success(request, f"{user.name} can sign in again.")
    return redirect("user_edit", pk=user.pk)


@login_required
@policy.require(policy.can_manage_lab)
@require_POST
def user_unlock(request, pk):
    user = _editable_user(request, pk)
    services.unlock_user(actor=request.user, user=user, request=request)
    messages.success(request, f"{user.name} is unlocked and can sign in again.")
    if request.POST.get("next") == "list":
        return redirect("user_list")
    return redirect("user_edit", pk=user.pk)


@login_required
@policy.require(policy.can_manage_lab)
@require_POST
def user_resend_invite(request, pk):
    user = _editable_user(request, pk)
    services.resend_invitation(actor=request.user, user=user, request=request)
    messages.success(request, f"A new invitation was sent to {user.email}.")
    return redirect("user_edit", pk=user.pk)


# --- Audit ----------------------------------------------------------------------------------


@login_required
@policy.require(policy.can_view_audit_log)
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.select_related("actor")
    if form.is_valid():
        data = form.cleaned_data
        if q := data["q"].strip():
            events = events.filter(Q(actor_email__icontains=q) | Q(ip_address__startswith=q))
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["outcome"]:
            events = events.filter(outcome=data["outcome"])
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    labels = case_labels(event.case_id for event in page)
    rows = [
        {
            "event": event,
            "case": labels.get(event.case_id),
            "object": _object_label(event),
            "change": change_summary(event),
        }
        for event in page
    ]
    return render(request, "accounts/audit_log.html", {"form": form, "page": page, "rows": rows})


def _object_label(event) -> str:
    """ "accounts.user" #5 → "User #5"; cases are named by number instead (case_labels)."""
    if not event.object_type or event.object_type == "cases.case":
        return ""
    return f"{event.object_type.rsplit('.', 1)[-1].replace('_', ' ').capitalize()} #{event.object_id}"


@login_required
def lab_logo(request):
    """The lab's logo (LabProfile.logo, a private file) for tickets and pages: served to signed-in
    people only, never from a public URL."""
    from django.core.files.storage import default_storage
    from django.http import FileResponse, Http404

    from accounts.models import LabProfile

    logo = LabProfile.current().logo
    ext = logo.name.rsplit(".", 1)[-1].lower() if logo else ""
    content_type = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}.get(ext)
    if not policy.is_signed_in(request.user) or content_type is None or not default_storage.exists(logo.name):
        raise Http404
    response = FileResponse(default_storage.open(logo.name, "rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=300"
    return response
