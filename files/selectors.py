"""Reads of case files: the access helpers pages and API share, and the files panel, so any page
can show a case's files with the same queries."""

from django.shortcuts import get_object_or_404

from accounts.policy import VisibleQuery
from cases.models import Case
from dentallab.reversing import url_pattern
from files import policy, storage
from files.exceptions import FileNotWritable
from files.models import CaseFile, FileKind, FileState
from files.validation import INFERRED_KINDS, allowed_extensions, app_upload_limit, max_upload_bytes

# States a file can be acted on in (a deleted file is gone for everyone: 404).
LIVE_STATES = (FileState.PENDING, FileState.CHECKING, FileState.AVAILABLE)


def get_file_for(user, pk) -> CaseFile:
    """An available file to read (detail, download): 404 when it does not exist, is not available
    yet (or any more), or this user may not see its case."""
    queryset = CaseFile.objects.visible_to(user).select_related("case", "uploaded_by")
    return get_object_or_404(queryset, pk=pk, state=FileState.AVAILABLE)


def get_file_for_write(user, pk) -> CaseFile:
    """A file to act on (complete, delete): 404 when this user may not see it or it was deleted,
    403 when they see it but it is neither theirs nor are they lab staff (files.policy)."""
    queryset = CaseFile.objects.visible_to(user).select_related("case", "uploaded_by")
    file = get_object_or_404(queryset, pk=pk, state__in=LIVE_STATES)
    if not policy.can_change_file(user, file):
        raise FileNotWritable(policy.change_refusal(user, file))
    return file


_CASE_FILES = VisibleQuery(
    lambda user, case_pk: (
        CaseFile.objects.visible_to(user).filter(case=case_pk, state=FileState.AVAILABLE).with_list_details()
    )
)


def case_files_for(*, case: Case, user) -> list[CaseFile]:
    """The case's available files the user may see, newest first, with what the list shows."""
    files = _CASE_FILES.list(user, case.pk)
    for file in files:
        file.case = case  # spares a query per row in can_delete
        file.deletable = policy.can_delete(user, file)
    return files


def panel_context(*, case: Case, user) -> dict:
    allowed = allowed_extensions()
    return {
        "case": case,
        "files": case_files_for(case=case, user=user),
        "kinds": FileKind.choices,
        "config": {
            "planUrl": url_pattern("files_api:upload_plan").format(case.pk),
            "postUrl": url_pattern("files_api:case_files").format(case.pk),
            "listUrl": url_pattern("files:case_files_list").format(case.pk),
            "completeUrl": url_pattern("files_api:complete").format(0),
            "remote": storage.is_remote(),
            "maxBytes": max_upload_bytes(),
            "appMaxBytes": app_upload_limit(),
            "allowed": allowed,
            "inferred": {ext: str(kind) for ext, kind in INFERRED_KINDS.items()},
            "parallel": 4,
        },
        "accept": ",".join(sorted({f".{ext}" for exts in allowed.values() for ext in exts})),
    }
