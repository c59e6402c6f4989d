"""The cases API (DESIGN §8). Thin: parse with a serializer, read with cases.selectors, write
with cases.services. Errors are shaped by dentallab.api_errors (services' ValidationError → 400,
PermissionDenied → 403, TransitionNotAllowed → 409, invisible objects → 404)."""

import functools

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.functional import SimpleLazyObject
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.audit import AuditAction, record
from accounts.models import Practice
from accounts.policy import is_dentist
from cases import counts, selectors, services
from cases.filters import CaseFilter
from cases.serializers import (
    CaseCreateSerializer,
    CaseSerializer,
    CaseUpdateSerializer,
    EventSerializer,
    NoteSerializer,
    PracticeSerializer,
    ProductSerializer,
    ScheduleQuerySerializer,
    ScheduleSerializer,
    TransitionSerializer,
)
from dentallab.api_pagination import PageNumberPagination

ERROR = OpenApiResponse(
    description='{"message": "...", "detail": "...", "code": "...", "errors": {"field": ["..."]}}',
    response=OpenApiTypes.OBJECT,
)


class _SelectorFilterBackend(DjangoFilterBackend):
    """Documents CaseFilter's parameters in the schema. The filtering itself happens in
    selectors.case_list (visibility, filters and joins in one place), not here."""

    def filter_queryset(self, request, queryset, view):
        return queryset


class CasePagination(PageNumberPagination):
    """The project's pagination; an unfiltered list's `count` comes from cases.counts (at most a
    few seconds old) instead of a COUNT(*) over every visible case on each page."""

    def paginate_queryset(self, queryset, request, view=None):
        self.django_paginator_class = functools.partial(
            counts.CachedCountPaginator,
            user=request.user,
            params=request.query_params,
            # The case list's plain pages come from a compiled query; notes and events page as usual.
            rows=(
                selectors.plain_list_rows(request.user, request.query_params, api=True)
                if getattr(view, "action", None) == "list"
                else None
            ),
        )
        return super().paginate_queryset(queryset, request, view)


