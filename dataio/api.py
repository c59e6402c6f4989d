"""Moving in and out through the API (DESIGN §18), managers and admins only (others 403).

POST /api/import/{kind}/?dry_run=1 (multipart `file`, optional `sheet`) →
{"rows","created","updated","unchanged","errors":[{"row","field","message"}]}: a dry run answers
200 with every row's outcome (and any error about the file as a whole); without dry_run the same
body, 201 when saved, 400 with the errors (and "message", "detail", "code") when any row fails,
nothing saved. No file at all: 400 either way. `row` counts data rows from 1;
an error about the file as a whole (a missing column, too large) has "row": null.
GET /api/export/{kind}.csv and GET /api/export/all.zip."""

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.audit import AuditAction, record
from accounts.policy import ensure
from dataio import exports, policy, services

ERROR = OpenApiResponse(
    description='{"message": "...", "detail": "...", "code": "...", "errors": {"field": ["..."]}}',
    response=OpenApiTypes.OBJECT,
)
RESULT = OpenApiResponse(
    description='{"rows", "created", "updated", "unchanged", "errors": [{"row", "field", "message"}]}',
    response=OpenApiTypes.OBJECT,
)


def _truthy(value) -> bool:
    return str(value or "").strip().lower() in ("1", "true", "yes", "on")


class ImportView(APIView):
    # JSON is accepted only to answer "attach a file" (400) rather than 415.
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        summary="Import practices, dentists or products from CSV or XLSX",
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(services.KINDS)),
            OpenApiParameter("dry_run", OpenApiTypes.BOOL, description="1: check every row, save nothing"),
        ],
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}, "sheet": {"type": "string"}},
            }
        },
        responses={200: RESULT, 201: RESULT, 400: RESULT, 403: ERROR, 404: ERROR},
    )
    def post(self, request, kind):
        ensure(policy.can_import(request.user), "Only managers and admins import.")
        services.get_kind(kind)
        dry_run = _truthy(request.query_params.get("dry_run")) or _truthy(request.data.get("dry_run"))
        result = services.run_import(
            actor=request.user,
            kind=kind,
            upload=request.FILES.get("file"),
            dry_run=dry_run,
            sheet=(request.data.get("sheet") or request.query_params.get("sheet") or "").strip(),
            request=request,
        )
        body = result.as_dict()
        if result.ok:
            return Response(body, status=status.HTTP_200_OK if dry_run else status.HTTP_201_CREATED)
        if dry_run and "file" in request.FILES:
            # A dry run is a report: what each row (or the file as a whole) would meet.
            return Response(body, status=status.HTTP_200_OK)
        first = body["errors"][0]
        message = f"Row {first['row']}: {first['message']}" if first["row"] else first["message"]
        body.update({"message": message, "detail": message, "code": "import_invalid"})
        return Response(body, status=status.HTTP_400_BAD_REQUEST)


def _audit(request, what: str, rows=None) -> None:
    record(AuditAction.CASE_EXPORTED, request=request, detail={"export": what, "rows": rows})


class ExportCsvView(APIView):
    @extend_schema(
        summary="Export one kind as CSV",
        parameters=[OpenApiParameter("kind", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(exports.EXPORTS))],
        responses={(200, "text/csv"): OpenApiTypes.STR, 403: ERROR, 404: ERROR},
    )
    def get(self, request, kind):
        ensure(policy.can_export(request.user), "Only managers and admins export the lab's data.")
        exports.rows_for(kind)  # 404 for an unknown kind
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="{kind}-{stamp}.csv"'
        response["Cache-Control"] = "private, no-store"
        rows = exports.write_csv(kind, response)
        _audit(request, kind, rows)
        return response


class ExportZipView(APIView):
    @extend_schema(
        summary="Export everything the lab owns as one ZIP of CSV files with a files manifest",
        responses={(200, "application/zip"): OpenApiTypes.BINARY, 403: ERROR},
    )
    def get(self, request):
        ensure(policy.can_export(request.user), "Only managers and admins export the lab's data.")
        archive, names = exports.zip_file()
        _audit(request, "all.zip")
        stamp = timezone.localdate().isoformat()
        response = FileResponse(archive, as_attachment=True, filename=f"dentallab-export-{stamp}.zip")
        response["Content-Type"] = "application/zip"
        response["Cache-Control"] = "private, no-store"
        return response
