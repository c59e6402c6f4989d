"""GET|POST /api/closed-days/, DELETE /api/closed-days/{id}/ (DESIGN §12). Lab staff read,
managers and admins write, dentists are refused (403)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.response import Response

from workcalendar import selectors, services
from workcalendar.serializers import ClosedDayInputSerializer, ClosedDayQuerySerializer, ClosedDaySerializer

ERROR = OpenApiResponse(
    description='{"message": "...", "detail": "...", "code": "...", "errors": {"field": ["..."]}}',
    response=OpenApiTypes.OBJECT,
)


@extend_schema_view(
    list=extend_schema(
        summary="The lab's closed days, in date order (lab staff; not paginated: a handful a year)",
        parameters=[ClosedDayQuerySerializer],
        responses={200: ClosedDaySerializer(many=True), 403: ERROR},
    ),
    create=extend_schema(
        summary="Close the lab on a day (managers and admins)",
        request=ClosedDayInputSerializer,
        responses={201: ClosedDaySerializer, 400: ERROR, 403: ERROR},
    ),
    destroy=extend_schema(
        summary="Open the lab again on a closed day that has not passed (managers and admins)",
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="The closed day's id.")],
        responses={204: None, 403: ERROR, 404: ERROR, 409: ERROR},
    ),
)
class ClosedDayViewSet(viewsets.ViewSet):
    serializer_class = ClosedDaySerializer
    lookup_value_regex = r"[0-9]{1,18}"

    def list(self, request):
        query = ClosedDayQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        days = selectors.closed_days_for(request.user, **query.validated_data)
        return Response(ClosedDaySerializer(days, many=True).data)

    def create(self, request):
        serializer = ClosedDayInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        closed = services.add_closed_day(
            actor=request.user,
            date=serializer.validated_data.get("date"),
            reason=serializer.validated_data.get("reason", ""),
            request=request,
        )
        return Response(ClosedDaySerializer(closed).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        closed = selectors.get_closed_day_for_write(request.user, int(pk))
        services.remove_closed_day(actor=request.user, closed_day=closed, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)
