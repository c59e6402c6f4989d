"""The traceability API (DESIGN §15). Thin: parse with a serializer, read with
traceability.selectors, write with traceability.services; errors take the one shape
(dentallab.api_errors: AppError and its kinds, PermissionDenied → 403, invisible objects → 404).

Materials and lots are lab data: a dentist gets 403 on their lists and 404 on one of them. A case's
lots and its statement are visible with the case (another practice: 404)."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from accounts.policy import is_lab_staff
from cases.selectors import get_case_for
from dentallab.api_pagination import PageNumberPagination
from dentallab.exceptions import AppError, NotFound
from traceability import gs1, policy, selectors, services
from traceability.models import LotStatus, Material
from traceability.serializers import (
    BarcodeSerializer,
    GS1Serializer,
    LotCaseSerializer,
    LotInputSerializer,
    LotSerializer,
    MaterialSerializer,
    StatementSerializer,
    UsageInputSerializer,
    UsageSerializer,
)

ERROR = OpenApiResponse(
    description='{"message": "...", "detail": "...", "code": "...", "errors": {"field": ["..."]}}',
    response=OpenApiTypes.OBJECT,
)


def _lab_only(user):
    if not policy.can_read_materials(user):
        raise PermissionDenied("Materials and lots are the lab's records.")


@extend_schema_view(
    get=extend_schema(
        summary="The lab's materials",
        parameters=[OpenApiParameter("search", OpenApiTypes.STR, description="Name, manufacturer or GTIN")],
        responses={200: MaterialSerializer(many=True), 403: ERROR},
    ),
    post=extend_schema(
        summary="Add a material (managers)",
        request=MaterialSerializer,
        responses={201: MaterialSerializer, 400: ERROR, 403: ERROR, 409: ERROR},
    ),
)
class MaterialListView(GenericAPIView):
    serializer_class = MaterialSerializer
    pagination_class = PageNumberPagination

    def get(self, request):
        _lab_only(request.user)
        materials = selectors.materials_for(request.user, search=request.query_params.get("search", "")[:100])
        page = self.paginate_queryset(materials)
        return self.get_paginated_response(MaterialSerializer(page, many=True).data)

    def post(self, request):
        _lab_only(request.user)
        data = MaterialSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        material = services.create_material(actor=request.user, data=data.validated_data)
        return Response(MaterialSerializer(material).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(
        summary="Material lots",
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=LotStatus.values),
            OpenApiParameter("material", OpenApiTypes.INT),
            OpenApiParameter("search", OpenApiTypes.STR, description="Lot number, material name or GTIN"),
        ],
        responses={200: LotSerializer(many=True), 400: ERROR, 403: ERROR},
    ),
    post=extend_schema(
        summary="Add a lot (managers)",
        request=LotInputSerializer,
        responses={201: LotSerializer, 400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR},
    ),
)
class LotListView(GenericAPIView):
    serializer_class = LotSerializer
    pagination_class = PageNumberPagination

    def get(self, request):
        _lab_only(request.user)
        params = request.query_params
        status_filter = params.get("status", "")
        if status_filter and status_filter not in LotStatus.values:
            raise AppError(f"Choose a status: {', '.join(LotStatus.values)}.", field="status")
        material = params.get("material", "")
        if material and not material.isdigit():
            raise AppError("A material id is a whole number.", field="material")
        lots = selectors.lots_for(
            request.user, status=status_filter, material=material or None, search=params.get("search", "")[:100]
        )
        page = self.paginate_queryset(lots)
        return self.get_paginated_response(LotSerializer(page, many=True).data)

    def post(self, request):
        _lab_only(request.user)
        data = LotInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        material = Material.objects.visible_to(request.user).filter(pk=data.validated_data["material"]).first()
        if material is None:
            raise NotFound("No such material.", field="material")
        lot = services.create_lot(actor=request.user, material=material, data=data.validated_data)
        return Response(LotSerializer(lot).data, status=status.HTTP_201_CREATED)


@extend_schema(
    summary="Read a GS1 barcode",
    request=BarcodeSerializer,
    responses={200: GS1Serializer, 400: ERROR, 403: ERROR},
)
class GS1ParseView(GenericAPIView):
    """GS1-128 / DataMatrix payloads (FNC1 as GS), the bracketed form, or a bare GTIN → the GTIN
    (14 digits), lot, expiry and serial; 400 naming `barcode` when it is not GS1."""

    serializer_class = BarcodeSerializer

    def post(self, request):
        _lab_only(request.user)
        data = BarcodeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(gs1.parse_barcode(data.validated_data["barcode"]).as_json())


@extend_schema_view(
    get=extend_schema(summary="The lots recorded on a case's items", responses={200: UsageSerializer(many=True)}),
    post=extend_schema(
        summary="Record a lot on an item (lab staff)",
        request=UsageInputSerializer,
        responses={201: UsageSerializer, 400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR},
    ),
)
class CaseLotsView(GenericAPIView):
    """GET: visible with the case (dentists see their own cases' lots, as the statement names them).
    POST: lab staff; expired, quarantined and used-up lots and the same lot twice on an item are
    refused (409, naming `lot`)."""

    serializer_class = UsageSerializer
    pagination_class = PageNumberPagination

    def get(self, request, case_id):
        case = get_case_for(request.user, case_id)
        page = self.paginate_queryset(selectors.case_usages(case))
        return self.get_paginated_response(UsageSerializer(page, many=True).data)

    def post(self, request, case_id):
        case = get_case_for(request.user, case_id)
        data = UsageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not is_lab_staff(request.user):
            raise PermissionDenied("Only the lab records material lots.")
        usage = services.record_usage(
            actor=request.user,
            case=case,
            item=data.validated_data["item"],
            lot=data.validated_data["lot"],
            request=request._request,
        )
        usage = selectors.case_usages(case).get(pk=usage.pk)
        return Response(UsageSerializer(usage).data, status=status.HTTP_201_CREATED)


@extend_schema(
    summary="Recall: every case that used a lot",
    responses={200: LotCaseSerializer(many=True), 403: ERROR, 404: ERROR},
)
class LotCasesView(GenericAPIView):
    serializer_class = LotCaseSerializer
    pagination_class = PageNumberPagination

    def get(self, request, lot_id):
        lot = selectors.get_lot_for(request.user, lot_id)
        page = self.paginate_queryset(selectors.recall_cases(request.user, lot))
        return self.get_paginated_response(LotCaseSerializer(page, many=True).data)


@extend_schema(
    summary="The case's current statement of manufacture",
    responses={200: StatementSerializer, 404: ERROR},
)
class CaseStatementView(GenericAPIView):
    """404 until the case has passed quality check (and for a case this user cannot see)."""

    serializer_class = StatementSerializer

    def get(self, request, case_id):
        case = get_case_for(request.user, case_id)
        statement = selectors.current_statement(request.user, case)
        if statement is None:
            raise NotFound("This case has no statement of manufacture yet: it is issued when it passes quality check.")
        data = StatementSerializer(statement).data
        data["download_url"] = request.build_absolute_uri(reverse("files_api:download", args=[statement.file_id]))
        return Response(data)
