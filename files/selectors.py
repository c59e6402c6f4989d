"""Reads for the files panel, so any page can show a case's files with the same queries."""

from django.urls import reverse

from cases.models import Case
from files import storage
from files.models import CaseFile, FileKind, FileState
from files.services import can_delete
from files.validation import INFERRED_KINDS, allowed_extensions, app_upload_limit, max_upload_bytes


def case_files_for(*, case: Case, user) -> list[CaseFile]:
    """The case's available files the user may see, newest first, with what the list shows."""
    files = list(CaseFile.objects.visible_to(user).filter(case=case, state=FileState.AVAILABLE).with_list_details())
    for file in files:
        file.case = case  # spares a query per row in can_delete
        file.deletable = can_delete(user, file)
    return files


def panel_context(*, case: Case, user) -> dict:
    allowed = allowed_extensions()
    return {
        "case": case,
        "files": case_files_for(case=case, user=user),
        "kinds": FileKind.choices,
        "config": {
            "planUrl": reverse("files_api:upload_plan", args=[case.pk]),
            "postUrl": reverse("files_api:case_files", args=[case.pk]),
            "listUrl": reverse("files:case_files_list", args=[case.pk]),
            "completeUrl": reverse("files_api:complete", args=[0]),
            "remote": storage.is_remote(),
            "maxBytes": max_upload_bytes(),
            "appMaxBytes": app_upload_limit(),
            "allowed": allowed,
            "inferred": {ext: str(kind) for ext, kind in INFERRED_KINDS.items()},
            "parallel": 4,
        },
        "accept": ",".join(sorted({f".{ext}" for exts in allowed.values() for ext in exts})),
    }
