"""The notifications API (DESIGN §14): the inbox, marking read, and preferences."""

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from notifications import selectors, services
from notifications.events import Event, channels_for
from notifications.serializers import NotificationSerializer

ERROR = OpenApiResponse(
    description='{"message": "...", "detail": "...", "code": "...", "errors": {"field": ["..."]}}',
    response=OpenApiTypes.OBJECT,
)

UNREAD = OpenApiParameter(
    "unread", OpenApiTypes.BOOL, description="true: only unread; false: only read; absent: all.", required=False
)


def _channels(event):
    return inline_serializer(
        f"Channels_{event}",
        {channel: serializers.BooleanField(required=False) for channel in channels_for(event)},
    )


PREFERENCES = inline_serializer(
    "NotificationPreferences",
    {event: _channels(event) for event in Event.values},
)
PREFERENCES.required = False


def _bool(raw: str | None) -> bool | None:
    if raw is None or raw == "":
        return None
    value = raw.strip().lower()
    if value in ("1", "true", "yes"):
        return True
    if value in ("0", "false", "no"):
        return False
    raise ValidationError({"unread": ["Use true or false."]})


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = NotificationSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.notifications_for(self.request.user, unread=_bool(self.request.query_params.get("unread")))

    @extend_schema(
        summary="Your notifications, newest first",
        parameters=[UNREAD],
        responses={200: NotificationSerializer(many=True), 400: ERROR},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Mark one notification read", request=None, responses={200: NotificationSerializer, 404: ERROR}
    )
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = selectors.get_notification_for(request.user, pk)
        services.mark_read(user=request.user, notification=notification)
        return Response(NotificationSerializer(selectors.notifications_for(request.user).get(pk=notification.pk)).data)

    @extend_schema(
        summary="Mark all your notifications read",
        request=None,
        responses={200: inline_serializer("ReadAll", {"marked_read": serializers.IntegerField()})},
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked_read": services.mark_all_read(user=request.user)})


class NotificationPreferencesView(APIView):
    """{event: {"email": bool, "in_app": bool}} for every event you receive. PUT changes the
    events and channels it names (the others stay); an unknown event is a 400."""

    @extend_schema(summary="Your notification settings (event × channel)", responses={200: PREFERENCES})
    def get(self, request):
        return Response(services.preferences_for(request.user))

    @extend_schema(
        summary="Change your notification settings",
        request=PREFERENCES,
        responses={200: PREFERENCES, 400: ERROR},
    )
    def put(self, request):
        return Response(services.set_preferences(user=request.user, changes=request.data))
