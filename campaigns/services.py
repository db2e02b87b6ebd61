"""Campaign workflows: campaigns and members, responses to letters, follow-up letters."""

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from letters.models import Delivery, Letter, Rendering
from letters.services import LetterError, letter_change_status, log_event
from signatories.models import Signature

from .models import AskPosition, Campaign, FollowUp, FollowUpInvitation, Membership, Response, SentNotice
from .summary import number_word, positions_sentence


def campaign_create(*, user, name, slug, description=""):
    """Create a campaign with its creator as owner."""
    with transaction.atomic():
        campaign = Campaign.objects.create(name=name, slug=slug, description=description)
        Membership.objects.create(campaign=campaign, user=user, role=Membership.Role.OWNER)
    return campaign


def _ensure_another_owner(campaign, user):
    """Refuse to leave the campaign without an owner; the lock stops two owners leaving at once."""
    owners = list(campaign.memberships.select_for_update().filter(role=Membership.Role.OWNER))
    if [m.user_id for m in owners] == [user.pk]:
        raise CampaignError(_("A campaign keeps at least one owner."))


def membership_set(*, campaign, user, role):
    with transaction.atomic():
        if role != Membership.Role.OWNER:
            _ensure_another_owner(campaign, user)
        membership, _created = Membership.objects.update_or_create(
            campaign=campaign, user=user, defaults={"role": role}
        )
    return membership


def membership_remove(*, membership):
    with transaction.atomic():
        _ensure_another_owner(membership.campaign, membership.user)
        membership.delete()


class CampaignError(Exception):
    """A campaign workflow refused; the message is shown to the user."""


# Responses


def _checked_positions(letter, positions):
    """[(ask, position, notes)] for every ask of the letter, in order; asks left out get no response."""
    given = {}
    for ask, position, notes in positions:
        if ask.letter_id != letter.pk:
            raise CampaignError(_("“%(ask)s” is not one of this letter's asks.") % {"ask": ask.title})
        if position not in AskPosition.Position.values:
            raise CampaignError(_("Unknown position: %(position)s.") % {"position": position})
        if ask.pk in given:
            raise CampaignError(_("“%(ask)s” has two positions.") % {"ask": ask.title})
        given[ask.pk] = (position, notes)
    default = (AskPosition.Position.NO_RESPONSE, "")
    return [(ask, *given.get(ask.pk, default)) for ask in letter.asks.all()]


def _response_save(*, response, user, positions, action, **details):
    letter = response.letter
    if letter.status != Letter.Status.SENT:
        raise CampaignError(_("Only a sent letter can have a response: record its delivery first."))
    checked = _checked_positions(letter, positions)
    for name, value in details.items():
        if name == "document":
            # As a form's cleaned data has it: None keeps the file, False clears it.
            if value is not None:
                response.document = value or ""
        else:
            setattr(response, name, value)
    if not (response.document or response.link or response.summary):
        raise CampaignError(_("Upload the response, link to it, or summarize it."))
    stored = (
        Response.objects.filter(pk=response.pk).values_list("document", flat=True).first()
        if response.pk
        else ""
    )
    with transaction.atomic():
        response.recorded_by = response.recorded_by or user
        response.save()
        if stored and stored != response.document.name:
            # The replaced upload goes once the new one is on record; a rollback keeps it.
            transaction.on_commit(lambda: response.document.storage.delete(stored))
        response.positions.all().delete()
        AskPosition.objects.bulk_create(
            AskPosition(response=response, ask=ask, position=position, notes=notes)
            for ask, position, notes in checked
        )
        log_event(letter=letter, actor=user, action=action, response=response.pk, name=response.from_whom)
    return response


def response_record(
    *, letter, user, received_on, positions, from_whom="", document=None, link="", summary=""
):
    """Record the target's response to a sent letter with its position on each ask."""
    response = Response(letter=letter)
    return _response_save(
        response=response,
        user=user,
        positions=positions,
        action="response.recorded",
        received_on=received_on,
        from_whom=from_whom,
        document=document,
        link=link,
        summary=summary,
    )


