from django import template

from files.selectors import panel_context

register = template.Library()


@register.inclusion_tag("files/case_files_panel.html", takes_context=True)
def case_files_panel(context, case):
    """{% case_files_panel case %}: the files panel of a case, for the signed-in user."""
    request = context["request"]
    return {**panel_context(case=case, user=request.user), "request": request, "csrf_token": context.get("csrf_token")}
