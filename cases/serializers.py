"""JSON shapes of the cases API (DESIGN §8). Serializers parse and render; writes go through
cases.services, which hold the rules (and raise the errors the API maps to 4xx)."""

from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Practice, User
from accounts.policy import can_see_prices, is_dentist
from cases.models import Case, CaseItem, Priority, Product, Status, TimelineEvent
from cases.services import EDITABLE_FIELDS
from cases.shades import normalize_shade
from cases.teeth import validate_teeth
from dentallab.api_serializers import FastRepresentation


class RefSerializer(FastRepresentation, serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class PriceHidingMixin:
    """Drops price fields for users who may not see prices (technicians)."""

    price_fields: tuple[str, ...] = ()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        hidden = self.__dict__.get("_hidden_prices")
        if hidden is None:  # once per serializer (with many=True: once for all the rows)
            request = self.context.get("request")
            hidden = self.price_fields if request is not None and not can_see_prices(request.user) else ()
            self.__dict__["_hidden_prices"] = hidden
        for name in hidden:
            data.pop(name, None)
        return data


class CaseItemSerializer(PriceHidingMixin, FastRepresentation, serializers.ModelSerializer):
    price_fields = ("unit_price",)
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
    product_code = serializers.CharField(source="product.code", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)
    teeth = serializers.ListField(
        child=serializers.IntegerField(), help_text="FDI tooth numbers (11-48 permanent, 51-85 primary)."
    )
    unit_price = serializers.DecimalField(
        max_digits=10, decimal_places=2, read_only=True, help_text="Hidden from technicians."
    )

    class Meta:
        model = CaseItem
        fields = [
            "id",
            "product",
            "product_code",
            "product_name",
            "teeth",
            "shade",
            "material",
            "quantity",
            "unit_price",
        ]
        read_only_fields = ["id"]
        extra_kwargs = {
            "quantity": {
                "min_value": 1,
                "max_value": 99,
                "required": False,
                "help_text": "Follows the teeth: per-tooth products count the teeth, per-arch products the arches "
                "touched; only per-case products take the quantity given (default 1).",
            }
        }

    def validate_teeth(self, value):
        try:
            return validate_teeth(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def validate_shade(self, value):
        try:
            return normalize_shade(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def validate_product(self, value):
        if not value.active:
            raise serializers.ValidationError(f"{value.name} is no longer offered.")
        return value


class CaseSerializer(PriceHidingMixin, FastRepresentation, serializers.ModelSerializer):
    """A case as read: these declared fields are both what is sent and what the schema says.
    Expects the queryset of cases.selectors (practice, dentist, technician joined; items and
    products prefetched)."""

    # (The docstring is the schema's description of a Case.) Cases come from
    # selectors.api_case_list / api_case_detail, their items prefetched into `case.item_list`.

    price_fields = ("total",)
    practice = RefSerializer(read_only=True)
    dentist = RefSerializer(read_only=True)
    assigned_technician = RefSerializer(read_only=True, allow_null=True)
    remake_of = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)
    items = CaseItemSerializer(many=True, read_only=True, source="item_list")
    late = serializers.BooleanField(source="is_late", read_only=True, help_text="Ship-by date passed, not yet shipped.")
    total = serializers.SerializerMethodField(
        help_text="Sum of the items' quantity × unit price. Hidden from technicians."
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "status",
            "priority",
            "practice",
            "dentist",
            "patient_name",
            "due_date",
            "ship_by",
            "received_at",
            "shipped_at",
            "delivered_at",
            "pan_number",
            "shade",
            "instructions",
            "tracking_number",
            "assigned_technician",
            "remake_of",
            "remake_reason",
            "remake_responsibility",
            "late",
            "items",
            "total",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=2))
    def get_total(self, case) -> str:
        total = sum((item.unit_price * item.quantity for item in case.item_list), Decimal("0.00"))
        return f"{total:.2f}"


class CaseCreateSerializer(serializers.Serializer):
    """POST /api/cases/. A dentist may leave out practice and dentist (their own are used)."""

    practice = serializers.PrimaryKeyRelatedField(queryset=Practice.objects.all(), required=False)
    dentist = serializers.PrimaryKeyRelatedField(queryset=User.objects.dentists(), required=False)
    patient_name = serializers.CharField(max_length=120, help_text="Name or chart reference; keep it minimal.")
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    due_date = serializers.DateField(required=False, allow_null=True)
    pan_number = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    shade = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    instructions = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    items = CaseItemSerializer(many=True, allow_empty=False)
    submit = serializers.BooleanField(
        default=False, help_text="Send to the lab now (status submitted) instead of saving a draft."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only what the caller may see is a choice: another practice (or its dentist) gets the
        # same 400 "invalid pk" as one that does not exist, so existence never leaks.
        request = self.context.get("request")
        user = request.user if request is not None else None
        self.fields["practice"].queryset = Practice.objects.visible_to(user)
        self.fields["dentist"].queryset = User.objects.visible_to(user).dentists()

    def validate_shade(self, value):
        try:
            return normalize_shade(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def validate(self, attrs):
        user = self.context["request"].user
        if is_dentist(user):
            attrs.setdefault("practice", user.practice)
            attrs.setdefault("dentist", user)
        else:
            errors = {}
            if "practice" not in attrs:
                errors["practice"] = ["Choose the practice."]
            if "dentist" not in attrs:
                errors["dentist"] = ["Choose the dentist."]
            if errors:
                raise serializers.ValidationError(errors)
        return attrs


class CaseUpdateSerializer(serializers.Serializer):
    """PATCH /api/cases/{id}/: Rx fields, and (lab staff) the assigned technician. Status moves
    go through /transition/; items are fixed once the case exists."""

    patient_name = serializers.CharField(max_length=120)
    priority = serializers.ChoiceField(choices=Priority.choices)
    due_date = serializers.DateField(allow_null=True)
    pan_number = serializers.CharField(max_length=20, allow_blank=True)
    shade = serializers.CharField(max_length=60, allow_blank=True)
    instructions = serializers.CharField(allow_blank=True, max_length=5000)
    tracking_number = serializers.CharField(max_length=60, allow_blank=True)
    assigned_technician = serializers.PrimaryKeyRelatedField(queryset=User.objects.technicians(), allow_null=True)

    WRITABLE = (*EDITABLE_FIELDS, "assigned_technician")

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            unknown = sorted(set(data.keys()) - set(self.WRITABLE))
            if unknown:
                raise serializers.ValidationError(
                    {
                        name: [
                            "Change the status with POST /api/cases/{id}/transition/."
                            if name == "status"
                            else "This field cannot be changed here."
                        ]
                        for name in unknown
                    }
                )
        return super().to_internal_value(data)

    def validate_patient_name(self, value):
        if not value.strip():
            raise serializers.ValidationError("Enter the patient's name or chart reference.")
        return value.strip()

    def validate_shade(self, value):
        try:
            return normalize_shade(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Status.choices, help_text="The status to move to.")
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=5000, help_text="Required for some moves (a reason)."
    )


class NoteSerializer(serializers.ModelSerializer):
    author = RefSerializer(source="actor", read_only=True, allow_null=True)
    internal = serializers.BooleanField(default=False, help_text="Lab only; dentists never see internal notes.")

    class Meta:
        model = TimelineEvent
        fields = ["id", "body", "internal", "author", "created_at"]
        read_only_fields = ["id", "author", "created_at"]
        extra_kwargs = {"body": {"max_length": 5000, "allow_blank": False, "required": True}}


class EventSerializer(serializers.ModelSerializer):
    actor = RefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = TimelineEvent
        fields = ["id", "kind", "actor", "from_status", "to_status", "body", "internal", "data", "created_at"]
        read_only_fields = fields


class ProductSerializer(PriceHidingMixin, serializers.ModelSerializer):
    price_fields = ("price",)

    class Meta:
        model = Product
        fields = [
            "id",
            "code",
            "name",
            "category",
            "unit",
            "default_material",
            "price",
            "turnaround_days",
            "active",
        ]
        read_only_fields = fields


class PracticeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Practice
        fields = ["id", "name", "address", "phone", "email", "account_number", "transit_days", "active"]
        read_only_fields = fields


MAX_ID = 2**63 - 1  # ids are PostgreSQL bigints: a bigger number is no id (and must not reach SQL)


class ScheduleQuerySerializer(serializers.Serializer):
    """GET /api/schedule/ query: which products, for which practice, received when."""

    products = serializers.CharField(help_text="Comma-separated product ids, e.g. 3,7.")
    practice = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="The practice (its transit days count). A dentist's own when left out.",
    )
    received = serializers.DateField(required=False, help_text="YYYY-MM-DD; today (the lab's) when left out.")

    def validate_products(self, value):
        parts = [part.strip() for part in value.split(",") if part.strip()]
        if not parts:
            raise serializers.ValidationError("Give at least one product id.")
        if not all(part.isdigit() for part in parts):
            raise serializers.ValidationError("Product ids are numbers separated by commas, e.g. 3,7.")
        if len(parts) > 50:
            raise serializers.ValidationError("At most 50 products.")
        if any(len(part) > 18 or int(part) > MAX_ID for part in parts):
            raise serializers.ValidationError("No such product.")
        return sorted({int(part) for part in parts})


class ScheduleSerializer(serializers.Serializer):
    due_date = serializers.DateField(help_text="Received + the longest turnaround + transit, in working days.")
    ship_by = serializers.DateField(help_text="The due date less the practice's transit days, in working days.")
