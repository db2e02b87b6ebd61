"""Invitation links: an earlier signer opens the follow-up's sign-on form with their details filled in."""

from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.urls import reverse

from signatories.models import Signature

from .models import FollowUpInvitation

SALT = "campaigns.follow_up_invitation"
MAX_AGE = 30 * 24 * 3600  # a follow-up's sign-on rarely runs longer than a month

# The earlier signature's details the form starts with.
PREFILL_FIELDS = [
    "name", "contact_name", "title", "email", "city", "state", "scope", "website", "affiliation", "kind",
]  # fmt: skip


def make_token(invitation):
    letter = invitation.follow_up.follow_up
    return signing.dumps({"s": invitation.signature_id, "l": str(letter.public_id)}, salt=SALT)


def invitation_link(invitation):
    """The follow-up's public sign-on page with the invitation token (and the signer's kind)."""
    query = {"invite": make_token(invitation)}
    if invitation.signature.kind == Signature.Kind.INDIVIDUAL:
        query["as"] = Signature.Kind.INDIVIDUAL
    path = reverse("signatories:sign", args=[invitation.follow_up.follow_up.public_id])
    return f"{settings.SITE_URL}{path}?{urlencode(query)}"


def prefill(token, letter):
    """Initial form data for a valid invitation to this letter; {} for anything else, silently.

    A tampered, expired or foreign link shows the plain form: the page says nothing about why."""
    if not token:
        return {}
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return {}
    if not isinstance(data, dict) or data.get("l") != str(letter.public_id):
        return {}
    invitation = (
        FollowUpInvitation.objects.select_related("signature")
        .filter(signature_id=data.get("s"), follow_up__follow_up=letter)
        .first()
    )
    if invitation is None:
        return {}
    signature = invitation.signature
    return {name: getattr(signature, name) for name in PREFILL_FIELDS if getattr(signature, name)}
