"""The shipping API (DESIGN §14): shipments, couriers, pickups. Thin: parse, call a service, render."""

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from accounts.models import Practice
from accounts.policy import is_dentist, is_lab_staff
from shipping import selectors, services
from shipping.serializers import (
    CourierSerializer,
    PickupSerializer,
    ShipmentCreateSerializer,
    ShipmentSerializer,
)

ERROR = OpenApiResponse(
    description='{"message": "...", "detail": "...", "code": "...", "errors": {"field": ["..."]}}',
    response=OpenApiTypes.OBJECT,
)


@extend_schema_view(
    list=extend_schema(summary="Shipments, newest first (a dentist: their practice's)"),
    create=extend_schema(
        summary="Ship QC-passed cases of one practice together (all move to shipped, or none)",
        request=ShipmentCreateSerializer,
        responses={201: ShipmentSerializer, 400: ERROR, 403: ERROR, 409: ERROR},
    ),
)
class ShipmentViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = ShipmentSerializer

    def get_queryset(self):
        return selectors.shipments_for(self.request.user)

    def create(self, request):
        if not is_lab_staff(request.user):
            raise PermissionDenied("Only the lab ships cases.")
        serializer = ShipmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        courier = selectors.couriers_for(request.user).filter(pk=data["courier"]).first()
        if courier is None:
            raise ValidationError({"courier": [f"No active courier with id {data['courier']}."]})
        practice = None
        if "practice" in data:
            practice = Practice.objects.visible_to(request.user).filter(pk=data["practice"]).first()
            if practice is None:
                raise ValidationError({"practice": [f"No practice with id {data['practice']}."]})
        shipment = services.ship_cases(
            actor=request.user,
            courier=courier,
            tracking_number=data.get("tracking_number", ""),
            case_ids=data["cases"],
            practice=practice,
            request=request,
        )
        fresh = selectors.get_shipment_for(request.user, shipment.pk)
        return Response(ShipmentSerializer(fresh).data, status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(summary="Couriers (lab staff)", responses={200: CourierSerializer, 403: ERROR}))
class CourierViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = CourierSerializer

    def get_queryset(self):
        return selectors.couriers_for(self.request.user, include_inactive=True)

    def list(self, request, *args, **kwargs):
        if not is_lab_staff(request.user):
            raise PermissionDenied("Couriers are the lab's.")
        return super().list(request, *args, **kwargs)


@extend_schema_view(
    list=extend_schema(summary="Pickups, by date (a dentist: their practice's)"),
    create=extend_schema(
        summary="Request a pickup (dentists: for their practice; lab staff: name the practice)",
        responses={201: PickupSerializer, 400: ERROR, 403: ERROR},
    ),
)
class PickupViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = PickupSerializer

    def get_queryset(self):
        return selectors.pickups_for(self.request.user)

    def create(self, request):
        serializer = PickupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = request.user
        if is_dentist(user):
            practice = user.practice
            if data.get("practice_id") not in (None, user.practice_id):
                raise ValidationError({"practice": ["Dentists request pickups for their own practice."]})
        elif is_lab_staff(user):
            if "practice_id" not in data:
                raise ValidationError({"practice": ["Say which practice the driver goes to."]})
            practice = Practice.objects.visible_to(user).filter(pk=data["practice_id"]).first()
            if practice is None:
                raise ValidationError({"practice": [f"No practice with id {data['practice_id']}."]})
        else:
            raise PermissionDenied("Sign in as a dentist or lab staff to request a pickup.")
        pickup = services.request_pickup(
            actor=user,
            practice=practice,
            date=data["date"],
            window_start=data["window_start"],
            window_end=data["window_end"],
            note=data.get("note", ""),
            request=request,
        )
        return Response(PickupSerializer(pickup).data, status=status.HTTP_201_CREATED)
