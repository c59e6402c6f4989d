"""JSON shapes of the shipping API (DESIGN §14)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shipping.models import Courier, Pickup, Shipment


class CourierRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class CourierSerializer(serializers.ModelSerializer):
    class Meta:
        model = Courier
        fields = ["id", "name", "tracking_url_template", "is_lab_driver", "active"]


class ShipmentSerializer(serializers.ModelSerializer):
    """{"id","practice","courier":{"id","name"},"tracking_number","tracking_url","shipped_at","cases":[ID]}"""

    practice = serializers.IntegerField(source="practice_id", read_only=True)
    courier = CourierRefSerializer(read_only=True)
    tracking_url = serializers.SerializerMethodField()
    cases = serializers.SerializerMethodField()

    class Meta:
        model = Shipment
        fields = ["id", "practice", "courier", "tracking_number", "tracking_url", "shipped_at", "cases"]

    @extend_schema_field(serializers.CharField(allow_blank=True))
    def get_tracking_url(self, shipment) -> str:
        return shipment.tracking_url

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_cases(self, shipment) -> list[int]:
        return [line.case_id for line in shipment.lines.all()]


class ShipmentCreateSerializer(serializers.Serializer):
    """What a shipment needs; the rules (one practice, QC passed, tracking) are the service's."""

    courier = serializers.IntegerField(min_value=1)
    tracking_number = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        max_length=1000,
        help_text="At most 60 characters, no control characters. Required unless the courier is the lab's driver.",
    )
    cases = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        allow_empty=True,
        max_length=1000,
        help_text="Ids of QC-passed cases of one practice.",
    )
    practice = serializers.IntegerField(
        required=False, min_value=1, help_text="Optional: when given, every case must be of this practice."
    )


class PickupSerializer(serializers.ModelSerializer):
    practice = serializers.IntegerField(
        source="practice_id", required=False, min_value=1, help_text="Lab staff: required. Dentists: their own."
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, trim_whitespace=False)
    requested_by = CourierRefSerializer(read_only=True)

    class Meta:
        model = Pickup
        fields = [
            "id",
            "practice",
            "date",
            "window_start",
            "window_end",
            "note",
            "status",
            "requested_by",
            "created_at",
            "done_at",
        ]
        read_only_fields = ["status", "created_at", "done_at"]
