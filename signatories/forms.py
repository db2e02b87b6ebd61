from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import OPTIONAL_SIGN_FIELDS
from .models import Signature

OPTIONAL = {name for name, _label in OPTIONAL_SIGN_FIELDS}


def validate_web_address(website):
    """A website must be a web page: no javascript:, mailto: or file: links on a public list."""
    if website and not website.lower().startswith(("http://", "https://")):
        raise forms.ValidationError(_("Enter a web address starting with http:// or https://."))
    return website


class SignFormBase(forms.ModelForm):
    """The public sign-on form; which optional fields appear is the letter's choice."""

    consent = forms.BooleanField(
        label=_("List my signature publicly on this letter."),
        required=True,
        error_messages={"required": _("We can only add signers who agree to be listed.")},
    )
    # Honeypot: hidden from people by CSS, filled by bots. Named like a field bots love.
    homepage = forms.CharField(required=False, label=_("Leave this empty"), max_length=200)

    def __init__(self, *args, letter, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.letter = letter
        for name in OPTIONAL - set(letter.sign_fields):
            self.fields.pop(name, None)
        if editing:  # the manage page: details only
            for name in ["consent", "authorized", "homepage"]:
                self.fields.pop(name, None)
        for name in ["state", "scope"]:
            if name in self.fields:
                choices = [choice for choice in self.fields[name].choices if choice[0]]
                self.fields[name].choices = [("", _("Choose…")), *choices]
        if "state" in self.fields:
            self.fields["state"].help_text = _("Choose “Outside the US” (last) if it applies.")

    def is_bot(self):
        return bool(self.data.get(self.add_prefix("homepage")))

    def clean_website(self):
        return validate_web_address(self.cleaned_data.get("website", ""))

    def _post_clean(self):
        # The name's normalized form belongs to the model's validation of the unique constraint.
        if self.cleaned_data.get("name"):
            self.instance.set_name(self.cleaned_data["name"])
            self.cleaned_data["name"] = self.instance.name
        super()._post_clean()

    def validate_unique(self):
        # Duplicates are not an error to show here: the service answers them without revealing anything.
        pass


class OrganizationSignForm(SignFormBase):
    website = forms.URLField(label=_("Website"), required=False, max_length=300, assume_scheme="https")
    authorized = forms.BooleanField(
        label=_("I am authorized to sign on behalf of this organization."),
        required=True,
        error_messages={"required": _("Only someone authorized by the organization can sign for it.")},
    )

    class Meta:
        model = Signature
        fields = ["name", "contact_name", "title", "email", "city", "state", "scope", "website"]
        labels = {"name": _("Organization name"), "contact_name": _("Your name"), "title": _("Your title")}
        help_texts = {"name": _("As it should appear on the letter.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.kind = Signature.Kind.ORGANIZATION
        for name in ["contact_name", "email"]:
            self.fields[name].required = True


class IndividualSignForm(SignFormBase):
    class Meta:
        model = Signature
        fields = ["name", "title", "affiliation", "email", "city", "state"]
        labels = {"name": _("Your name"), "title": _("Your title")}
        help_texts = {"affiliation": _("Shown “for identification purposes only”.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.kind = Signature.Kind.INDIVIDUAL
        self.fields["email"].required = True


def sign_form_class(kind):
    return IndividualSignForm if kind == Signature.Kind.INDIVIDUAL else OrganizationSignForm
