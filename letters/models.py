import re
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from signatories.choices import DEFAULT_SIGN_FIELDS

from .richtext import sanitize_html
from .uploads import letterhead_upload_to, rendering_upload_to, validate_letterhead

# The one placeholder a letter body may use; nothing else in it is evaluated.
SIGNER_COUNT_PLACEHOLDER = re.compile(r"\{\{\s*signer_count\s*\}\}")


class LetterQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Letters of the campaigns the user can see (Campaign.objects.visible_to)."""
        return self.filter(campaign__in=Campaign.objects.visible_to(user))


def default_sign_fields():
    return list(DEFAULT_SIGN_FIELDS)


class Letter(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for sign-on")
        CLOSED = "closed", _("Closed")
        SENT = "sent", _("Sent")

    class PageSize(models.TextChoices):
        LETTER = "letter", _("US Letter")
        A4 = "a4", _("A4")

    class SignerOrder(models.TextChoices):
        ALPHABETICAL = "alphabetical", _("Alphabetical (ignoring a leading “The”)")
        SIGNING = "signing", _("Order of signing")
        SCOPE = "scope", _("National, then state and local")
        STATE = "state", _("By state")

    # Which status may follow which; anything else is refused.
    TRANSITIONS = {
        Status.DRAFT: {Status.OPEN},
        # Straight to sent: recording a delivery of an open letter closes it by sending it.
        Status.OPEN: {Status.CLOSED, Status.DRAFT, Status.SENT},
        Status.CLOSED: {Status.OPEN, Status.SENT},
        Status.SENT: set(),
    }

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="letters")
    # Public URLs use this, never the integer id, so one letter's URL says nothing of another's.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200, help_text=_("For your team; not printed."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    date = models.DateField(_("date"), null=True, blank=True, help_text=_("May stay blank until sent."))
    delivery_line = models.CharField(
        _("delivery line"), max_length=200, blank=True, help_text=_('e.g. "Delivered via e-mail"')
    )
    subject = models.CharField(_("subject line"), max_length=300, blank=True, help_text=_('e.g. "RE: …"'))
    salutation = models.CharField(
        _("salutation"),
        max_length=500,
        blank=True,
        help_text=_("Leave blank to build it from the recipients' salutation names."),
    )
    body = models.TextField(
        _("body"),
        blank=True,
        help_text=_("{{ signer_count }} is replaced by the live number of signers."),
    )
    closing = models.CharField(_("closing"), max_length=100, blank=True, default="Sincerely,")
    joined_by_heading = models.CharField(
        _("heading before other signers"), max_length=100, blank=True, default="Joined by:"
    )
    # Sign-on settings
    deadline = models.DateTimeField(
        _("sign-on deadline"), null=True, blank=True, help_text=_("Signatures stop at this moment.")
    )
    requires_approval = models.BooleanField(
        _("staff approve each signature"),
        default=False,
        help_text=_("Confirmed signatures wait for approval."),
    )
    allow_individuals = models.BooleanField(_("individuals may sign"), default=False)
    sign_fields = models.JSONField(_("optional fields on the form"), default=default_sign_fields, blank=True)
    # PDF
    letterhead = models.FileField(
        _("letterhead or logo"),
        upload_to=letterhead_upload_to,
        validators=[validate_letterhead],
        blank=True,
        help_text=_("PNG or JPEG, at most 2 MB, printed at the top of the first page."),
    )
    page_size = models.CharField(
        _("page size"), max_length=10, choices=PageSize.choices, default=PageSize.LETTER
    )
    signer_order = models.CharField(
        _("order of signers"), max_length=12, choices=SignerOrder.choices, default=SignerOrder.ALPHABETICAL
    )
    show_count_line = models.BooleanField(
        _("print the number of signers"),
        default=False,
        help_text=_('e.g. "194 organizations and 12 individuals" after the list of signers'),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "open", "closed", "sent"]), name="letter_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(page_size__in=["letter", "a4"]), name="letter_page_size_valid"
            ),
            models.CheckConstraint(
                condition=Q(signer_order__in=["alphabetical", "signing", "scope", "state"]),
                name="letter_signer_order_valid",
            ),
        ]

    def __str__(self):
        return self.title

    def can_change_status_to(self, status):
        return status in self.TRANSITIONS[self.status]

    def deadline_passed(self, now=None):
        return self.deadline is not None and (now or timezone.now()) >= self.deadline

    def is_taking_signatures(self, now=None):
        """Open for sign-on and before the deadline: no one has to close it by hand."""
        return self.status == self.Status.OPEN and not self.deadline_passed(now)

    def status_label(self):
        """The status as people read it: an open letter past its deadline is closed in effect."""
        if self.status == self.Status.OPEN and self.deadline_passed():
            return _("Closed (deadline passed)")
        return self.get_status_display()

    def is_public(self):
        return self.status != self.Status.DRAFT

    def text_snapshot(self):
        """The words signers endorse; a change to any of them after signing makes a new version."""
        return {
            "recipients": [r.name for r in self.recipients.all()],
            "subject": self.subject,
            "salutation": self.salutation_text(),
            "body": self.body,
            "asks": [{"title": a.title, "text": a.text} for a in self.asks.all()],
            "closing": self.closing,
        }

    def current_version(self):
        return self.versions.order_by("-number").first()

    def built_salutation(self):
        """ "Dear A, B, and C:" from the recipients' salutation names."""
        names = [r.salutation_name for r in self.recipients.all() if r.salutation_name]
        if not names:
            return ""
        if len(names) == 1:
            joined = names[0]
        elif len(names) == 2:
            joined = f"{names[0]} and {names[1]}"
        else:
            joined = f"{', '.join(names[:-1])}, and {names[-1]}"
        return f"Dear {joined}:"

    def salutation_text(self):
        return self.salutation or self.built_salutation()

    def rendered_body(self, signer_count):
        """The body, sanitized again, with the signer-count placeholder filled in."""
        body = SIGNER_COUNT_PLACEHOLDER.sub(str(int(signer_count)), self.body)
        # The one user text marked safe: nh3 has just removed everything not allow-listed.
        return mark_safe(sanitize_html(body))  # noqa: S308


