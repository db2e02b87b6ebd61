from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from signatories.choices import OPTIONAL_SIGN_FIELDS
from signatories.matching import normalize_name
from signatories.models import Signature
from signatories.services import relink_signature

from .models import Ask, CarbonCopy, Contact, Letter, Recipient
from .richtext import sanitize_html


class RichTextWidget(forms.Textarea):
    """A textarea that static/js/richtext.js turns into a small editor (plain textarea without JS)."""

    def __init__(self, attrs=None):
        super().__init__({"class": "js-richtext", "rows": 14, **(attrs or {})})


class LetterCreateForm(forms.ModelForm):
    class Meta:
        model = Letter
        fields = ["title"]


class LetterForm(forms.ModelForm):
    sign_fields = forms.MultipleChoiceField(
        label=_("Optional fields on the sign-on form"),
        choices=OPTIONAL_SIGN_FIELDS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Letter
        fields = [
            "title", "date", "delivery_line", "subject", "salutation",
            "body", "closing", "joined_by_heading",
            "deadline", "requires_approval", "allow_individuals", "sign_fields",
            "letterhead", "page_size", "signer_order", "show_count_line",
        ]  # fmt: skip
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "deadline": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "body": RichTextWidget(),
            "letterhead": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # PDF settings left out of a submission (older clients, scripts) keep their current value.
        for name in ("page_size", "signer_order"):
            if name in self.fields:  # subclasses (letters/interchange.py) may leave them out
                self.fields[name].required = False

    def clean_body(self):
        return sanitize_html(self.cleaned_data["body"])

    def clean_page_size(self):
        return self.cleaned_data["page_size"] or self.instance.page_size

    def clean_signer_order(self):
        return self.cleaned_data["signer_order"] or self.instance.signer_order


class OrderedPartForm(forms.ModelForm):
    def has_changed(self):
        # A new row whose only change is its Order number (set when rows are moved) is still empty.
        return any(name != "ORDER" for name in self.changed_data)


class OrderedPartFormSet(forms.BaseInlineFormSet):
    """Inline formset whose rows can be added, removed and reordered (ORDER field)."""

    ordering_widget = forms.NumberInput(attrs={"class": "js-order", "min": 0})

    def save_in_order(self, letter):
        for obj in self.deleted_objects_to_remove():
            obj.delete()
        for position, form in enumerate(self.ordered_forms):
            form.instance.letter = letter
            form.instance.position = position
            form.instance.save()

    def deleted_objects_to_remove(self):
        return [form.instance for form in self.deleted_forms if form.instance.pk]


def _ordered_formset(model, fields, widgets=None):
    return inlineformset_factory(
        Letter,
        model,
        form=OrderedPartForm,
        formset=OrderedPartFormSet,
        fields=fields,
        widgets=widgets or {},
        extra=0,
        can_delete=True,
        can_order=True,
    )


_lines = {"rows": 3}
RecipientFormSet = _ordered_formset(
    Recipient,
    ["name", "salutation_name", "title_lines", "organization", "address_lines", "email"],
    {"title_lines": forms.Textarea(attrs=_lines), "address_lines": forms.Textarea(attrs=_lines)},
)
AskFormSet = _ordered_formset(Ask, ["title", "text"], {"text": forms.Textarea(attrs=_lines)})
ContactFormSet = _ordered_formset(Contact, ["name", "organization", "email"])
CarbonCopyFormSet = _ordered_formset(
    CarbonCopy,
    ["name", "title_lines", "organization", "email"],
    {"title_lines": forms.Textarea(attrs=_lines)},
)


class LeadOrganizationForm(OrderedPartForm):
    class Meta:
        model = Signature
        fields = ["name"]
        labels = {"name": _("Organization")}


class LeadOrganizationFormSet(OrderedPartFormSet):
    """Lead organizations are signatures marked lead, listed first in their own order."""

    def __init__(self, *args, **kwargs):
        # The inline formset narrows this to the letter's own signatures.
        kwargs.setdefault("queryset", Signature.objects.filter(is_lead=True).order_by("lead_position", "id"))
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data.get("name") and not self._should_delete_form(f)]
        seen = set()
        own_ids = [f.instance.pk for f in self.forms if f.instance.pk]
        others = set(
            self.instance.signatures.filter(
                status__in=Signature.ACTIVE_STATUSES, kind=Signature.Kind.ORGANIZATION
            )
            .exclude(pk__in=own_ids)
            .values_list("normalized_name", flat=True)
        )
        for form in kept:
            normalized = normalize_name(form.cleaned_data["name"])
            if normalized in seen:
                form.add_error("name", _("This organization is already a lead."))
            elif normalized in others:
                message = (
                    _("Another signer already uses this name.")
                    if form.instance.pk
                    else _("This organization has already signed: mark it as a lead on the signatures page.")
                )
                form.add_error("name", message)
            seen.add(normalized)

    def save_in_order(self, letter):
        for signature in self.deleted_objects_to_remove():
            if signature.source == Signature.Source.STAFF:
                signature.delete()
            else:  # someone who signed through the form stays a signer, just not a lead
                signature.is_lead = False
                signature.save(update_fields=["is_lead"])
        for position, form in enumerate(self.ordered_forms):
            signature = form.instance
            if not signature.pk:
                signature.letter = letter
                signature.status = Signature.Status.ACCEPTED
                signature.source = Signature.Source.STAFF
            signature.set_name(signature.name)
            signature.is_lead = True
            signature.lead_position = position
            signature.save()
            relink_signature(signature)


LeadFormSet = inlineformset_factory(
    Letter,
    Signature,
    form=LeadOrganizationForm,
    formset=LeadOrganizationFormSet,
    extra=0,
    can_delete=True,
    can_order=True,
)


class LetterFormSets:
    """The letter's repeated parts, bound and validated together, saved in one transaction."""

    parts = [
        ("recipients", RecipientFormSet, _("Recipients")),
        ("asks", AskFormSet, _("Asks")),
        ("leads", LeadFormSet, _("Lead organizations")),
        ("contacts", ContactFormSet, _("Contacts for questions")),
        ("cc", CarbonCopyFormSet, _("Cc")),
    ]

    def __init__(self, letter, data=None):
        self.formsets = {}
        for prefix, formset_class, label in self.parts:
            formset = formset_class(data, instance=letter, prefix=prefix)
            formset.label = label
            self.formsets[prefix] = formset

    def __iter__(self):
        return iter(self.formsets.values())

    def __getitem__(self, prefix):
        return self.formsets[prefix]

    def is_valid(self):
        return all([formset.is_valid() for formset in self])  # validate every one, for every error

    def save(self, letter):
        for formset in self:
            formset.save_in_order(letter)
