"""The files page of a case: the reusable panel (templates/files/case_files_panel.html) on a page of
its own, and the list fragment the uploader reloads after each upload."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from cases.models import Case
from files.selectors import panel_context


@login_required
@require_GET
def case_files(request, case_id):
    case = get_object_or_404(Case.objects.visible_to(request.user), pk=case_id)
    return render(request, "files/case_files_page.html", {"case": case})


@login_required
@require_GET
def case_files_list(request, case_id):
    case = get_object_or_404(Case.objects.visible_to(request.user), pk=case_id)
    return render(request, "files/_file_list.html", panel_context(case=case, user=request.user))
