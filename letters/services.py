"""Workflows on letters: each takes keyword arguments, checks, saves atomically, logs."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from signatories.models import Signature

from .models import Letter, LetterEvent


class LetterError(Exception):
    """A letter workflow refused; the message is shown to the user."""


def log_event(*, letter, actor, action, **data):
    return LetterEvent.objects.create(letter=letter, actor=actor, action=action, data=data)


def letter_create(*, campaign, user, title):
    with transaction.atomic():
        letter = Letter.objects.create(campaign=campaign, title=title, created_by=user)
        log_event(letter=letter, actor=user, action="letter.created")
    return letter


def letter_save_draft(*, letter, user, form, formsets):
    """Save the letter form and all its parts together, or nothing."""
    if letter.status == Letter.Status.SENT:
        raise LetterError(_("A sent letter can no longer be edited."))
    with transaction.atomic():
        form.save()
        formsets.save(letter)
        log_event(letter=letter, actor=user, action="letter.edited", fields=sorted(form.changed_data))
    return letter


def letter_change_status(*, letter, user, status):
    with transaction.atomic():
        # Lock the row so two clicks cannot both pass the transition check.
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        if not letter.can_change_status_to(status):
            raise LetterError(
                _("A letter that is %(current)s cannot become %(new)s.")
                % {"current": letter.get_status_display(), "new": Letter.Status(status).label}
            )
        previous = letter.status
        letter.status = status
        update_fields = ["status", "updated_at"]
        if status == Letter.Status.SENT and letter.date is None:
            letter.date = timezone.localdate()
            update_fields.append("date")
        letter.save(update_fields=update_fields)
        log_event(letter=letter, actor=user, action="letter.status_changed", old=previous, new=status)
    return letter


def signers_add_by_staff(*, letter, user, names):
    """Add accepted signers by name; names already on the letter are skipped. Returns (added, skipped)."""
    with transaction.atomic():
        existing = set(letter.signatures.values_list("normalized_name", flat=True))
        added, skipped = [], []
        for name in names:
            signature = Signature(
                letter=letter, status=Signature.Status.ACCEPTED, source=Signature.Source.STAFF
            )
            signature.set_name(name)
            if signature.normalized_name in existing:
                skipped.append(name)
                continue
            existing.add(signature.normalized_name)
            added.append(signature)
        Signature.objects.bulk_create(added)
        if added:
            log_event(letter=letter, actor=user, action="signers.added", count=len(added))
    return added, skipped


def listed_signers(letter):
    """(lead organizations in their order, the other listed signers alphabetically)."""
    signatures = list(letter.signatures.listed())
    leads = sorted((s for s in signatures if s.is_lead), key=lambda s: (s.lead_position, s.pk))
    others = sorted((s for s in signatures if not s.is_lead), key=lambda s: s.sort_key)
    return leads, others
