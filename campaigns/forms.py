from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from letters.models import Delivery, Rendering

from .emails import queue_email
from .models import AskPosition, Campaign, Membership, Response


class CampaignForm(forms.ModelForm):
    # Addresses under /campaigns/ that are pages of their own.
    RESERVED_SLUGS = {"new"}

    class Meta:
        model = Campaign
        fields = ["name", "slug", "description"]
        help_texts = {"slug": _("Short name for addresses: letters, numbers and hyphens.")}

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in self.RESERVED_SLUGS:
            raise forms.ValidationError(_("This short name is taken by the site; choose another."))
        return slug


class MembershipForm(forms.Form):
    email = forms.EmailField(label=_("Staff member's email"))
    role = forms.ChoiceField(choices=Membership.Role.choices, initial=Membership.Role.EDITOR)

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active staff account uses this address."))
        self.cleaned_data["user"] = user
        return email


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the email sent by a Celery task instead of in the request."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        context = {key: value for key, value in context.items() if key != "user"}
        queue_email(to=to_email, template="password_reset", context=context)


class ResponseForm(forms.ModelForm):
    link = forms.URLField(
        label=_("Link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Where the response is published, if it is."),
    )

    class Meta:
        model = Response
        fields = ["received_on", "from_whom", "document", "link", "summary"]
        widgets = {
            "received_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "document": forms.ClearableFileInput(attrs={"accept": ".pdf,.doc,.docx,.png,.jpg,.jpeg"}),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def document_change(self):
        """The new upload, False to remove the stored file, or None to keep it as it is."""
        document = self.cleaned_data.get("document")
        return document if document is False or isinstance(document, UploadedFile) else None


class PositionForm(forms.Form):
    position = forms.ChoiceField(
        label=_("Position"),
        choices=AskPosition.Position.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        initial=AskPosition.Position.NO_RESPONSE,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


def position_formset(asks, data=None, *, response=None):
    """One position form per ask of the letter, in the letter's order, prefilled from the response.

    The asks come from the server, paired with the forms by index: a submission cannot name an ask."""
    existing = {p.ask_id: p for p in response.positions.all()} if response and response.pk else {}
    initial = [
        {
            "position": existing[ask.pk].position if ask.pk in existing else AskPosition.Position.NO_RESPONSE,
            "notes": existing[ask.pk].notes if ask.pk in existing else "",
        }
        for ask in asks
    ]
    formset_class = forms.formset_factory(
        PositionForm, extra=0, min_num=len(asks), max_num=len(asks), validate_min=True, validate_max=True
    )
    formset = formset_class(data, initial=initial, prefix="positions")
    for form, ask in zip(formset.forms, asks, strict=False):
        form.ask = ask
    return formset


def formset_positions(formset):
    """[(ask, position, notes)] from a valid position formset."""
    return [(form.ask, form.cleaned_data["position"], form.cleaned_data["notes"]) for form in formset.forms]


class FollowUpForm(forms.Form):
    title = forms.CharField(
        label=_("Title of the follow-up"), max_length=200, help_text=_("For your team; not printed.")
    )


class DeliveryForm(forms.ModelForm):
    class Meta:
        model = Delivery
        fields = ["delivered_on", "method", "to_whom", "rendering", "notes"]
        labels = {"rendering": _("The PDF that was sent")}
        widgets = {
            "delivered_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "to_whom": _('e.g. "Acting Director Lechleitner, by email to his chief of staff"'),
            "notes": _("Anything worth knowing later: a confirmation number, who received it."),
        }

    def __init__(self, *args, letter, **kwargs):
        super().__init__(*args, **kwargs)
        renderings = letter.renderings.filter(status=Rendering.Status.DONE).select_related("version")
        self.fields["rendering"].queryset = renderings
        self.fields["rendering"].empty_label = None
        self.fields["rendering"].label_from_instance = self.rendering_label
        self.fields["to_whom"].required = True
        self.fields["delivered_on"].required = True
        current = Rendering.objects.current_for(letter) or renderings.first()
        self.initial.setdefault("rendering", current.pk if current else None)
        self.initial.setdefault("delivered_on", timezone.localdate())

    @staticmethod
    def rendering_label(rendering):
        version = _("text version %(n)s") % {"n": rendering.version.number} if rendering.version else ""
        signers = ngettext("%(n)s signer", "%(n)s signers", rendering.signer_count)
        pages = ngettext("%(n)s page", "%(n)s pages", rendering.page_count or 0)
        return " · ".join(
            part
            for part in [
                date_format(timezone.localtime(rendering.created_at), "N j, Y H:i"),
                version,
                signers % {"n": rendering.signer_count},
                pages % {"n": rendering.page_count} if rendering.page_count else "",
            ]
            if part
        )
