from django import forms
from django.contrib.auth.forms import (
    AdminUserCreationForm,
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UserChangeForm,
)
from django.template.loader import render_to_string

from accounts import lockout, policy
from accounts.audit import AuditAction, AuditOutcome
from accounts.models import Practice, Role, User
from dentallab.forms import StyledFormMixin
from dentallab.mail import queue_email


class LoginForm(StyledFormMixin, AuthenticationForm):
    """Email and password, plus "remember me" (off: the session ends with the browser)."""

    username = forms.EmailField(
        label="Email",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    remember_me = forms.BooleanField(
        label="Keep me signed in for 30 days",
        required=False,
        initial=True,
    )

    error_messages = {
        "invalid_login": "That email and password do not match an active account.",
        "inactive": "This account has been deactivated. Ask your lab manager.",
    }

    def get_invalid_login_error(self):
        # Axes refused the attempt (this account is locked): say so instead of "wrong password",
        # even when the password was right.
        if lockout.is_locked_request(self.request):
            return forms.ValidationError(lockout.lockout_message(), code="locked_out")
        return super().get_invalid_login_error()


class AdminUserAddForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "name", "role", "practice"]


class AdminUserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = ["email", "name", "role", "practice", "is_active"]


# --- Sign-in protections, passwords ---------------------------------------------------------


class StyledPasswordChangeForm(StyledFormMixin, PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"


class StyledPasswordResetForm(StyledFormMixin, PasswordResetForm):
    email = forms.EmailField(
        label="Email", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        """Queue the reset e-mail (a task sends it; dentallab.mail) instead of sending it in the
        request: the page answers the same, fast, whether or not the mail server is up."""
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        html = render_to_string(html_email_template_name, context) if html_email_template_name else ""
        queue_email(
            to=[to_email],
            subject=subject,
            text=body,
            html=html,
            from_email=from_email or "",
            kind="password_reset",
            sensitive=True,
        )


class StyledSetPasswordForm(StyledFormMixin, SetPasswordForm):
    pass


# --- Practices and users (managers and admins) ----------------------------------------------


MAX_TRANSIT_DAYS = 30


class PracticeForm(StyledFormMixin, forms.ModelForm):
    transit_days = forms.IntegerField(
        label="Transit (working days)",
        required=False,
        initial=0,
        widget=forms.NumberInput(attrs={"min": 0, "max": MAX_TRANSIT_DAYS, "inputmode": "numeric"}),
        help_text="How long a shipment takes to reach the practice; 0 for the lab's own driver (same day). "
        "Cases must leave the lab this many working days before they are due.",
    )

    class Meta:
        model = Practice
        fields = ["name", "account_number", "phone", "email", "address", "transit_days", "active"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"active": "Inactive practices stay in the records but cannot be chosen for new dentists."}

    def clean_transit_days(self):
        days = self.cleaned_data.get("transit_days")
        if days is None:
            return 0
        if not 0 <= days <= MAX_TRANSIT_DAYS:
            raise forms.ValidationError(f"Enter 0 to {MAX_TRANSIT_DAYS} working days.")
        return days

    def clean_account_number(self):
        number = self.cleaned_data["account_number"].strip()
        if number and Practice.objects.filter(account_number__iexact=number).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Another practice already has this account number.")
        return number


class UserFieldsForm(StyledFormMixin, forms.ModelForm):
    """Name, email, role and practice, with the rules of DESIGN §3: dentists belong to a practice,
    lab staff to none; the roles offered are the ones the signed-in person may give."""

    class Meta:
        model = User
        fields = ["name", "email", "role", "practice"]
        help_texts = {"practice": "Required for dentists; lab staff have no practice."}

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        roles = policy.assignable_roles(actor)
        self.fields["role"].choices = [(value, label) for value, label in Role.choices if value in roles]
        self.fields["practice"].queryset = Practice.objects.filter(active=True) | Practice.objects.filter(
            pk=self.instance.practice_id or 0
        )
        self.fields["practice"].empty_label = "— none (lab staff) —"
        self.fields["practice"].required = False
        if self.instance.pk and not policy.can_change_role_of(actor, self.instance):
            self.fields["role"].disabled = True
            self.fields["role"].choices = Role.choices
            self.fields["role"].help_text = "You cannot change your own role."

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("An account with this email already exists.")
        return email

    def clean(self):
        cleaned = super().clean()
        role, practice = cleaned.get("role"), cleaned.get("practice")
        if role == Role.DENTIST and not practice:
            self.add_error("practice", "Choose the dentist's practice.")
        elif role and role != Role.DENTIST:
            cleaned["practice"] = None
            self.instance.practice = None
        return cleaned


class InviteUserForm(UserFieldsForm):
    pass


class UserEditForm(UserFieldsForm):
    def changes(self) -> dict:
        return {name: (self.initial.get(name), self.cleaned_data.get(name)) for name in self.changed_data}


class UserFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(required=False, label="Search", widget=forms.TextInput(attrs={"placeholder": "Name or email"}))
    role = forms.ChoiceField(required=False, choices=[("", "All roles"), *Role.choices])
    practice = forms.ModelChoiceField(required=False, queryset=Practice.objects.all(), empty_label="All practices")
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any status"), ("active", "Active"), ("invited", "Invited"), ("inactive", "Deactivated")],
    )


class PracticeFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        required=False, label="Search", widget=forms.TextInput(attrs={"placeholder": "Name, account or email"})
    )
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), ("active", "Active"), ("inactive", "Inactive")]
    )


class AuditFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(required=False, label="Search", widget=forms.TextInput(attrs={"placeholder": "Email or IP"}))
    action = forms.ChoiceField(required=False, choices=[("", "All actions"), *AuditAction.choices])
    outcome = forms.ChoiceField(required=False, choices=[("", "Any outcome"), *AuditOutcome.choices])