class OrderedPart(models.Model):
    """A repeated part of a letter, kept in the order staff arranged it."""

    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]


class Recipient(OrderedPart):
    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="recipients")
    name = models.CharField(_("name with honorific"), max_length=200, help_text=_('"The Honorable …"'))
    salutation_name = models.CharField(
        _("name in salutation"), max_length=200, blank=True, help_text=_('e.g. "Secretary Mayorkas"')
    )
    title_lines = models.TextField(_("title lines"), blank=True, max_length=1000)
    organization = models.CharField(_("organization"), max_length=300, blank=True)
    address_lines = models.TextField(_("postal address"), blank=True, max_length=1000)
    email = models.EmailField(_("email"), blank=True)

    def __str__(self):
        return self.name


class Ask(OrderedPart):
    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="asks")
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True, max_length=5000)

    def __str__(self):
        return self.title


class Contact(OrderedPart):
    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    organization = models.CharField(_("organization"), max_length=300, blank=True)
    email = models.EmailField(_("email"), blank=True)

    def __str__(self):
        return self.name


class CarbonCopy(OrderedPart):
    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="cc")
    name = models.CharField(_("name"), max_length=200)
    title_lines = models.TextField(_("title lines"), blank=True, max_length=1000)
    organization = models.CharField(_("organization"), max_length=300, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta(OrderedPart.Meta):
        verbose_name = _("cc entry")
        verbose_name_plural = _("cc list")

    def __str__(self):
        return self.name


class LetterVersion(models.Model):
    """The letter's text as it stood when signatures were given."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["letter", "number"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "number"], name="letter_version_number_unique"),
        ]

    def __str__(self):
        return f"{self.letter} v{self.number}"


class LetterEvent(models.Model):
    """The audit log: who did what to a letter and its signers, and when."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=60)  # e.g. "letter.status_changed"
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    LABELS = {
        "letter.created": _("created the letter"),
        "letter.edited": _("edited the letter"),
        "letter.imported": _("imported the letter"),
        "signature.submitted": _("signed (awaiting confirmation)"),
        "signature.confirmed": _("confirmed a signature"),
        "signature.approved": _("approved a signature"),
        "signature.rejected": _("rejected a signature"),
        "signature.hidden": _("hid a signature"),
        "signature.shown": _("listed a hidden signature"),
        "signature.withdrawn": _("withdrew a signature"),
        "signature.updated": _("updated a signature"),
        "signature.renamed": _("renamed a signature"),
        "signature.lead_changed": _("changed the lead organizations"),
        "signature.added": _("added a signer"),
        "signature.reconfirmed": _("confirmed a signature on the new text"),
        "signers.imported": _("imported signers"),
        "signers.notified_of_change": _("emailed signers about a text change"),
        "letter.delivery_queued": _("queued the letter to be emailed"),
        "letter.delivered": _("emailed the letter from the app"),
        "letter.delivery_recorded": _("recorded a delivery"),
        "letter.follow_up_started": _("started a follow-up"),
        "follow_up.signers_invited": _("invited the earlier letter's signers"),
        "response.recorded": _("recorded a response"),
        "response.updated": _("edited a response"),
        "letter.pdf_requested": _("asked for the PDF"),
        "signature.merged": _("merged duplicate organizations"),
    }

    def __str__(self):
        return f"{self.action} on {self.letter_id} at {self.created_at:%Y-%m-%d %H:%M}"

    def describe(self):
        """A short human description for the history list."""
        if self.action == "letter.status_changed":
            return _("changed the status from %(old)s to %(new)s") % {
                "old": Letter.Status(self.data["old"]).label,
                "new": Letter.Status(self.data["new"]).label,
            }
        if self.action == "signers.told_of_sending":
            return _("emailed %(count)s signers that the letter was sent") % {
                "count": self.data.get("count", "")
            }
        if self.action in {"signers.added", "signers.imported"}:
            return _("added %(count)s signers") % {"count": self.data.get("count", "")}
        if self.action == "letter.new_version":
            return _("changed the text after signing: version %(number)s") % {
                "number": self.data.get("number")
            }
        if self.data.get("name"):
            return f"{self.LABELS.get(self.action, self.action)}: {self.data['name']}"
        return self.LABELS.get(self.action, self.action)


class RenderingQuerySet(models.QuerySet):
    def current_for(self, letter):
        """The newest finished PDF of the letter's current text version.

        "Newest" is by when it was asked for, not when it finished: a slow render of an older
        request that completes late stays in the history instead of replacing a newer one.
        """
        version = letter.current_version()
        return (
            self.filter(letter=letter, status=Rendering.Status.DONE, version=version)
            .order_by("-requested_at", "-id")
            .first()
        )


class Rendering(models.Model):
    """One PDF of a letter, kept so that every earlier render stays downloadable."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    # A worker is (or should be) on it.
    IN_PROGRESS = {Status.QUEUED, Status.RENDERING}
    # Nothing more will happen to it.
    FINISHED = {Status.DONE, Status.FAILED}

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="renderings")
    version = models.ForeignKey(
        LetterVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="renderings"
    )
    options = models.JSONField(default=dict)
    # sha256 of the final HTML and the options: equal hashes make identical PDFs.
    content_hash = models.CharField(max_length=64)
    # The final HTML the worker renders, fixed when the PDF was asked for; emptied once done.
    html = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    file = models.FileField(upload_to=rendering_upload_to, blank=True)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    signer_count = models.PositiveIntegerField(default=0)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Last asked for: asking again for unchanged content reuses this row and moves this forward.
    requested_at = models.DateTimeField(default=timezone.now)
    # The task delivery that claimed the row, so a redelivery of that same message can take over.
    attempt = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = RenderingQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "rendering", "done", "failed"]),
                name="rendering_status_valid",
            ),
            # Unchanged content is rendered once: a second request finds this row and reuses it.
            models.UniqueConstraint(
                fields=["letter", "content_hash"],
                condition=~Q(status="failed"),
                name="rendering_one_per_content",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(checksum="") & ~Q(file="")),
                name="rendering_done_has_file",
            ),
        ]
        indexes = [models.Index(fields=["letter", "-requested_at"], name="rendering_letter_recent")]

    def __str__(self):
        return f"PDF of {self.letter_id} ({self.get_status_display()}, {self.created_at:%Y-%m-%d %H:%M})"

    def is_stale(self, older_than, now=None):
        """Queued or rendering for longer than any live attempt can take: its worker is gone."""
        since = self.started_at or self.created_at  # not requested_at: asking again moves that
        return self.status in self.IN_PROGRESS and (now or timezone.now()) - since > older_than


class Delivery(models.Model):
    """The letter delivered to its targets with the exact PDF: emailed from the app, or recorded by
    staff after sending it another way (a portal, by hand)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    class Method(models.TextChoices):
        EMAIL = "email", _("Email")
        PORTAL = "portal", _("Web portal")
        HAND = "hand", _("Hand delivery")
        OTHER = "other", _("Other")

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="deliveries")
    # RESTRICT, not PROTECT: a delivered PDF cannot be deleted alone, but goes with its letter.
    rendering = models.ForeignKey(Rendering, on_delete=models.RESTRICT, related_name="deliveries")
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, default=Method.EMAIL)
    # Emailed from the app: the addresses. Recorded by staff: to_whom, in their words.
    to = models.JSONField(default=list)
    to_whom = models.CharField(_("to whom"), max_length=500, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    cc = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    # Who sent it from the app, or who recorded a delivery made another way.
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sent", "failed"]), name="delivery_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(method__in=["email", "portal", "hand", "other"]), name="delivery_method_valid"
            ),
            # A delivery that happened has a day it happened.
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(delivered_on__isnull=False), name="delivery_sent_has_date"
            ),
        ]

    def __str__(self):
        return f"{self.get_method_display()} of {self.letter_id} to {self.recipients()}"

    def recipients(self):
        """To whom, as people read it."""
        return self.to_whom or ", ".join(self.to)
