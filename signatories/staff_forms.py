"""Forms of the staff signature pages: filters, renaming, adding by hand, importing a CSV file."""

import copy

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import csv_import
from .choices import US_STATES, Scope
from .forms import OPTIONAL, IndividualSignForm, OrganizationSignForm
from .models import Signature


def _any(choices):
    return [("", _("Any"))] + list(choices)


class SignatureFilterForm(forms.Form):
    """The table's filters, read from the query string."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_any(Signature.Status.choices))
    kind = forms.ChoiceField(label=_("Signing as"), required=False, choices=_any(Signature.Kind.choices))
    scope = forms.ChoiceField(label=_("Scope"), required=False, choices=_any(Scope.choices))
    state = forms.ChoiceField(label=_("State"), required=False, choices=_any(US_STATES))

    def filter(self, signatures):
        """The signatures matching the valid filters; call is_valid() first."""
        data = self.cleaned_data
        for name in ["status", "kind", "scope", "state"]:
            if data.get(name):
                signatures = signatures.filter(**{name: data[name]})
        if data.get("q"):
            q = data["q"]
            signatures = signatures.filter(
                Q(name__icontains=q)
                | Q(contact_name__icontains=q)
                | Q(email__icontains=q)
                | Q(city__icontains=q)
            )
        return signatures


class RenameForm(forms.Form):
    name = forms.CharField(label=_("Name as listed"), max_length=300)

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())


class StaffSignFormMixin:
    """The sign-on form as staff fill it in: every detail field, none of the signer's declarations."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, editing=True, **kwargs)
        # Staff may record any detail they have, whatever the public form of this letter asks.
        for name in (OPTIONAL & set(self._meta.fields)) - set(self.fields):
            self.fields[name] = copy.deepcopy(self.base_fields[name])
        self.order_fields(self._meta.fields)
        for name in ["contact_name", "email"]:
            if name in self.fields:
                self.fields[name].required = False


class StaffOrganizationForm(StaffSignFormMixin, OrganizationSignForm):
    pass


class StaffIndividualForm(StaffSignFormMixin, IndividualSignForm):
    pass


def staff_sign_form_class(kind):
    return StaffIndividualForm if kind == Signature.Kind.INDIVIDUAL else StaffOrganizationForm


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8 or Windows encoding, comma, semicolon or tab separated; up to 2 MB and 5,000 rows."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > csv_import.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB; split it into smaller files."))
        try:
            self.table = csv_import.read_table(upload.read())
        except csv_import.CSVImportError as error:
            raise forms.ValidationError(str(error)) from error
        return upload


class ColumnMappingForm(forms.Form):
    """For each signature field, the column of the file that fills it."""

    upload = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, header, **kwargs):
        super().__init__(*args, **kwargs)
        columns = [("", "—")] + [(str(index), label) for index, label in enumerate(header)]
        for name, (label, _aliases) in csv_import.FIELDS.items():
            self.fields[name] = forms.ChoiceField(label=label, choices=columns, required=name == "name")
        self.fields["name"].error_messages["required"] = _("Choose the column with the signers' names.")

    def mapping(self):
        """{field: column index} for the mapped fields; call is_valid() first."""
        return {
            name: int(self.cleaned_data[name]) for name in csv_import.FIELDS if self.cleaned_data.get(name)
        }


class SignerPasteForm(forms.Form):
    names = forms.CharField(
        label=_("Signers, one per line"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=200_000,
        help_text=_("Names already on the letter are skipped."),
    )

    def clean_names(self):
        names = [" ".join(line.split()) for line in self.cleaned_data["names"].splitlines()]
        names = [name for name in names if name]
        too_long = [name for name in names if len(name) > 300]
        if too_long:
            raise forms.ValidationError(
                _("Names are limited to 300 characters: %(name)s…"), params={"name": too_long[0][:40]}
            )
        if not names:
            raise forms.ValidationError(_("Enter at least one name."))
        return names
