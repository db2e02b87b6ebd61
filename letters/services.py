"""Workflows on letters: each takes keyword arguments, checks, saves atomically, logs."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from signatories.models import Signature

from .models import Letter, LetterEvent, LetterVersion


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
    try:
        with transaction.atomic():
            Letter.objects.select_for_update().filter(pk=letter.pk).first()  # one editor at a time
            form.save()
            formsets.save(letter)
            log_event(letter=letter, actor=user, action="letter.edited", fields=sorted(form.changed_data))
            if letter.signatures.exists():
                letter_record_version(letter=letter, user=user)
    except IntegrityError as error:  # a signer took a lead's name between validation and saving
        raise LetterError(_("Another signer now uses one of these lead names; nothing was saved.")) from error
    return letter


def letter_record_version(*, letter, user):
    """Snapshot the letter's text if it changed since the last version; return the current version."""
    snapshot = letter.text_snapshot()
    current = letter.current_version()
    if current is not None and current.text == snapshot:
        return current
    number = current.number + 1 if current else 1
    version = LetterVersion.objects.create(letter=letter, number=number, text=snapshot, created_by=user)
    log_event(letter=letter, actor=user, action="letter.new_version", number=number)
    return version


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
        if status == Letter.Status.OPEN and letter.deadline_passed():
            raise LetterError(_("The sign-on deadline has passed: move it later before opening the letter."))
        letter.save(update_fields=update_fields)
        if status == Letter.Status.OPEN:
            letter_record_version(letter=letter, user=user)
        log_event(letter=letter, actor=user, action="letter.status_changed", old=previous, new=status)
    return letter


class ListedSigners:
    """The listed signers as a letter prints them: leads in their order, then the rest alphabetically."""

    def __init__(self, letter):
        signatures = list(letter.signatures.listed())
        self.leads = sorted((s for s in signatures if s.is_lead), key=lambda s: (s.lead_position, s.pk))
        rest = sorted((s for s in signatures if not s.is_lead), key=lambda s: s.sort_key)
        self.organizations = [s for s in rest if s.kind == Signature.Kind.ORGANIZATION]
        self.individuals = [s for s in rest if s.kind == Signature.Kind.INDIVIDUAL]
        self.count = len(signatures)
        self.organization_count = len(self.leads) + len(self.organizations)
