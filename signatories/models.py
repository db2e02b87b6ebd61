from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .matching import normalize_name, sort_key


class SignatureQuerySet(models.QuerySet):
    def listed(self):
        """Signatures that count and appear on the letter."""
        return self.filter(status=Signature.Status.ACCEPTED)


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

    class Source(models.TextChoices):
        FORM = "form", _("Public form")
        STAFF = "staff", _("Added by staff")
        IMPORT = "import", _("Imported")

    letter = models.ForeignKey("letters.Letter", on_delete=models.CASCADE, related_name="signatures")
    kind = models.CharField(_("signing as"), max_length=12, choices=Kind.choices, default=Kind.ORGANIZATION)
    name = models.CharField(_("name as listed"), max_length=300)
    normalized_name = models.CharField(max_length=300, editable=False, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.FORM)
    is_lead = models.BooleanField(_("lead organization"), default=False)
    lead_position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SignatureQuerySet.as_manager()

    class Meta:
        ordering = ["-is_lead", "lead_position", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "in_review", "accepted", "rejected", "withdrawn"]),
                name="signature_status_valid",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="signature_name_not_blank"),
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
