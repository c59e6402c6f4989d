"""Page forms: they collect input and show errors next to their fields; the rules are the
services' (a service's AppError names the field, and the view puts it on that field)."""

from django import forms

from accounts.models import Practice
from billing.models import PaymentMethod
from cases.models import BillingUnit, ProductCategory
from dentallab.forms import StyledFormMixin


class DateInput(forms.DateInput):
    input_type = "date"


class PaymentForm(StyledFormMixin, forms.Form):
    practice = forms.ModelChoiceField(queryset=Practice.objects.none())
    amount = forms.CharField(max_length=30, help_text="E.g. 125.50")
    received_on = forms.DateField(label="Received on", widget=DateInput)
    method = forms.ChoiceField(choices=PaymentMethod.choices)
    reference = forms.CharField(max_length=100, required=False, help_text="Cheque number, transfer reference…")
    invoice = forms.IntegerField(
        required=False,
        widget=forms.HiddenInput,
        help_text="Put the whole payment on this invoice (else: the oldest open invoices).",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practice"].queryset = Practice.objects.visible_to(user).order_by("name")


class CreditForm(StyledFormMixin, forms.Form):
    amount = forms.CharField(max_length=30, help_text="At most what is still creditable.")
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ProductPriceForm(StyledFormMixin, forms.Form):
    name = forms.CharField(max_length=120)
    category = forms.ChoiceField(choices=ProductCategory.choices)
    unit = forms.ChoiceField(choices=BillingUnit.choices)
    price = forms.CharField(max_length=30)
    turnaround_days = forms.IntegerField(label="Turnaround (working days)", min_value=1, max_value=120)
    active = forms.BooleanField(label="Offered", required=False)


class ProductCreateForm(ProductPriceForm):
    """A new line of the price list: the edit form's fields plus its code."""

    code = forms.CharField(max_length=20, help_text="Unique, e.g. ZR-CROWN.")
    turnaround_days = forms.IntegerField(label="Turnaround (working days)", min_value=0, max_value=120)
    field_order = ("code", "name", "category", "unit", "price", "turnaround_days", "active")


class PracticeTermsForm(StyledFormMixin, forms.Form):
    discount_percent = forms.DecimalField(label="Discount %", min_value=0, max_value=100, decimal_places=2)
    tax_exempt = forms.BooleanField(label="Tax exempt", required=False)
    payment_terms_days = forms.IntegerField(
        label="Payment terms (days)",
        min_value=0,
        max_value=365,
        required=False,
        help_text="Empty: the lab's default.",
    )


class StatementForm(StyledFormMixin, forms.Form):
    practice = forms.ModelChoiceField(queryset=Practice.objects.none())
    month = forms.CharField(max_length=7, widget=forms.TextInput(attrs={"type": "month"}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practice"].queryset = Practice.objects.visible_to(user).order_by("name")


class ExportForm(StyledFormMixin, forms.Form):
    layout = forms.ChoiceField(choices=[("quickbooks", "QuickBooks Online"), ("xero", "Xero")])
    kind = forms.ChoiceField(
        choices=[("invoices", "Invoices"), ("credit_notes", "Credit notes"), ("payments", "Payments")]
    )
    start = forms.DateField(label="From", widget=DateInput)
    end = forms.DateField(label="To", widget=DateInput)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end comes after the start.")
        return data
