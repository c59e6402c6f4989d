"""API shapes of DESIGN §15. Input serializers only check types; the rules are the services'."""

from django.urls import reverse
from rest_framework import serializers

from cases.serializers import RefSerializer
from traceability.models import Lot, LotStatus, LotUsage, Material, MaterialCategory, Statement


class MaterialSerializer(serializers.ModelSerializer):
    gtin = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    category = serializers.ChoiceField(choices=MaterialCategory.choices, required=False, default="other")
    manufacturer = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    country_of_origin = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")

    class Meta:
        model = Material
        fields = [
            "id",
            "name",
            "manufacturer",
            "gtin",
            "category",
            "country_of_origin",
            "contains_medicinal_substance",
            "contains_blood_derivative",
            "contains_tissues_or_cells",
            "active",
        ]
        read_only_fields = ["id"]


class LotSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=LotStatus.choices, read_only=True)

    class Meta:
        model = Lot
        fields = ["id", "material", "lot_number", "expires_on", "status"]


class LotInputSerializer(serializers.Serializer):
    """Types only: the lot number's characters and the dates are checked by the service, which
    names the field (so `expires_on: "31/12/2027"` answers 400 naming `expires_on`)."""

    material = serializers.IntegerField(min_value=1)
    lot_number = serializers.CharField(max_length=200, trim_whitespace=False)
    expires_on = serializers.CharField(max_length=40, required=False, allow_blank=True, allow_null=True)
    received_on = serializers.CharField(max_length=40, required=False, allow_blank=True, allow_null=True)
    supplier = serializers.CharField(max_length=150, required=False, allow_blank=True)


class BarcodeSerializer(serializers.Serializer):
    barcode = serializers.CharField(max_length=500, trim_whitespace=False)


class GS1Serializer(serializers.Serializer):
    gtin = serializers.CharField(allow_null=True, help_text="14 digits, check digit verified")
    lot = serializers.CharField(allow_null=True)
    expires_on = serializers.DateField(allow_null=True)
    serial = serializers.CharField(allow_null=True)


class UsageInputSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1)
    lot = serializers.IntegerField(min_value=1)


class UsageSerializer(serializers.ModelSerializer):
    item = serializers.IntegerField(source="item_id", allow_null=True)
    lot = serializers.IntegerField(source="lot_id")
    lot_number = serializers.CharField(source="lot.lot_number")
    material = RefSerializer(source="lot.material")
    expires_on = serializers.DateField(source="lot.expires_on", allow_null=True)

    class Meta:
        model = LotUsage
        fields = ["id", "item", "lot", "lot_number", "material", "expires_on", "product_name", "teeth", "recorded_at"]


class LotCaseSerializer(serializers.Serializer):
    """One case of a recall: who to write to, about which patient, and when it left the lab."""

    id = serializers.IntegerField(source="case.id")
    number = serializers.CharField(source="case.number")
    status = serializers.CharField(source="case.status")
    practice = RefSerializer(source="case.practice")
    dentist = RefSerializer(source="case.dentist")
    patient_name = serializers.CharField(source="case.patient_name")
    shipped_at = serializers.DateTimeField(source="case.shipped_at", allow_null=True)
    items = serializers.ListField(child=serializers.CharField())


class StatementSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Statement
        fields = ["id", "version", "sha256", "created_at", "download_url"]

    def get_download_url(self, obj) -> str:
        return reverse("files_api:download", args=[obj.file_id])
