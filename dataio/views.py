"""The "Move in and out" page for managers (DESIGN §18): download a template, upload a CSV or XLSX
file, see every row's outcome (a dry run), confirm; and the export links. Between the dry run and
the confirmation the upload waits in the default storage under an unguessable key kept in the
manager's session: its bytes wait in the shared cache (CACHES: the database or Redis, so any
instance can finish it) for an hour, then expire by themselves. Confirming imports exactly the
file that was checked."""

import csv
import io
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.policy import require
from dataio import exports, policy, services
from dataio.forms import ConfirmForm, ImportForm
from dataio.reading import max_bytes, max_rows, size_text

SESSION_KEY = "dataio_pending"


def _context(**extra) -> dict:
    return {
        "kinds": services.KINDS,
        "exports": list(exports.EXPORTS),
        "max_size": size_text(max_bytes()),
        "max_rows": f"{max_rows():,}",
        **extra,
    }


PENDING_SECONDS = 3600


def _stash(request, upload, kind: str, sheet: str) -> str:
    token = secrets.token_urlsafe(24)
    upload.seek(0)
    key = f"dataio:pending:{token}"
    cache.set(key, upload.read(max_bytes() + 1), PENDING_SECONDS)
    request.session[SESSION_KEY] = {"token": token, "key": key, "kind": kind, "sheet": sheet, "name": upload.name}
    return token


def _drop(request) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        cache.delete(pending["key"])


@login_required
@require(policy.can_import)
@require_http_methods(["GET", "POST"])
def import_page(request):
    if request.method == "GET":
        return render(request, "dataio/import.html", _context(form=ImportForm()))
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "dataio/import.html", _context(form=form), status=400)
    kind, upload, sheet = form.cleaned_data["kind"], form.cleaned_data["file"], form.cleaned_data["sheet"]
    result = services.run_import(
        actor=request.user, kind=kind, upload=upload, dry_run=True, sheet=sheet, request=request
    )
    for field, message in result.file_errors:
        form.add_error(field if field in ("file", "sheet") else "file", message)
    _drop(request)
    confirm = ConfirmForm(initial={"token": _stash(request, upload, kind, sheet)}) if result.ok else None
    return render(
        request,
        "dataio/import.html",
        _context(form=form, result=result, confirm=confirm, kind=services.KINDS[kind]),
        status=200 if not result.file_errors else 400,
    )


@login_required
@require(policy.can_import)
@require_POST
def import_confirm(request):
    form = ConfirmForm(request.POST)
    pending = request.session.get(SESSION_KEY)
    if not form.is_valid() or not pending or not secrets.compare_digest(pending["token"], form.cleaned_data["token"]):
        messages.error(request, "That import is no longer waiting: upload the file again.")
        return redirect("dataio:import")
    data = cache.get(pending["key"])
    if data is None:
        _drop(request)
        messages.error(request, "That import waited too long: upload the file again.")
        return redirect("dataio:import")
    upload = ContentFile(data, name=pending["name"])
    result = services.run_import(
        actor=request.user, kind=pending["kind"], upload=upload, dry_run=False, sheet=pending["sheet"], request=request
    )
    _drop(request)
    if not result.saved:
        # Something changed since the dry run (another manager's import): show the new outcome.
        return render(
            request,
            "dataio/import.html",
            _context(
                form=ImportForm(initial={"kind": pending["kind"]}), result=result, kind=services.KINDS[pending["kind"]]
            ),
            status=400,
        )
    messages.success(
        request,
        f"Imported {pending['kind']}: {result.count(services.CREATE)} created, "
        f"{result.count(services.UPDATE)} updated, {result.count(services.UNCHANGED)} unchanged.",
    )
    return redirect("dataio:import")


@login_required
@require(policy.can_import)
@require_GET
def template(request, kind, fmt):
    columns, example = services.template_rows(kind)
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = kind
        sheet.append(list(columns))
        # Typed as text, so a spreadsheet keeps "+1 555" and "007" as written.
        sheet.append([str(value) for value in example])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.writer(response)
        writer.writerow(columns)
        writer.writerow([exports.csv_safe(value) for value in example])
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.{fmt}"'
    return response
