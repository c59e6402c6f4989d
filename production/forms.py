"""Forms of the production pages. They only parse; the services check every rule and their
refusals are shown next to the field they name."""

from django import forms

from accounts.models import User
from cases.models import ProductCategory
from dentallab.forms import StyledFormMixin
from production.models import Department, Stage


class DepartmentForm(StyledFormMixin, forms.Form):
    name = forms.CharField(max_length=60)
    daily_capacity = forms.IntegerField(
        label="Daily capacity (units)", help_text="Teeth, arches or cases a working day."
    )
    position = forms.IntegerField(label="Column order", required=False, min_value=0, max_value=999)
    technicians = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["technicians"].queryset = User.objects.technicians().order_by("name")
        self.fields["technicians"].widget.attrs["class"] = "list-unstyled"


class RoutingRowForm(StyledFormMixin, forms.Form):
    department = forms.ModelChoiceField(queryset=Department.objects.none(), required=False)
    name = forms.CharField(max_length=80, required=False, label="Step")
    stage = forms.ChoiceField(choices=Stage.choices, initial=Stage.PRODUCTION)
    needs_approval = forms.BooleanField(required=False, label="Dentist approves after this step")

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments if departments is not None else Department.objects.all()

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("department"):
            self.add_error("department", "Choose the department that does this step.")
        if data.get("department") and not (data.get("name") or "").strip():
            self.add_error("name", "Name the step.")
        return data


RoutingFormSet = forms.formset_factory(RoutingRowForm, extra=3, max_num=30)


class QCItemForm(StyledFormMixin, forms.Form):
    category = forms.ChoiceField(choices=ProductCategory.choices)
    label = forms.CharField(max_length=120, label="Item")


class ScanForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        max_length=300,
        label="Scan a ticket or type a case number",
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "spellcheck": "false"}),
    )
