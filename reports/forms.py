from django import forms

from reports import selectors


class ReportFilterForm(forms.Form):
    """The filters above the reports page. The rules (dates, scope) are reports.selectors'; this
    form only draws the fields and shows their errors next to them."""

    from_ = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    practice = forms.TypedChoiceField(label="Practice", required=False, coerce=int, empty_value=None)
    category = forms.ChoiceField(label="Product category", required=False)
    technician = forms.TypedChoiceField(label="Technician", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = self.fields.pop("from_")
        self.order_fields(["from", "to", "practice", "category", "technician"])
        choices = selectors.filter_choices(user)
        self.fields["practice"].choices = [("", "All practices"), *choices["practices"]]
        self.fields["category"].choices = [("", "All categories"), *choices["categories"]]
        self.fields["technician"].choices = [("", "All technicians"), *choices["technicians"]]
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            )
