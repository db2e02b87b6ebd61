from collections import Counter

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .summary import complete_counts, positions_sentence
from .uploads import response_document_upload_to, validate_response_document


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Campaigns the user belongs to; superusers see every campaign."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(memberships__user=user)


class Campaign(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def role_of(self, user):
        """The user's Membership.Role here, or None; superusers act as owners."""
        if user.is_superuser:
            return Membership.Role.OWNER
        membership = self.memberships.filter(user=user).first()
        return membership.role if membership else None

    def can_edit(self, user):
        return self.role_of(user) in Membership.EDITING_ROLES


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        EDITOR = "editor", _("Editor")
        VIEWER = "viewer", _("Viewer")

    # Roles that may change letters and signers.
    EDITING_ROLES = {Role.OWNER, Role.EDITOR}

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="campaign_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="membership_one_per_user"),
            models.CheckConstraint(
                condition=Q(role__in=["owner", "editor", "viewer"]), name="membership_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}) in {self.campaign}"


class OutgoingEmail(models.Model):
    """One message to send. A task claims the row, so a task delivered twice sends once."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    to = models.EmailField()
    subject = models.CharField(max_length=300)
    text = models.TextField()
    html = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sent", "failed"]), name="outgoing_email_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.subject} to {self.to}"


class Response(models.Model):
    """What the target answered to a sent letter; its AskPosition rows say where it stood on each ask."""

    letter = models.ForeignKey("letters.Letter", on_delete=models.CASCADE, related_name="responses")
    received_on = models.DateField(_("received on"))
    from_whom = models.CharField(
        _("from whom"), max_length=300, blank=True, help_text=_('e.g. "ICE" or "Acting Director Lechleitner"')
    )
    document = models.FileField(
        _("document"),
        upload_to=response_document_upload_to,
        validators=[validate_response_document],
        blank=True,
        help_text=_("PDF, Word or an image (PNG, JPEG), at most 10 MB."),
    )
    link = models.URLField(_("link"), max_length=500, blank=True)
    summary = models.TextField(_("summary"), blank=True, max_length=10000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            # A response is on record somewhere: the document, where to read it, or what it said.
            models.CheckConstraint(
                condition=~Q(document="") | ~Q(link="") | ~Q(summary=""),
                name="response_has_content",
                violation_error_message=_("Upload the response, link to it, or summarize it."),
            ),
        ]

    def __str__(self):
        return f"Response to {self.letter} on {self.received_on}"

    def position_counts(self, ask_count=None):
        """{position: count} over the letter's asks; an ask with no recorded position has no response."""
        counts = Counter(position.position for position in self.positions.all())
        return complete_counts(counts, ask_count if ask_count is not None else self.letter.asks.count())

    def position_summary(self, subject=None):
        """The counts as one sentence, like "ICE concurred with four of the 26 asks, …"."""
        return positions_sentence(self.position_counts(), subject=subject or self.from_whom)


class AskPosition(models.Model):
    class Position(models.TextChoices):
        CONCURRED = "concurred", _("Concurred")
        PARTIALLY_CONCURRED = "partially_concurred", _("Partially concurred")
        NON_CONCURRED = "non_concurred", _("Non-concurred")
        NO_RESPONSE = "no_response", _("No response")

    # The ask must be one of the response's letter's asks: checked by services.response_record, since
    # a constraint across two foreign keys' letters is not something the database can state here.
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="positions")
    ask = models.ForeignKey("letters.Ask", on_delete=models.CASCADE, related_name="positions")
    position = models.CharField(
        _("position"), max_length=20, choices=Position.choices, default=Position.NO_RESPONSE
    )
    notes = models.TextField(_("notes"), blank=True, max_length=5000)

    class Meta:
        ordering = ["ask__position", "ask_id"]
        constraints = [
            models.UniqueConstraint(fields=["response", "ask"], name="ask_position_one_per_ask"),
            models.CheckConstraint(
                condition=Q(
                    position__in=["concurred", "partially_concurred", "non_concurred", "no_response"]
                ),
                name="ask_position_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_position_display()}: {self.ask}"


class FollowUp(models.Model):
    """A letter started from an earlier one: it cites it and repeats its asks."""

    original = models.ForeignKey("letters.Letter", on_delete=models.CASCADE, related_name="follow_ups")
    follow_up = models.OneToOneField("letters.Letter", on_delete=models.CASCADE, related_name="follows")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(original=F("follow_up")), name="follow_up_not_itself"),
        ]

    def __str__(self):
        return f"{self.follow_up} follows {self.original}"


class FollowUpInvitation(models.Model):
    """An earlier signer asked to sign the follow-up; the row is claimed by the task that emails it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="invitations")
    signature = models.ForeignKey("signatories.Signature", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            # Each earlier signer is invited once per follow-up, however often the button is pressed.
            models.UniqueConstraint(fields=["follow_up", "signature"], name="follow_up_invitation_once"),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sent"]), name="follow_up_invitation_status_valid"
            ),
        ]

    def __str__(self):
        return f"Invitation of {self.signature_id} to {self.follow_up}"


class SentNotice(models.Model):
    """A listed signer told that the letter went out, with a link to the PDF that was sent."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")

    letter = models.ForeignKey("letters.Letter", on_delete=models.CASCADE, related_name="+")
    signature = models.ForeignKey("signatories.Signature", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            # Told once, however many deliveries are recorded (by email, then by hand, say).
            models.UniqueConstraint(fields=["letter", "signature"], name="sent_notice_once"),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sent"]), name="sent_notice_status_valid"
            ),
        ]

    def __str__(self):
        return f"Notice to {self.signature_id} that {self.letter_id} was sent"
