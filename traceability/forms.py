"""Page forms: they collect input and show errors next to their fields; the rules are the
services' (a service's AppError names the field, and the view puts it on that field)."""

from django import forms

from accounts.models import LabProfile
from dentallab.forms import StyledFormMixin
from traceability import selectors
from traceability.models import Lot, LotStatus, MaterialCategory


class DateInput(forms.DateInput):
    input_type = "date"


class MaterialForm(StyledFormMixin, forms.Form):
    name = forms.CharField(max_length=150)
    manufacturer = forms.CharField(max_length=150, required=False)
    gtin = forms.CharField(
        label="GTIN",
        max_length=20,
        required=False,
        help_text="8, 12, 13 or 14 digits from the packaging's barcode; the check digit is verified.",
    )
    category = forms.ChoiceField(choices=MaterialCategory.choices)
    country_of_origin = forms.CharField(label="Country of origin", max_length=80, required=False)
    contains_medicinal_substance = forms.BooleanField(label="Contains a medicinal substance", required=False)
    contains_blood_derivative = forms.BooleanField(label="Contains a human blood or plasma derivative", required=False)
    contains_tissues_or_cells = forms.BooleanField(
        label="Contains tissues or cells of human or animal origin", required=False
    )
    active = forms.BooleanField(label="In use", required=False, initial=True)


class LotForm(StyledFormMixin, forms.Form):
    barcode = forms.CharField(
        label="Scan or type the GS1 barcode",
        required=False,
        max_length=200,
        help_text="E.g. (01)04012345678901(10)LOT123(17)271231 — fills the material, lot number and expiry.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
    material = forms.ModelChoiceField(queryset=None, required=False, empty_label="Choose a material…")
    lot_number = forms.CharField(label="Lot number", max_length=60, required=False)
    expires_on = forms.CharField(label="Expiry date", required=False, widget=DateInput)
    received_on = forms.CharField(label="Received on", required=False, widget=DateInput)
    supplier = forms.CharField(max_length=150, required=False)
    certificate = forms.FileField(label="Certificate (PDF, PNG or JPEG)", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["material"].queryset = selectors.materials_for(user, include_inactive=False)


class LotStatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(choices=LotStatus.choices)
    reason = forms.CharField(label="Reason (required to quarantine)", max_length=300, required=False)


class UsageForm(StyledFormMixin, forms.Form):
    item = forms.TypedChoiceField(label="Item", coerce=int)
    lot = forms.ModelChoiceField(label="Lot", queryset=None, required=False, empty_label="Choose a lot…")
    barcode = forms.CharField(
        label="…or scan its GS1 barcode",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, user, case, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        items = items if items is not None else selectors.case_items_with_usages(case)
        self.fields["item"].choices = [
            (item.pk, f"{item.product.name} — teeth {', '.join(map(str, item.teeth)) or '—'}") for item in items
        ]
        # The menu reads its options through a compiled query; the queryset that checks a posted
        # lot is only built when something is posted.
        self.fields["lot"].queryset = selectors.usable_lots(user) if self.is_bound else Lot.objects.none()
        self.fields["lot"].menu_rows = lambda: selectors.usable_lots_list(user)
        self.fields["lot"].label_from_instance = lambda lot: (
            f"{lot.material.name} · {lot.lot_number}" + (f" (exp. {lot.expires_on:%Y-%m-%d})" if lot.expires_on else "")
        )


class DeclarationForm(StyledFormMixin, forms.Form):
    annex_i_deviations = forms.CharField(
        label="Annex I requirements not fully met, and why",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Leave empty when the device meets every requirement. Printed on the statement.",
    )


class RegenerateForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label="What was corrected?", max_length=300)


class LabProfileForm(StyledFormMixin, forms.ModelForm):
    logo_upload = forms.FileField(label="Logo (PNG or JPEG, at most 2 MB)", required=False)
    remove_logo = forms.BooleanField(label="Remove the current logo", required=False)
    website = forms.URLField(required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = LabProfile
        fields = [
            "legal_name",
            "address",
            "manufacturing_sites",
            "phone",
            "email",
            "website",
            "tax_id",
            "eu_srn",
            "uk_mhra_number",
            "us_fda_establishment",
            "authorised_representative",
            "responsible_person",
            "responsible_person_title",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "manufacturing_sites": forms.Textarea(attrs={"rows": 3}),
            "authorised_representative": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"legal_name": "Legal name", "responsible_person_title": "Their title"}
