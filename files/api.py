"""Files endpoints (DESIGN §8). Thin: parse input, ask the policy, call a service, render.

Objects the caller may not see are 404 (visibility via `visible_to`); actions the role may not take
are 403."""

import hashlib

from django.conf import settings
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.http import HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.selectors import get_case_for
from dentallab.api_pagination import PageNumberPagination
from dentallab.exceptions import AppError
from files import services, storage
from files.exceptions import TooLarge
from files.models import CaseFile, FileState
from files.selectors import get_file_for, get_file_for_write
from files.validation import app_upload_limit

# Room for the multipart envelope around the file.
ENVELOPE_SLACK = 64 * 1024


def too_large_message(size_text: str) -> str:
    limit = app_upload_limit()
    if settings.UPLOADS_DIRECT_ONLY:
        return (
            f"The upload is {size_text}; files over {filesizeformat(limit)} must go straight to storage "
            "(use the upload form, or POST /api/cases/{id}/uploads/ for a presigned plan)."
        )
    return f"The upload is {size_text}; the limit is {filesizeformat(limit)}."


class LimitedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Streams each uploaded file to a temporary file on disk (never to memory), hashing it on the
    way and stopping as soon as more bytes arrive than the limit allows."""

    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit, self.received, self.exceeded = limit, 0, False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received, self.sha256 = 0, hashlib.sha256()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            self.file.close()
            raise StopUpload(connection_reset=False)
        self.sha256.update(raw_data)
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size):
        uploaded = super().file_complete(file_size)
        uploaded.sha256 = self.sha256.hexdigest()
        return uploaded


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CaseFileSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name")
    uploaded_by = UserRefSerializer(allow_null=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = CaseFile
        fields = [
            "id", "case", "kind", "name", "size", "content_type", "sha256", "state",
            "uploaded_by", "created_at", "download_url",
        ]  # fmt: skip

    def get_download_url(self, obj) -> str:
        return reverse("files_api:download", args=[obj.pk])


class PlanSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=1000)
    size = serializers.IntegerField()
    content_type = serializers.CharField(max_length=200, required=False, allow_blank=True)
    kind = serializers.CharField(max_length=20, required=False, allow_blank=True)


class PartSerializer(serializers.Serializer):
    part_number = serializers.IntegerField(min_value=1, max_value=10_000)
    etag = serializers.CharField(max_length=200)


class CompleteSerializer(serializers.Serializer):
    parts = PartSerializer(many=True, required=False, help_text="Multipart uploads only: every part's ETag.")


class AppUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    kind = serializers.ChoiceField(choices=["scan", "photo", "design", "document", "other"], required=False)


UPLOAD_PLAN = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description=(
        'A presigned PUT {"file_id", "method": "PUT", "url", "headers"}, a multipart plan '
        '{"file_id", "upload_id", "part_size", "parts": [{"part_number", "url"}]}, or, without R2, '
        '{"method": "POST", "url", "field", "fields"} to post the file to the app.'
    ),
)
ERRORS = {
    400: OpenApiResponse(description="Invalid input; `errors` names the field"),
    404: OpenApiResponse(description="No such case or file for this user"),
    413: OpenApiResponse(description="Larger than the upload limit"),
}


@extend_schema_view(
    post=extend_schema(
        request={"multipart/form-data": AppUploadSerializer}, responses={201: CaseFileSerializer, **ERRORS}
    ),
)
class CaseFilesView(generics.ListAPIView):
    """GET the case's files (paginated like every list); POST one file through the app (multipart
    `file`, `kind`)."""

    serializer_class = CaseFileSerializer
    pagination_class = PageNumberPagination

    def initial(self, request, *args, **kwargs):
        # Before authentication: the CSRF check of session auth reads the body, so the handlers
        # must be in place first (and an oversize body is refused before a byte is read).
        if request.method == "POST":
            limit = app_upload_limit()
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit + ENVELOPE_SLACK:
                raise TooLarge(too_large_message(filesizeformat(length)))
            self.upload_handler = LimitedTemporaryFileUploadHandler(request._request, limit=limit)
            request._request.upload_handlers = [self.upload_handler]
        super().initial(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the view
            return CaseFile.objects.none()
        self.case = get_case_for(self.request.user, self.kwargs["case_id"])
        return CaseFile.objects.filter(case=self.case, state=FileState.AVAILABLE).with_list_details()

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        services.record_files_viewed(case=self.case, actor=request.user, request=request._request, via="api_files")
        return response

    def post(self, request, case_id):
        case = get_case_for(request.user, case_id)
        uploaded = request.FILES.get("file")
        if self.upload_handler.exceeded:
            raise TooLarge(too_large_message(f"more than {filesizeformat(app_upload_limit())}"))
        if uploaded is None:
            raise AppError("Choose a file to upload.", field="file")
        try:
            file = services.receive_upload(
                case=case,
                actor=request.user,
                uploaded=uploaded,
                kind=request.data.get("kind"),
                request=request._request,
            )
        finally:
            uploaded.close()
        return Response(CaseFileSerializer(file).data, status=status.HTTP_201_CREATED)


@extend_schema(request=PlanSerializer, responses={201: UPLOAD_PLAN, **ERRORS})
class UploadPlanView(APIView):
    """POST {name, size, content_type, kind} → how the browser should send the bytes."""

    def post(self, request, case_id):
        case = get_case_for(request.user, case_id)
        data = PlanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if not storage.is_remote():
            # No bucket: the browser posts the file to the app, which streams it to disk.
            plan = services.plan_app_upload(
                case=case,
                actor=request.user,
                name=values["name"],
                size=values["size"],
                kind=values.get("kind"),
                limit=app_upload_limit(),
                too_large=too_large_message(filesizeformat(values["size"])),
                request=request._request,
            )
            return Response(
                {**plan, "url": reverse("files_api:case_files", args=[case.pk])}, status=status.HTTP_201_CREATED
            )
        _, plan = services.plan_upload(
            case=case,
            actor=request.user,
            name=values["name"],
            size=values["size"],
            kind=values.get("kind"),
            request=request._request,
        )
        return Response(plan, status=status.HTTP_201_CREATED)


@extend_schema(
    request=CompleteSerializer,
    responses={
        200: CaseFileSerializer,
        403: OpenApiResponse(description="Only the person who started the upload completes it"),
        409: OpenApiResponse(description="Already available, or another complete is checking it right now"),
        503: OpenApiResponse(description="Storage failed while checking; the upload stays pending, complete again"),
        **ERRORS,
    },
)
class CompleteView(APIView):
    def post(self, request, file_id):
        file = get_file_for_write(request.user, file_id)
        file = services.complete_upload(
            file=file, actor=request.user, parts=request.data.get("parts"), request=request._request
        )
        return Response(CaseFileSerializer(file).data)


@extend_schema_view(
    get=extend_schema(responses=CaseFileSerializer),
    delete=extend_schema(
        responses={204: None, 403: OpenApiResponse(description="Not yours to delete"), 404: ERRORS[404]}
    ),
)
class FileDetailView(APIView):
    def get(self, request, file_id):
        return Response(CaseFileSerializer(get_file_for(request.user, file_id)).data)

    def delete(self, request, file_id):
        file = get_file_for_write(request.user, file_id)
        services.delete_file(file=file, actor=request.user, request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    parameters=[OpenApiParameter("preview", OpenApiTypes.BOOL, description="Serve images inline, off the timeline")],
    responses={
        200: OpenApiResponse(response=OpenApiTypes.BINARY, description="The bytes (local disk)"),
        302: OpenApiResponse(description="Redirect to a presigned URL valid for a few minutes (R2)"),
        404: ERRORS[404],
    },
)
class DownloadView(APIView):
    """Checks visibility, records the download, then redirects to a presigned URL valid for a few
    minutes (R2) or streams the file (local disk). `?preview=1` serves images inline for
    thumbnails and the 3D viewer (audited, but kept off the timeline)."""

    def get(self, request, file_id):
        file = get_file_for(request.user, file_id)
        preview = request.query_params.get("preview") in ("1", "true")
        services.record_download(file=file, actor=request.user, request=request._request, preview=preview)
        inline = preview and file.is_image
        if storage.is_remote():
            url = storage.presigned_get(
                key=file.object_key, filename=file.original_name, content_type=file.content_type, inline=inline
            )
            response = HttpResponseRedirect(url)
            response["Cache-Control"] = "private, no-store"
            response["Referrer-Policy"] = "no-referrer"
            return response
        return storage.local_response(
            key=file.object_key, filename=file.original_name, content_type=file.content_type, inline=inline
        )
