"""Materials, lots, what each case item was made from, and the statements of manufacture
(DESIGN §15). Materials and lots are lab data (`LabOnlyQuerySet`: dentists see none of them); a
case's usages and statements belong to its practice (`PracticeScopedQuerySet`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.policy import LabOnlyQuerySet, PracticeScopedQuerySet


class MaterialCategory(models.TextChoices):
    CERAMIC = "ceramic", "Ceramic (zirconia, lithium disilicate, porcelain)"
    ALLOY = "alloy", "Metal alloy"
    TITANIUM = "titanium", "Titanium and implant components"
    POLYMER = "polymer", "Polymer / resin (PMMA, acrylic, composite)"
    TEETH = "teeth", "Prefabricated teeth"
    OTHER = "other", "Other"


class Material(models.Model):
    """A material the lab makes devices from, as its manufacturer sells it. The three flags are the
    composition questions of MDR Annex XIII §1 that the statement of manufacture answers."""

    name = models.CharField(max_length=150)
    manufacturer = models.CharField(max_length=150, blank=True)
    gtin = models.CharField(
        "GTIN",
        max_length=14,
        blank=True,
        help_text="The GS1 trade item number on the packaging, stored as 14 digits (check digit verified).",
    )
    category = models.CharField(max_length=20, choices=MaterialCategory.choices, default=MaterialCategory.OTHER)
    country_of_origin = models.CharField(
        max_length=80, blank=True, help_text="Where the material is made (printed on US/UK material disclosures)."
    )
    contains_medicinal_substance = models.BooleanField(default=False)
    contains_blood_derivative = models.BooleanField("contains a human blood or plasma derivative", default=False)
    contains_tissues_or_cells = models.BooleanField(
        "contains tissues or cells of human or animal origin (or their derivatives)", default=False
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LabOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["gtin"], condition=~Q(gtin=""), name="material_gtin_unique"),
            models.CheckConstraint(condition=Q(gtin="") | Q(gtin__regex=r"^[0-9]{14}$"), name="material_gtin_14"),
        ]

    def __str__(self):
        return f"{self.name} ({self.manufacturer})" if self.manufacturer else self.name


class LotStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    QUARANTINED = "quarantined", "Quarantined"
    USED_UP = "used_up", "Used up"


class Lot(models.Model):
    """One delivery of a material, as its lot (batch) number identifies it. A quarantined lot may
    not be used, and every open case that used it is flagged."""

    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="lots")
    lot_number = models.CharField(max_length=40)
    expires_on = models.DateField(null=True, blank=True)
    received_on = models.DateField(null=True, blank=True)
    supplier = models.CharField(max_length=150, blank=True)
    certificate = models.FileField(
        upload_to="lots/certificates/", blank=True, help_text="Certificate of analysis / conformity (private)."
    )
    status = models.CharField(max_length=20, choices=LotStatus.choices, default=LotStatus.ACTIVE)
    status_reason = models.CharField(max_length=300, blank=True, help_text="Why the lot is quarantined.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = LabOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["material__name", "expires_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["material", "lot_number"], name="lot_material_number_unique"),
        ]
        indexes = [models.Index(fields=["status"], name="lot_status")]

    def __str__(self):
        return f"{self.material.name} · lot {self.lot_number}"

    def is_expired_on(self, day) -> bool:
        """Expired on `day`: the expiry date is the last day it may be used."""
        return self.expires_on is not None and self.expires_on < day


class LotUsage(models.Model):
    """A lot used to make one item of a case. The case is kept even if the item is later replaced
    (an Rx edit replaces the lines), so a recall never loses a patient; the product and teeth are
    copied for the same reason."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="lot_usages")
    item = models.ForeignKey("cases.CaseItem", on_delete=models.SET_NULL, null=True, related_name="lot_usages")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="usages")
    product_name = models.CharField(max_length=120)
    teeth = models.JSONField(default=list)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    practice_lookup = "case__practice_id"
    objects = PracticeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "lot"], condition=Q(item__isnull=False), name="lotusage_item_lot_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["lot", "case"], name="lotusage_lot_case"),
            models.Index(fields=["case", "item"], name="lotusage_case_item"),
        ]

    def __str__(self):
        return f"{self.case_id} item {self.item_id} ← lot {self.lot_id}"


class CaseDeclaration(models.Model):
    """What the lab declares about a case beyond its items: the Annex I general safety and
    performance requirements not fully met, and why (empty: all met)."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="declaration")
    annex_i_deviations = models.TextField(
        "Annex I requirements not fully met",
        blank=True,
        help_text="Name each requirement not fully met and why. Leave empty when the device meets all of them.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    practice_lookup = "case__practice_id"
    objects = PracticeScopedQuerySet.as_manager()

    def __str__(self):
        return f"Declaration for case {self.case_id}"


class StatementQuerySet(PracticeScopedQuerySet):
    def current_for(self, case):
        return self.filter(case=case).order_by("-version").first()


class Statement(models.Model):
    """One version of a case's statement of manufacture. The PDF is a case file (kind `document`,
    marked `retained`) that is never rewritten or deleted: a correction makes the next version and
    the earlier ones stay. `retain_until` is at least 10 years after issue (15 for implantable
    devices, MDR Annex XIII §4)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="statements")
    version = models.PositiveIntegerField()
    file = models.OneToOneField("files.CaseFile", on_delete=models.PROTECT, related_name="statement")
    sha256 = models.CharField(max_length=64)
    region = models.CharField(max_length=2)
    reason = models.CharField(max_length=300, blank=True, help_text="Why this version replaced the previous one.")
    retain_until = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    practice_lookup = "case__practice_id"
    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["case", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="statement_case_version_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name="statement_version_positive"),
        ]

    def __str__(self):
        return f"Statement {self.case_id} v{self.version}"