def response_update(
    *, response, user, received_on, positions, from_whom="", document=None, link="", summary=""
):
    """Correct a recorded response; positions are replaced by the ones given."""
    return _response_save(
        response=response,
        user=user,
        positions=positions,
        action="response.updated",
        received_on=received_on,
        from_whom=from_whom,
        document=document,
        link=link,
        summary=summary,
    )


# Follow-up letters

# Parts of a letter a follow-up repeats, in their order.
FOLLOW_UP_PARTS = ["recipients", "cc", "asks", "contacts"]
# Letter fields a follow-up starts with; the text and the dates are new.
FOLLOW_UP_FIELDS = [
    "delivery_line", "salutation", "closing", "joined_by_heading",
    "requires_approval", "allow_individuals", "sign_fields",
]  # fmt: skip


def _copy_parts(manager, letter):
    model = manager.model
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and f.name != "letter"]
    model.objects.bulk_create(
        model(letter=letter, **{f.attname: getattr(part, f.attname) for f in fields})
        for part in manager.all()
    )


def _follow_up_subject(subject):
    prefix = _("Follow-up")
    if not subject or subject.lower().startswith(prefix.lower()):
        return subject
    return f"{prefix}: {subject}"[: Letter._meta.get_field("subject").max_length]


def _follow_up_body(letter):
    """A first paragraph citing the earlier letter and what the target did not do; staff rewrite it."""
    params = {
        "date": date_format(letter.date, "F j, Y") if letter.date else "",
        "count": number_word(letter.signatures.listed().count()),
        "subject": letter.subject or letter.title,
    }
    paragraphs = [_("On %(date)s, %(count)s signers wrote to you: “%(subject)s”.") % params]
    response = letter.responses.prefetch_related("positions__ask").first()
    if response is None:
        paragraphs.append(_("We have not received a response."))
    else:
        when = _("In your response of %(date)s, you") % {"date": date_format(response.received_on, "F j, Y")}
        paragraphs.append(positions_sentence(response.position_counts(), subject=when))
    html = "".join(format_html("<p>{}</p>", paragraph) for paragraph in paragraphs)
    if response is not None:
        open_asks = [p.ask.title for p in response.positions.all() if p.position != "concurred"]
        if open_asks:
            html += format_html("<p>{}</p>", _("You have yet to act on:"))
            html += format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((t,) for t in open_asks)))
    return html + format_html("<p>{}</p>", _("We repeat our asks:"))


def letter_start_follow_up(*, letter, user, title):
    """A new draft letter in the campaign repeating the sent letter's recipients, cc, asks and contacts."""
    if letter.status != Letter.Status.SENT:
        raise CampaignError(_("A follow-up starts from a sent letter."))
    with transaction.atomic():
        follow_up = Letter.objects.create(
            campaign=letter.campaign,
            title=title,
            created_by=user,
            subject=_follow_up_subject(letter.subject),
            body=_follow_up_body(letter),
            **{name: getattr(letter, name) for name in FOLLOW_UP_FIELDS},
        )
        for part in FOLLOW_UP_PARTS:
            _copy_parts(getattr(letter, part), follow_up)
        FollowUp.objects.create(original=letter, follow_up=follow_up, created_by=user)
        log_event(letter=follow_up, actor=user, action="letter.created", follows=letter.pk)
        log_event(
            letter=letter, actor=user, action="letter.follow_up_started", follow_up=follow_up.pk, name=title
        )
    return follow_up


def _already_signed(letter):
    """(normalized names, lowercased emails) of the letter's active signatures."""
    active = letter.signatures.filter(status__in=Signature.ACTIVE_STATUSES)
    names = set(active.filter(kind=Signature.Kind.ORGANIZATION).values_list("normalized_name", flat=True))
    emails = {email.lower() for email in active.exclude(email="").values_list("email", flat=True)}
    return names, emails


