from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from .emails import queue_email
from .models import Campaign, Membership


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["name", "slug", "description"]
        help_texts = {"slug": _("Short name for addresses: letters, numbers and hyphens.")}


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
