"""The calendar page: the coming weeks' closed days and public holidays; managers add and remove
closed days here. Thin: reads from selectors, writes through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.policy import require
from dentallab.exceptions import AppError
from workcalendar import conf, policy, selectors, services
from workcalendar.forms import ClosedDayForm

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _weekdays_label(days: list[int]) -> str:
    """ "Monday to Friday" for a run of days, else the days listed."""
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{WEEKDAY_NAMES[days[0]]} to {WEEKDAY_NAMES[days[-1]]}"
    return ", ".join(WEEKDAY_NAMES[day] for day in days)


@login_required
@require(policy.can_view_calendar)
def calendar_page(request):
    can_manage = policy.can_manage_closed_days(request.user)
    form = ClosedDayForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("Only managers close the lab for a day.")
        if form.is_valid():
            try:
                closed = services.add_closed_day(
                    actor=request.user,
                    date=form.cleaned_data["date"],
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(name if name in form.fields else None, error)
            else:
                messages.success(request, f"The lab is closed on {closed.date:%A %d %B %Y} ({closed.reason}).")
                return redirect("workcalendar:calendar")
    start, end, days = selectors.days_off_ahead(request.user)
    context = {
        "form": form,
        "can_manage": can_manage,
        "start": start,
        "end": end,
        "days": days,
        "country": conf.country(),
        "subdiv": conf.subdiv(),
        "weekdays": _weekdays_label(sorted(conf.working_weekdays())),
    }
    return render(request, "workcalendar/calendar.html", context)


@login_required
@require(policy.can_manage_closed_days)
@require_POST
def closed_day_delete(request, pk: int):
    closed = selectors.get_closed_day_for_write(request.user, pk)
    try:
        services.remove_closed_day(actor=request.user, closed_day=closed, request=request)
    except AppError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"The lab is open again on {closed.date:%A %d %B %Y}.")
    return redirect("workcalendar:calendar")
