"""Forms of the case pages. They parse and validate input; services do the writing."""

from django import forms
from django.core.exceptions import ValidationError

from accounts.models import Practice, User
from accounts.policy import is_lab_staff
from cases import policy
from cases.models import Priority, Product, RemakeResponsibility
from cases.shades import normalize_shade
from cases.teeth import validate_teeth
from dentallab.compiled import CompiledQuery
from dentallab.forms import StyledFormMixin

SHADE_HELP = "VITA classical (A1–D4) or 3D-Master (e.g. 2M2); anything else as “Other: …”."


class DentistSelect(forms.Select):
    """Each option says its practice (data-practice), so the form's script can show only the
    chosen practice's dentists."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-practice"] = instance.practice_id
        return option


class DentistChoiceField(forms.ModelChoiceField):
    widget = DentistSelect

    def label_from_instance(self, obj):
        return obj.name


class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


class CaseForm(StyledFormMixin, forms.Form):
    """The Rx. Lab staff choose the practice and dentist; a dentist's case is always their own."""

    practice = forms.ModelChoiceField(queryset=Practice.objects.none(), empty_label="Choose a practice…")
    dentist = DentistChoiceField(queryset=User.objects.none(), empty_label="Choose a dentist…")
    patient_name = forms.CharField(
        label="Patient", max_length=120, help_text="Name or chart reference. Initials or a chart number will do."
    )
    pan_number = forms.CharField(label="Pan number", max_length=20, required=False)
    priority = forms.ChoiceField(choices=Priority.choices, initial=Priority.NORMAL)
    due_date = forms.DateField(label="Due date", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    shade = forms.CharField(
        label="Case shade", max_length=60, required=False, help_text=SHADE_HELP, widget=forms.TextInput()
    )
    instructions = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text="Anything the technician should know."
    )

    def __init__(self, *args, user, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.is_dentist or editing:
            # Fixed by who creates the case, and never changed by an edit.
            del self.fields["practice"], self.fields["dentist"]
        else:
            self.fields["practice"].queryset = Practice.objects.visible_to(user).filter(active=True)
            self.fields["dentist"].queryset = (
                User.objects.visible_to(user).dentists().filter(is_active=True).select_related("practice")
            )
        if "dentist" in self.fields:
            self.fields["practice"].widget.attrs["data-practice-select"] = ""
            self.fields["dentist"].widget.attrs["data-dentist-select"] = ""
        self.fields["shade"].widget.attrs.update({"list": "shade-options", "autocomplete": "off"})
        self.fields["due_date"].widget.attrs["data-due-date"] = ""
        self.fields["pan_number"].widget.attrs["autocomplete"] = "off"
        self.fields["patient_name"].widget.attrs["autocomplete"] = "off"

    def clean_shade(self):
        try:
            return normalize_shade(self.cleaned_data.get("shade", ""))
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None

    def clean(self):
        cleaned = super().clean()
        practice, dentist = cleaned.get("practice"), cleaned.get("dentist")
        if practice and dentist and dentist.practice_id != practice.pk:
            self.add_error("dentist", f"{dentist.name} is not a dentist of {practice.name}.")
        return cleaned


class CaseItemForm(StyledFormMixin, forms.Form):
    product = ProductChoiceField(queryset=Product.objects.none(), empty_label="Choose a product…")
    teeth = forms.CharField(
        max_length=200,
        help_text="Pick on the chart, or type FDI numbers such as 11, 21.",
        error_messages={"required": "Choose at least one tooth on the chart."},
    )
    shade = forms.CharField(max_length=60, required=False)
    material = forms.CharField(max_length=80, required=False)
    quantity = forms.IntegerField(min_value=1, max_value=99, initial=1)

    def __init__(self, *args, products=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products if products is not None else Product.objects.filter(active=True)
        self.fields["teeth"].widget.attrs.update({"data-teeth-input": "", "autocomplete": "off"})
        self.fields["product"].widget.attrs["data-product-select"] = ""
        self.fields["shade"].widget.attrs.update(
            {"list": "shade-options", "autocomplete": "off", "placeholder": "As the case"}
        )
        self.fields["material"].widget.attrs["placeholder"] = "Product's default"
        self.fields["quantity"].widget.attrs["inputmode"] = "numeric"
        # The quantity follows the teeth (cases.units); only per-case products take this number.
        self.fields["quantity"].widget.attrs["title"] = "Per-tooth and per-arch products count their teeth."

    def clean_teeth(self):
        try:
            return validate_teeth(self.cleaned_data.get("teeth", ""))
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None

    def clean_shade(self):
        try:
            return normalize_shade(self.cleaned_data.get("shade", ""))
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None


class BaseCaseItemFormSet(forms.BaseFormSet):
    default_error_messages = {"too_many_forms": "A case has at most %(num)d items."}

    def __init__(self, *args, products=None, **kwargs):
        self.products = products
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "products": self.products}

    def clean(self):
        super().clean()
        kept = [form for form in self.forms if not self._should_delete_form(form)]
        if not self.active_forms() and not any(form.errors for form in kept):
            raise ValidationError("Add at least one item.", code="too_few_forms")

    def active_forms(self):
        return [form for form in self.forms if form.cleaned_data and not self._should_delete_form(form)]


CaseItemFormSet = forms.formset_factory(
    CaseItemForm,
    formset=BaseCaseItemFormSet,
    extra=0,
    min_num=1,  # the first line is required (its fields say so); clean() covers "all removed"
    max_num=30,
    validate_max=True,
    can_delete=True,
)


class MoveForm(forms.Form):
    to = forms.CharField(max_length=30)
    note = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(StyledFormMixin, forms.Form):
    body = forms.CharField(
        label="Note", max_length=5000, widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Write a note…"})
    )
    internal = forms.BooleanField(
        label="Internal (lab only)", required=False, help_text="Dentists never see internal notes."
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not policy.can_write_internal_notes(user):
            del self.fields["internal"]


class PersonChoiceField(forms.ModelChoiceField):
    """People by their full name (User.__str__ adds the e-mail, which cut names in narrow selects)."""

    def label_from_instance(self, obj):
        return obj.name


_TECHNICIANS = CompiledQuery(lambda variant: User.objects.technicians().only("id", "name"))


class AssignForm(StyledFormMixin, forms.Form):
    technician = PersonChoiceField(queryset=User.objects.none(), required=False, empty_label="Unassigned")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The menu reads its options through a compiled query; the queryset that checks a posted
        # technician is only built when something is posted.
        self.fields["technician"].queryset = User.objects.technicians() if self.is_bound else User.objects.none()
        self.fields["technician"].menu_rows = _TECHNICIANS.list


class RemakeForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label="Reason for the remake",
        max_length=5000,
        error_messages={"required": "Say why the case is being remade."},
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "e.g. Margin open on 21, contact too light"}),
    )
    responsibility = forms.ChoiceField(
        label="Whose responsibility",
        choices=[("", "Choose…"), *RemakeResponsibility.choices],
        error_messages={"required": "Say whose responsibility the remake is."},
        help_text="The lab's remakes are credited to the practice in full.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_lab_staff(user):
            del self.fields["responsibility"]  # the lab decides whose fault it was
