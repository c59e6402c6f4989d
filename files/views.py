"""The files page of a case: the reusable panel (templates/files/case_files_panel.html) on a page of
its own, and the list fragment the uploader reloads after each upload. Both name the case's files,
so both are audited as a view of the case, like the case page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cases.selectors import get_case_for
from files import services
from files.selectors import panel_context


@login_required
@require_GET
def case_files(request, case_id):
    case = get_case_for(request.user, case_id)
    services.record_files_viewed(case=case, actor=request.user, request=request, via="files")
    return render(request, "files/case_files_page.html", {"case": case})


@login_required
@require_GET
def case_files_list(request, case_id):
    case = get_case_for(request.user, case_id)
    services.record_files_viewed(case=case, actor=request.user, request=request, via="files_list")
    return render(request, "files/_file_list.html", panel_context(case=case, user=request.user))
