"""What traceability adds to pages it does not own, through `settings.PAGE_PANELS` and the
`{% panels %}` tag (dentallab/templatetags/panels.py): the dashboard's warnings, and the case page's
quarantine flag and its materials-and-statement panel. cases never imports this module."""

from django.template.loader import render_to_string

from accounts.policy import can_manage_lab, is_lab_staff
from traceability import policy, selectors
from traceability.forms import DeclarationForm, RegenerateForm, UsageForm
from traceability.models import LotStatus


def dashboard_alerts(request, **context) -> str:
    """Managers: the lab profile fields the region's statement needs that are still empty. Lab
    staff: open cases that used a quarantined lot."""
    user = request.user
    if not is_lab_staff(user):
        return ""
    gaps = selectors.lab_profile_gaps() if can_manage_lab(user) else None
    flagged_count, flagged = selectors.flagged_open_cases(user)
    if not gaps and not flagged_count:
        return ""
    return render_to_string(
        "traceability/panels/dashboard_alerts.html",
        {"gaps": gaps, "flagged": flagged, "flagged_count": flagged_count},
        request=request,
    )


def _case_usages(request, case) -> list:
    """The case's lot usages (selectors.case_usages), read once per request: the case page's
    quarantine flag and its materials panel both show them."""
    memo = request.__dict__.setdefault("_traceability_case_usages", {})
    if case.pk not in memo:
        # Only the lot and its material are shown: not case_usages' item, product and recorder.
        memo[case.pk] = selectors.case_usages_with_lots(case)
    return memo[case.pk]


def case_alerts(request, *, case, **context) -> str:
    """Lab staff: this case used a quarantined lot."""
    if not is_lab_staff(request.user):
        return ""
    # = selectors.quarantined_usages(case), from the usages the page reads anyway
    quarantined = [usage for usage in _case_usages(request, case) if usage.lot.status == LotStatus.QUARANTINED]
    if not quarantined:
        return ""
    return render_to_string(
        "traceability/panels/case_alerts.html", {"case": case, "usages": quarantined}, request=request
    )


def case_lots_panel(request, *, case, items=None, **context) -> str:
    """Lab staff: each item with its lots, the form to record one (a lot from the menu or a scanned
    GS1 code), the Annex I declaration. Everyone who sees the case: its statements of manufacture.
    `items`: the case's items with their products, in id order, when the page has them already."""
    user = request.user
    statements = selectors.case_statements(user, case)
    lab = is_lab_staff(user)
    if not lab and not statements:
        return ""
    if not lab:
        items = []
    elif items is None:
        items = selectors.case_items_with_usages(case)
    else:
        items = selectors.with_usages(list(items), _case_usages(request, case))
    can_record = lab and policy.can_record_usage(user, case)
    declaration = selectors.declaration_of(case) if lab else None
    return render_to_string(
        "traceability/panels/case_lots.html",
        {
            "case": case,
            "lab": lab,
            "items": items,
            "missing": [item for item in items if item.product.requires_traceability and not item.usages],
            "can_record": can_record,
            "usage_form": UsageForm(user=user, case=case, items=items) if can_record else None,
            "declaration": declaration,
            "declaration_form": (
                DeclarationForm(initial={"annex_i_deviations": getattr(declaration, "annex_i_deviations", "")})
                if can_record
                else None
            ),
            "statements": statements,
            "current_statement": statements[0] if statements else None,
            "regenerate_form": RegenerateForm() if statements and policy.can_regenerate_statement(user) else None,
        },
        request=request,
    )
