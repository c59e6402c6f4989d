from django import forms

from dentallab.forms import StyledFormMixin
from shipping import selectors
from shipping.models import Pickup


class ShipForm(StyledFormMixin, forms.Form):
    """Courier, tracking and which of the practice's QC-passed cases go in the box. The rules
    (one practice, QC passed, tracking number) are shipping.services.ship_cases'."""

    courier = forms.ModelChoiceField(queryset=None, empty_label=None)
    tracking_number = forms.CharField(
        required=False,
        strip=False,
        max_length=1000,  # the service says how long a tracking number may be
        help_text="As printed on the label. Not needed for the lab's own driver.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    cases = forms.ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        label="Cases in this shipment",
        error_messages={"required": "Choose at least one case to ship."},
    )

    def __init__(self, *args, user, practice, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["courier"].queryset = selectors.couriers_for(user)
        self.fields["cases"].queryset = selectors.qc_passed_cases(user, practice)
        self.fields["cases"].widget.attrs["class"] = "form-check-input"
        self.fields["cases"].label_from_instance = lambda case: (
            f"{case.number} · {case.patient_name}" + (f" · pan {case.pan_number}" if case.pan_number else "")
        )


class PickupForm(StyledFormMixin, forms.ModelForm):
    """Date, window and a note; lab staff also choose the practice."""

    practice = forms.ModelChoiceField(queryset=None, required=False)

    class Meta:
        model = Pickup
        fields = ["practice", "date", "window_start", "window_end", "note"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "window_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "window_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "note": forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
        }
        labels = {"window_start": "From", "window_end": "Until", "note": "Note for the driver"}

    def __init__(self, *args, practices, ask_practice: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if ask_practice:
            self.fields["practice"].queryset = practices
            self.fields["practice"].required = True
        else:
            del self.fields["practice"]

    def _post_clean(self):
        """The service validates the rules (and the model's constraint would refuse twice)."""