@extend_schema_view(
    list=extend_schema(summary="List cases", responses={200: CaseSerializer(many=True), 400: ERROR}),
    retrieve=extend_schema(summary="Get a case", responses={200: CaseSerializer, 404: ERROR}),
)
class CaseViewSet(viewsets.GenericViewSet):
    serializer_class = CaseSerializer
    filter_backends = [_SelectorFilterBackend]
    filterset_class = CaseFilter
    pagination_class = CasePagination
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.api_case_list(self.request.user, self.request.query_params, request=self.request)

    def get_case(self):
        return selectors.case_detail(self.request.user, self.kwargs["pk"])

    def _case_response(self, case, status_code=status.HTTP_200_OK):
        fresh = selectors.api_case_detail(self.request.user, case.pk)
        return Response(CaseSerializer(fresh, context=self.get_serializer_context()).data, status=status_code)

    def list(self, request):
        # A plain list's page is read by a compiled query (CasePagination) and its count is
        # cached: the filtered queryset is only built when something needs it.
        page = self.paginate_queryset(SimpleLazyObject(self.get_queryset))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        case = selectors.api_case_detail(request.user, pk)
        record(AuditAction.CASE_VIEWED, request=request, obj=case, case_id=case.pk, detail={"via": "api"})
        return Response(self.get_serializer(case).data)

    @extend_schema(
        summary="Create a case",
        request=CaseCreateSerializer,
        responses={201: CaseSerializer, 400: ERROR, 403: ERROR},
    )
    def create(self, request):
        serializer = CaseCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        items = [services.ItemInput(**item) for item in data.pop("items")]
        case = services.create_case(
            actor=request.user,
            practice=data.pop("practice"),
            dentist=data.pop("dentist"),
            patient_name=data.pop("patient_name"),
            items=items,
            submit=data.pop("submit"),
            request=request,
            **data,
        )
        return self._case_response(case, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit a case's Rx fields (or assign a technician)",
        request=CaseUpdateSerializer,
        responses={200: CaseSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
    )
    def partial_update(self, request, pk=None):
        case = self.get_case()
        serializer = CaseUpdateSerializer(data=request.data, partial=True, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        has_technician = "assigned_technician" in changes
        technician = changes.pop("assigned_technician", None)
        with transaction.atomic():  # both changes or neither
            if changes:
                case = services.update_case(case=case, actor=request.user, changes=changes, request=request)
            if has_technician:
                case = services.assign_technician(case=case, actor=request.user, technician=technician, request=request)
        return self._case_response(case)

    @extend_schema(
        summary="Move a case to another status",
        request=TransitionSerializer,
        responses={200: CaseSerializer, 400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        case = self.get_case()
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = services.transition_case(
            case=case,
            to=serializer.validated_data["to"],
            note=serializer.validated_data["note"],
            actor=request.user,
            request=request,
        )
        return self._case_response(case)

    @extend_schema(methods=["GET"], summary="A case's notes, newest first", responses={200: NoteSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        summary="Add a note (internal notes: lab staff only)",
        request=NoteSerializer,
        responses={201: NoteSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def notes(self, request, pk=None):
        case = self.get_case()
        if request.method == "POST":
            serializer = NoteSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            note = services.add_note(
                case=case,
                actor=request.user,
                body=serializer.validated_data["body"],
                internal=serializer.validated_data.get("internal", False),
                request=request,
            )
            note = selectors.case_notes(request.user, case).get(pk=note.pk)
            return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(selectors.case_notes(request.user, case))
        return self.get_paginated_response(NoteSerializer(page, many=True).data)

    @extend_schema(
        summary="A case's timeline, newest first (without what the caller may not see)",
        responses={200: EventSerializer(many=True), 404: ERROR},
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def events(self, request, pk=None):
        case = self.get_case()
        page = self.paginate_queryset(selectors.case_events(request.user, case))
        return self.get_paginated_response(EventSerializer(page, many=True).data)


@extend_schema_view(
    list=extend_schema(
        summary="The price list (prices hidden from technicians)",
        parameters=[
            OpenApiParameter("include_inactive", bool, description="Managers and admins: include retired products.")
        ],
    )
)
class ProductViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = ProductSerializer

    def get_queryset(self):
        include_inactive = self.request.query_params.get("include_inactive", "").lower() in ("1", "true", "yes")
        return selectors.products_for(self.request.user, include_inactive=include_inactive)


@extend_schema_view(list=extend_schema(summary="Practices (lab staff: all; a dentist: their own)"))
class PracticeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = PracticeSerializer

    def get_queryset(self):
        return Practice.objects.visible_to(self.request.user)


class ScheduleView(APIView):
    """GET /api/schedule/?products=ID,ID&practice=ID&received=YYYY-MM-DD → {"due_date", "ship_by"}
    (DESIGN §12): the suggested due date and ship-by date of a case not yet made."""

    @extend_schema(
        summary="Suggested due date and ship-by for products, a practice and a receipt date",
        parameters=[ScheduleQuerySerializer],
        responses={200: ScheduleSerializer, 400: ERROR, 401: ERROR},
    )
    def get(self, request):
        query = ScheduleQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        user = request.user
        errors = {}
        products = list(selectors.products_for(user).filter(pk__in=data["products"]))
        if len(products) != len(data["products"]):
            missing = sorted(set(data["products"]) - {product.pk for product in products})
            errors["products"] = [f"No product on the price list with id {', '.join(map(str, missing))}."]
        practice = None
        if "practice" in data:
            # Another practice's id is answered like one that does not exist: nothing leaks.
            practice = Practice.objects.visible_to(user).filter(pk=data["practice"]).first()
            if practice is None:
                errors["practice"] = [f"No practice with id {data['practice']}."]
        elif is_dentist(user):
            practice = user.practice
        else:
            errors["practice"] = ["Say which practice the case is for."]
        if errors:
            raise ValidationError(errors)
        due, ship_by = services.schedule(products, practice, data.get("received"))
        return Response(ScheduleSerializer({"due_date": due, "ship_by": ship_by}).data)
