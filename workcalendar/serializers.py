from rest_framework import serializers

from workcalendar.models import ClosedDay


class ClosedDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = ClosedDay
        fields = ["id", "date", "reason"]
        read_only_fields = ["id"]


class ClosedDayInputSerializer(serializers.Serializer):
    """Parses only; the rules (not past, not twice, a reason) are workcalendar.services'."""

    date = serializers.DateField(required=False, allow_null=True, help_text="YYYY-MM-DD, today or later.")
    reason = serializers.CharField(required=False, allow_blank=True, help_text="Why the lab is closed.")


class ClosedDayQuerySerializer(serializers.Serializer):
    start = serializers.DateField(required=False, help_text="Only closed days on or after this date.")
    end = serializers.DateField(required=False, help_text="Only closed days on or before this date.")
