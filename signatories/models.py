from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from campaigns.models import Membership

from .choices import US_STATES, Scope
from .matching import normalize_name, sort_key


class OrganizationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Organizations that signed a letter the user can see; superusers see the whole directory."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(signatures__letter__campaign__memberships__user=user).distinct()

    def editable_by(self, user):
        """Organizations on a letter of a campaign where the user may edit."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        # One filter() call, so user and role are matched on the same membership row.
        return self.filter(
            signatures__letter__campaign__memberships__user=user,
            signatures__letter__campaign__memberships__role__in=Membership.EDITING_ROLES,
        ).distinct()

    def mergeable_by(self, user):
        """Organizations whose every signature is on a letter the user may edit: a merge moves and
        folds signatures, so no one may reach into another coalition's letters through the directory."""
        if user.is_authenticated and user.is_superuser:
            return self
        foreign = Signature.objects.exclude(
            letter__campaign__memberships__in=Membership.objects.filter(
                user=user, role__in=Membership.EDITING_ROLES
            )
        ).values("organization")
        return self.editable_by(user).exclude(pk__in=foreign)


class Organization(models.Model):
    """One organization in the directory shared by all letters; its spellings are OrganizationAlias rows."""

    name = models.CharField(_("name"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=2, choices=US_STATES, blank=True)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    # A merged organization stays, pointing at the one it was merged into, so the merge can be undone.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class OrganizationAlias(models.Model):
    """A spelling of an organization's name; its normalized form resolves to exactly one organization."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300)
    normalized_name = models.CharField(max_length=300, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("organization aliases")

    def __str__(self):
        return self.name


class OrganizationContact(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    email = models.EmailField(_("email"), max_length=254)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "email"]
        constraints = [
            models.UniqueConstraint("organization", Lower("email"), name="organization_contact_unique_email"),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"


class NotSameOrganization(models.Model):
    """Staff said these two are different organizations: never propose them as duplicates again."""

    first = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="not_same_organization_pair_unique"),
            models.CheckConstraint(
                condition=Q(first__lt=F("second")), name="not_same_organization_pair_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.first} ≠ {self.second}"


class OrganizationMerge(models.Model):
    """A recorded merge: everything needed to undo it."""

    survivor = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="merges_received")
    merged = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="merges_given")
    survivor_previous_name = models.CharField(max_length=300)
    # {"aliases": [ids], "contacts": [ids], "signatures": [ids], "merged_signatures": [[id, old status]]}
    moved = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.merged} → {self.survivor}"


def listed_condition(prefix=""):
    """The rule for a listed signature (accepted, not hidden); prefix it to filter across a relation."""
    return Q(**{f"{prefix}status": "accepted", f"{prefix}is_hidden": False})


class SignatureQuerySet(models.QuerySet):
    def listed(self):
        """Signatures that count and appear on the letter."""
        return self.filter(listed_condition())


class Signature(models.Model):
    class Kind(models.TextChoices):
        ORGANIZATION = "organization", _("Organization")
        INDIVIDUAL = "individual", _("Individual")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting email confirmation")
        IN_REVIEW = "in_review", _("Awaiting approval")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        MERGED = "merged", _("Merged with a duplicate")

    # A signature in one of these states holds its organization's place on the letter.
    ACTIVE_STATUSES = [Status.PENDING, Status.IN_REVIEW, Status.ACCEPTED]

    class Source(models.TextChoices):
        FORM = "form", _("Public form")
        STAFF = "staff", _("Added by staff")
        IMPORT = "import", _("Imported")

    letter = models.ForeignKey("letters.Letter", on_delete=models.CASCADE, related_name="signatures")
    # The directory entry of a signing organization (individuals have none).
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="signatures"
    )
    # Set when a merge folded this signature into another on the same letter.
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_from"
    )
    kind = models.CharField(_("signing as"), max_length=12, choices=Kind.choices, default=Kind.ORGANIZATION)
    # The organization's name, or an individual's own name, as listed on the letter.
    name = models.CharField(_("name as listed"), max_length=300)
    normalized_name = models.CharField(max_length=300, editable=False, db_index=True)
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    email = models.EmailField(_("email"), max_length=254, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=2, choices=US_STATES, blank=True)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    affiliation = models.CharField(
        _("affiliation"), max_length=300, blank=True, help_text=_("Shown for identification purposes only.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.FORM)
    is_lead = models.BooleanField(_("lead organization"), default=False)
    lead_position = models.PositiveIntegerField(default=0)
    is_hidden = models.BooleanField(_("hidden from the list"), default=False)
    # Who confirmed authority to sign for the organization, and when.
    authorized_by = models.CharField(max_length=460, blank=True)
    authorized_at = models.DateTimeField(null=True, blank=True)
    consented_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    letter_version = models.ForeignKey(
        "letters.LetterVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="signatures"
    )
    # The letter version this signer was last emailed about, so each change is announced once.
    notified_of_version = models.PositiveIntegerField(null=True, blank=True)
    # Throttle for mail this signature triggers (confirmation, resend, update links).
    emails_sent = models.PositiveSmallIntegerField(default=0)
    last_emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SignatureQuerySet.as_manager()

    class Meta:
        ordering = ["-is_lead", "lead_position", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=["pending", "in_review", "accepted", "rejected", "withdrawn", "merged"]
                ),
                name="signature_status_valid",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="signature_name_not_blank"),
            # One organization, one place on a letter: concurrent submissions cannot race past this.
            models.UniqueConstraint(
                fields=["letter", "normalized_name"],
                condition=Q(kind="organization", status__in=["pending", "in_review", "accepted"]),
                name="signature_one_per_organization",
            ),
            models.UniqueConstraint(
                Lower("email"),
                "letter",
                condition=Q(kind="individual", status__in=["pending", "in_review", "accepted"])
                & ~Q(email=""),
                name="signature_one_per_individual_email",
            ),
        ]

    def __str__(self):
        return self.name

    def set_name(self, name):
        """Set the listed name and its normalized form together."""
        self.name = " ".join(name.split())
        self.normalized_name = normalize_name(self.name)

    @property
    def sort_key(self):
        return sort_key(self.name)

    def is_active(self):
        return self.status in self.ACTIVE_STATUSES
