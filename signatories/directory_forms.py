from django import forms
from django.utils.translation import gettext_lazy as _


class OrganizationPairForm(forms.Form):
    """Two directory organizations the user may edit; ids come from the page, so they are checked here."""

    first = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    second = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organizations = organizations

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        found = self.organizations.in_bulk([cleaned["first"], cleaned["second"]])
        if len(found) != 2 or cleaned["first"] == cleaned["second"]:
            raise forms.ValidationError(
                _(
                    "Choose two different organizations you can edit. An organization that also signed "
                    "letters of campaigns you cannot edit can only be merged by a site administrator."
                )
            )
        cleaned["first"], cleaned["second"] = found[cleaned["first"]], found[cleaned["second"]]
        return cleaned


class MergeForm(OrganizationPairForm):
    """Merge `second` into `first`, under the name staff choose."""

    display_name = forms.CharField(label=_("Name to display"), max_length=300)

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(_("Choose the name to display."))
        return name
