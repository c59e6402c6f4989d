from django import forms

from dataio.services import KINDS


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="What to import", choices=[(k, k.capitalize()) for k in KINDS])
    file = forms.FileField(label="CSV or XLSX file", help_text="The first row names the columns.")
    sheet = forms.CharField(
        label="Sheet",
        required=False,
        max_length=100,
        help_text="For a spreadsheet with several sheets (default: the first).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("class", "form-select" if name == "kind" else "form-control")
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx,text/csv"


class ConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
