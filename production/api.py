"""The production API (DESIGN §12). Thin: parse, read with production.selectors, write with
production.services; errors take the one shape (dentallab.api_errors).

The floor is the lab's: a dentist gets 403 on every list and action, and 404 on a case of another
practice (the case is looked up first, so existence never leaks)."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from cases.selectors import get_case_for
from dentallab.api_pagination import PageNumberPagination
from dentallab.exceptions import AppError
from production import policy, selectors, services
from production.models import StepStatus
from production.serializers import DepartmentSerializer, QCRowSerializer, QCTickSerializer, StepSerializer

ERROR = OpenApiResponse(
    description='{"message": "...", "detail": "...", "code": "...", "errors": {"field": ["..."]}}',
    response=OpenApiTypes.OBJECT,
)


def _lab_only(user):
    if not policy.can_view_floor(user):
        raise PermissionDenied("The production floor is the lab's.")


@extend_schema(
    summary="Departments and their daily capacity", responses={200: DepartmentSerializer(many=True), 403: ERROR}
)
class DepartmentListView(GenericAPIView):
    serializer_class = DepartmentSerializer
    pagination_class = None

    def get(self, request):
        _lab_only(request.user)
        return Response(DepartmentSerializer(selectors.departments_for(request.user), many=True).data)


@extend_schema(
    summary="A case's production steps, in order", responses={200: StepSerializer(many=True), 403: ERROR, 404: ERROR}
)
class CaseStepsView(GenericAPIView):
    serializer_class = StepSerializer
    pagination_class = None

    def get(self, request, case_id):
        case = get_case_for(request.user, case_id)
        _lab_only(request.user)
        return Response(StepSerializer(selectors.case_steps(request.user, case).select_related("case"), many=True).data)


def _int_param(params, name):
    value = params.get(name, "")
    if value and not value.isdigit():
        raise AppError(f"{name} is an id, a whole number.", field=name)
    return int(value) if value else None


@extend_schema_view(
    get=extend_schema(
        summary="Production steps (paginated), by ship-by",
        parameters=[
            OpenApiParameter("department", OpenApiTypes.INT),
            OpenApiParameter("status", OpenApiTypes.STR, enum=StepStatus.values),
            OpenApiParameter("technician", OpenApiTypes.STR, description="A user id, or `me`"),
        ],
        responses={200: StepSerializer(many=True), 400: ERROR, 403: ERROR},
    )
)
class StepListView(GenericAPIView):
    serializer_class = StepSerializer
    pagination_class = PageNumberPagination

    def get(self, request):
        _lab_only(request.user)
        params = request.query_params
        status = params.get("status", "")
        if status and status not in StepStatus.values:
            raise AppError(f"Choose a status: {', '.join(StepStatus.values)}.", field="status")
        technician = params.get("technician", "")
        technician = request.user.pk if technician == "me" else _int_param(params, "technician")
        steps = selectors.steps_for(
            request.user, department=_int_param(params, "department"), status=status, technician=technician
        )
        page = self.paginate_queryset(steps)
        return self.get_paginated_response(StepSerializer(page, many=True).data)


class _StepAction(GenericAPIView):
    serializer_class = StepSerializer
    pagination_class = None
    step_action = None

    def post(self, request, pk):
        _lab_only(request.user)
        step = selectors.get_step_for(request.user, pk)
        step = self.step_action(step=step, actor=request.user, request=request._request)
        return Response(StepSerializer(selectors.get_step_for(request.user, step.pk)).data)


@extend_schema(
    summary="Start a ready step",
    request=None,
    responses={200: StepSerializer, 403: ERROR, 404: ERROR, 409: ERROR},
)
class StepStartView(_StepAction):
    step_action = staticmethod(services.start_step)


@extend_schema(
    summary="Finish a step in progress",
    request=None,
    responses={200: StepSerializer, 403: ERROR, 404: ERROR, 409: ERROR},
)
class StepFinishView(_StepAction):
    step_action = staticmethod(services.finish_step)


@extend_schema_view(
    get=extend_schema(
        summary="A case's QC checklist", responses={200: QCRowSerializer(many=True), 403: ERROR, 404: ERROR}
    ),
    post=extend_schema(
        summary="Tick QC checklist items (case in quality check)",
        request=QCTickSerializer,
        responses={200: QCRowSerializer(many=True), 400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR},
    ),
)
class CaseQCView(GenericAPIView):
    serializer_class = QCRowSerializer
    pagination_class = None

    def get(self, request, case_id):
        case = get_case_for(request.user, case_id)
        _lab_only(request.user)
        return Response(QCRowSerializer(selectors.qc_checklist(case), many=True).data)

    def post(self, request, case_id):
        case = get_case_for(request.user, case_id)
        _lab_only(request.user)
        data = QCTickSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.tick_qc(case=case, actor=request.user, item_ids=data.validated_data["items"], request=request._request)
        return Response(QCRowSerializer(selectors.qc_checklist(case), many=True).data)
