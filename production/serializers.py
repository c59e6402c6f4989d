"""The production API's shapes (DESIGN §12)."""

from rest_framework import serializers

from cases.serializers import RefSerializer
from production.models import CaseStep, Department


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "daily_capacity"]


class StepCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True)
    ship_by = serializers.DateField(read_only=True)


class StepSerializer(serializers.ModelSerializer):
    department = RefSerializer(read_only=True)
    technician = RefSerializer(read_only=True, allow_null=True)
    case = StepCaseSerializer(read_only=True)

    class Meta:
        model = CaseStep
        fields = [
            "id",
            "department",
            "name",
            "position",
            "status",
            "technician",
            "planned_date",
            "started_at",
            "finished_at",
            "units",
            "case",
        ]


class QCRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="item.pk")
    label = serializers.CharField(source="item.label")
    checked = serializers.SerializerMethodField()
    checked_by = serializers.SerializerMethodField()
    checked_at = serializers.SerializerMethodField()

    def get_checked(self, row) -> bool:
        return row["check"] is not None

    def get_checked_by(self, row) -> dict | None:
        check = row["check"]
        if check is None or check.checked_by is None:
            return None
        return {"id": check.checked_by.pk, "name": check.checked_by.name}

    def get_checked_at(self, row) -> str | None:
        check = row["check"]
        return serializers.DateTimeField().to_representation(check.checked_at) if check else None


class QCTickSerializer(serializers.Serializer):
    items = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=False, max_length=100)
