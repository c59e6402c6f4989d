from django import forms

from dentallab.forms import StyledFormMixin


class ClosedDayForm(StyledFormMixin, forms.Form):
    """Date and reason; the rules (not past, not twice, a reason) are workcalendar.services'."""

    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    reason = forms.CharField(
        required=False,
        max_length=1000,  # the service says how long a reason may be
        help_text="E.g. stocktaking, staff training, a local holiday.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