def follow_up_invite_signers(*, follow_up, user):
    """Invite the earlier letter's listed signers to sign the follow-up; each is invited once.

    Returns how many invitations were added; a task emails them after commit."""
    from .tasks import send_follow_up_invitations  # tasks import this module

    if not follow_up.follow_up.is_taking_signatures():
        raise CampaignError(_("Open the follow-up for sign-on before inviting signers."))
    with transaction.atomic():
        # One click at a time per follow-up: the second sees the first one's invitations.
        follow_up = (
            FollowUp.objects.select_for_update().select_related("follow_up", "original").get(pk=follow_up.pk)
        )
        invited = set(follow_up.invitations.values_list("signature_id", flat=True))
        names, emails = _already_signed(follow_up.follow_up)
        invitations = [
            FollowUpInvitation(follow_up=follow_up, signature=signature, invited_by=user)
            for signature in follow_up.original.signatures.listed().exclude(email="").order_by("id")
            if signature.pk not in invited
            and signature.email.lower() not in emails
            and not (signature.kind == Signature.Kind.ORGANIZATION and signature.normalized_name in names)
        ]
        FollowUpInvitation.objects.bulk_create(invitations)
        if invitations:
            log_event(
                letter=follow_up.follow_up,
                actor=user,
                action="follow_up.signers_invited",
                count=len(invitations),
            )
            transaction.on_commit(lambda: send_follow_up_invitations.delay(follow_up.pk))
    return len(invitations)


# Delivery: the letter reaches its targets


def letter_delivered(*, letter, user):
    """A delivery went out: a letter open or closed for sign-on becomes sent, which freezes its
    signer list, and its listed signers are told. A draft (sent without sign-on) stays a draft."""
    letter = Letter.objects.get(pk=letter.pk)
    if letter.status in (Letter.Status.OPEN, Letter.Status.CLOSED):
        letter = letter_change_status(letter=letter, user=user, status=Letter.Status.SENT)
    if letter.status == Letter.Status.SENT:
        letter_tell_signers(letter=letter, user=user)
    return letter


def letter_record_delivery(*, letter, user, rendering, method, delivered_on, to_whom, notes=""):
    """Record how, when and to whom the letter was delivered, with the exact PDF that went.

    The letter becomes sent (its signers can no longer change) and its listed signers are emailed a
    link to that PDF. A letter may have several deliveries (by email, then by hand)."""
    if letter.status == Letter.Status.DRAFT:
        raise CampaignError(_("A draft cannot be delivered: open it for sign-on first."))
    if rendering.letter_id != letter.pk or rendering.status != Rendering.Status.DONE:
        raise CampaignError(_("Choose a finished PDF of this letter."))
    if method not in Delivery.Method.values:
        raise CampaignError(_("Unknown delivery method: %(method)s.") % {"method": method})
    if not to_whom.strip():
        raise CampaignError(_("Say to whom the letter was delivered."))
    with transaction.atomic():
        delivery = Delivery.objects.create(
            letter=letter,
            rendering=rendering,
            method=method,
            to_whom=to_whom.strip(),
            delivered_on=delivered_on,
            notes=notes,
            subject=letter.subject,
            status=Delivery.Status.SENT,
            sent_at=timezone.now(),
            sent_by=user,
        )
        log_event(
            letter=letter,
            actor=user,
            action="letter.delivery_recorded",
            delivery=delivery.pk,
            method=method,
            name=delivery.to_whom,
        )
        try:
            letter_delivered(letter=letter, user=user)
        except LetterError as error:
            raise CampaignError(str(error)) from error
    return delivery


# Telling signers the letter went out


def letter_tell_signers(*, letter, user):
    """Email every listed signer with an address that the letter was sent, with a link to its PDF.

    Each signer is told once per letter, however many deliveries are recorded. Returns how many
    notices were added; a task sends them in batches after commit."""
    from .tasks import send_sent_notices  # tasks import this module

    if letter.status != Letter.Status.SENT:
        raise CampaignError(_("Signers hear about a letter once it is sent."))
    with transaction.atomic():
        Letter.objects.select_for_update().filter(pk=letter.pk).first()  # one telling at a time per letter
        told = set(SentNotice.objects.filter(letter=letter).values_list("signature_id", flat=True))
        listed = letter.signatures.listed().exclude(email="").order_by("id").values_list("pk", flat=True)
        notices = [SentNotice(letter=letter, signature_id=pk) for pk in listed if pk not in told]
        SentNotice.objects.bulk_create(notices)
        if notices:
            log_event(letter=letter, actor=user, action="signers.told_of_sending", count=len(notices))
            transaction.on_commit(lambda: send_sent_notices.delay(letter.pk))
    return len(notices)
