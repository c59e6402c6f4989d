from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from notifications.models import Notification


class CaseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True)


class NotificationSerializer(serializers.ModelSerializer):
    """{"id","event","case":{"id","number"}|null,"message","created_at","read_at"}"""

    case = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "event", "case", "message", "created_at", "read_at"]

    @extend_schema_field(CaseRefSerializer(allow_null=True))
    def get_case(self, notification):
        case = notification.case
        return {"id": case.pk, "number": case.number} if case is not None else None
