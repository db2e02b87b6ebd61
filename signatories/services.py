"""Sign-on workflows: submit, confirm, manage, moderate. Each checks, saves atomically and logs."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.emails import queue_email
from letters.models import Letter
from letters.services import log_event

from . import tokens
from .matching import group_names, normalize_name, parse_name
from .matching.compare import compare
from .models import (
    NotSameOrganization,
    Organization,
    OrganizationAlias,
    OrganizationContact,
    OrganizationMerge,
    Signature,
)

# A signature triggers at most this much mail: a resend or a duplicate attempt cannot spam an address.
EMAIL_LIMIT = 5
EMAIL_INTERVAL = datetime.timedelta(minutes=2)


class SignatureError(Exception):
    """A sign-on workflow refused; the message is shown to the user."""


def _link(name, token):
    return settings.SITE_URL + reverse(name, args=[token])


def _may_email(signature, now, interval):
    if signature.emails_sent >= EMAIL_LIMIT:
        return False
    return signature.last_emailed_at is None or now - signature.last_emailed_at >= interval


def _email_signer(signature, *, template, purpose, url_name, throttle=None, **context):
    """Queue one email to the signer. Mail a visitor can trigger passes throttle=<min interval>:
    it then stays within EMAIL_LIMIT per signature, so no one can use the site to flood an address."""
    now = timezone.now()
    if not signature.email or (throttle is not None and not _may_email(signature, now, throttle)):
        return False
    signature.emails_sent += 1
    signature.last_emailed_at = now
    signature.save(update_fields=["emails_sent", "last_emailed_at", "updated_at"])
    link = _link(url_name, tokens.make_token(signature, purpose))
    queue_email(
        to=signature.email,
        template=template,
        context={"signature": signature, "letter": signature.letter, "link": link, **context},
    )
    return True


def send_manage_link(signature, *, duplicate=False):
    """The private edit/withdraw link: after confirming, or when someone tries to sign again."""
    return _email_signer(
        signature,
        template="signature_manage",
        purpose=tokens.MANAGE,
        url_name="signatories:manage",
        throttle=datetime.timedelta(0) if duplicate else None,
        duplicate=duplicate,
    )


def _same_signer(signatures, signature):
    """Those of the signatures that are the same signer: an organization by its normalized name,
    an individual by email (an individual without one matches no one)."""
    if signature.kind == Signature.Kind.ORGANIZATION:
        return signatures.filter(kind=signature.kind, normalized_name=signature.normalized_name)
    if signature.email:
        return signatures.filter(kind=signature.kind, email__iexact=signature.email)
    return signatures.none()


def find_active_duplicate(letter, signature, exclude_pk=None):
    """The active signature on the letter that this one would repeat, or None."""
    signatures = letter.signatures.filter(status__in=Signature.ACTIVE_STATUSES).exclude(pk=exclude_pk)
    return _same_signer(signatures, signature).first()


def _expire_unconfirmed(letter, signature):
    """A signature left unconfirmed past its link's lifetime stops holding the organization's place,
    so no one can keep an organization off a letter by signing for it and never confirming."""
    cutoff = timezone.now() - datetime.timedelta(seconds=tokens.MAX_AGE[tokens.CONFIRM])
    stale = letter.signatures.filter(status=Signature.Status.PENDING, created_at__lt=cutoff)
    _same_signer(stale, signature).update(status=Signature.Status.WITHDRAWN, updated_at=timezone.now())


def signature_submit(*, letter, signature):
    """Save a signature from the public form as pending and email the confirmation link.

    Returns (signature, is_duplicate). A duplicate is not saved: the first signature's email gets an
    update link instead, and the caller shows the same page either way.
    """
    if not letter.is_taking_signatures():
        raise SignatureError(_("This letter is no longer taking signatures."))
    now = timezone.now()
    signature.letter = letter
    signature.set_name(signature.name)
    signature.status = Signature.Status.PENDING
    signature.source = Signature.Source.FORM
    signature.consented_at = now
    if signature.kind == Signature.Kind.ORGANIZATION:
        signature.authorized_by = f"{signature.contact_name} <{signature.email}>"
        signature.authorized_at = now
    signature.letter_version = letter.current_version()
    _expire_unconfirmed(letter, signature)
    existing = find_active_duplicate(letter, signature)
    if existing is None:
        try:
            with transaction.atomic():
                signature.save()
        except IntegrityError:
            # A concurrent submission for the same organization won the race.
            existing = find_active_duplicate(letter, signature)
            if existing is None:
                raise
    if existing is not None:
        send_manage_link(existing, duplicate=True)
        return existing, True
    link_signatures([signature], learn=False)  # details join the directory once the email is confirmed
    log_event(letter=letter, actor=None, action="signature.submitted", name=signature.name)
    _email_signer(
        signature,
        template="signature_confirm",
        purpose=tokens.CONFIRM,
        url_name="signatories:confirm",
        throttle=datetime.timedelta(0),
    )
    return signature, False


def signature_resend_confirmation(*, signature):
    """Send the confirmation link again to the address on the signature; False when over the limit."""
    if signature.status != Signature.Status.PENDING:
        return False
    return _email_signer(
        signature,
        template="signature_confirm",
        purpose=tokens.CONFIRM,
        url_name="signatories:confirm",
        throttle=EMAIL_INTERVAL,
    )


def signature_confirm_email(*, signature):
    """The signer proved the address: accepted, or waiting for staff when the letter is moderated."""
    with transaction.atomic():
        signature = Signature.objects.select_for_update().select_related("letter").get(pk=signature.pk)
        if signature.status != Signature.Status.PENDING:
            return signature
        if not signature.letter.is_taking_signatures():
            raise SignatureError(_("This letter is no longer taking signatures."))
        signature.status = (
            Signature.Status.IN_REVIEW if signature.letter.requires_approval else Signature.Status.ACCEPTED
        )
        signature.confirmed_at = timezone.now()
        signature.save(update_fields=["status", "confirmed_at", "updated_at"])
        log_event(letter=signature.letter, actor=None, action="signature.confirmed", name=signature.name)
        link_signatures([signature])
        send_manage_link(signature)
    return signature


def ensure_signers_can_change(letter):
    """A sent letter's signer list is frozen: it is the list that went out."""
    if letter.status == Letter.Status.SENT:
        raise SignatureError(_("The letter has been sent; its signers can no longer change."))


def _unique_save(signature, update_fields):
    try:
        with transaction.atomic():
            signature.save(update_fields=[*update_fields, "updated_at"])
    except IntegrityError as error:
        raise SignatureError(
            _("Another signature on this letter already uses that name or email.")
        ) from error


def signature_update_by_signer(*, signature, form):
    """Save the signer's corrections through the manage link."""
    if not signature.letter.is_taking_signatures():
        raise SignatureError(_("This letter is closed; signatures can no longer be changed."))
    if not signature.is_active():
        raise SignatureError(_("This signature was withdrawn or rejected."))
    signature = form.save(commit=False)
    signature.set_name(signature.name)
    changed = [*form.changed_data, "normalized_name"]
    if (
        signature.letter.requires_approval
        and signature.status == Signature.Status.ACCEPTED
        and form.changed_data
    ):
        # Staff approved what they saw; what is listed after a change needs their eye again.
        signature.status = Signature.Status.IN_REVIEW
        changed.append("status")
    _unique_save(signature, changed)
    relink_signature(signature)
    log_event(letter=signature.letter, actor=None, action="signature.updated", name=signature.name)
    return signature


def signature_withdraw(*, signature, user=None):
    ensure_signers_can_change(signature.letter)
    if not signature.is_active():
        raise SignatureError(_("This signature was already withdrawn or rejected."))
    if user is None and not signature.letter.is_taking_signatures():
        raise SignatureError(_("This letter is closed; signatures can no longer be changed."))
    signature.status = Signature.Status.WITHDRAWN
    signature.save(update_fields=["status", "updated_at"])
    log_event(letter=signature.letter, actor=user, action="signature.withdrawn", name=signature.name)
    return signature


def signature_reconfirm(*, signature):
    """The signer read the letter's new text and keeps their signature: it now records that version."""
    ensure_signers_can_change(signature.letter)
    if not signature.letter.is_public():
        raise SignatureError(_("This letter is not open to its signers at the moment."))
    if not signature.is_active():
        raise SignatureError(_("This signature was withdrawn or rejected."))
    signature.letter_version = signature.letter.current_version()
    signature.save(update_fields=["letter_version", "updated_at"])
    log_event(letter=signature.letter, actor=None, action="signature.reconfirmed", name=signature.name)
    return signature


# Staff moderation -------------------------------------------------------------------------------

MODERATION = {
    # action: (statuses it applies to, new status)
    "approve": (
        {Signature.Status.IN_REVIEW, Signature.Status.REJECTED, Signature.Status.PENDING},
        Signature.Status.ACCEPTED,
    ),
    "reject": (
        {Signature.Status.IN_REVIEW, Signature.Status.ACCEPTED, Signature.Status.PENDING},
        Signature.Status.REJECTED,
    ),
}


def signature_moderate(*, signature, user, action):
    """Approve or reject a signature (staff)."""
    ensure_signers_can_change(signature.letter)
    allowed, new_status = MODERATION[action]
    if signature.status not in allowed:
        raise SignatureError(
            _("A signature that is %(status)s cannot be changed that way.")
            % {"status": signature.get_status_display().lower()}
        )
    signature.status = new_status
    _unique_save(signature, ["status"])
    log_event(letter=signature.letter, actor=user, action=f"signature.{action}d", name=signature.name)
    return signature


def signature_set_hidden(*, signature, user, hidden):
    ensure_signers_can_change(signature.letter)
    signature.is_hidden = hidden
    signature.save(update_fields=["is_hidden", "updated_at"])
    action = "signature.hidden" if hidden else "signature.shown"
    log_event(letter=signature.letter, actor=user, action=action, name=signature.name)
    return signature


def signature_rename(*, signature, user, name):
    """Change the name displayed on the letter."""
    ensure_signers_can_change(signature.letter)
    old = signature.name
    signature.set_name(name)
    _unique_save(signature, ["name", "normalized_name"])
    relink_signature(signature)
    log_event(letter=signature.letter, actor=user, action="signature.renamed", name=signature.name, old=old)
    return signature


def signature_set_lead(*, signature, user, is_lead):
    ensure_signers_can_change(signature.letter)
    with transaction.atomic():
        if is_lead and not signature.is_lead:
            last = signature.letter.signatures.filter(is_lead=True).order_by("-lead_position").first()
            signature.lead_position = last.lead_position + 1 if last else 0
        signature.is_lead = is_lead
        signature.save(update_fields=["is_lead", "lead_position", "updated_at"])
        log_event(letter=signature.letter, actor=user, action="signature.lead_changed", name=signature.name)
    return signature


def signers_add_by_staff(*, letter, user, names):
    """Add accepted signers by name; names already on the letter are skipped. Returns (added, skipped)."""
    ensure_signers_can_change(letter)
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
        link_signatures(added)
        if added:
            log_event(letter=letter, actor=user, action="signers.added", count=len(added))
    return added, skipped


def signature_add_by_staff(*, letter, user, signature):
    """A signer staff enter by hand: accepted at once."""
    ensure_signers_can_change(letter)
    signature.letter = letter
    signature.set_name(signature.name)
    signature.status = Signature.Status.ACCEPTED
    signature.source = Signature.Source.STAFF
    signature.letter_version = letter.current_version()
    if find_active_duplicate(letter, signature):
        raise SignatureError(_("%(name)s has already signed this letter.") % {"name": signature.name})
    try:
        with transaction.atomic():
            signature.save()
    except IntegrityError as error:
        raise SignatureError(
            _("%(name)s has already signed this letter.") % {"name": signature.name}
        ) from error
    link_signatures([signature])
    log_event(letter=letter, actor=user, action="signature.added", name=signature.name)
    return signature


# Text changes after signing ----------------------------------------------------------------------


def signatures_on_older_text(letter):
    """Active signatures given on an earlier version of the letter's text."""
    current = letter.current_version()
    if current is None:
        return Signature.objects.none()
    return (
        letter.signatures.filter(status__in=Signature.ACTIVE_STATUSES, letter_version__isnull=False)
        .exclude(letter_version=current)
        .select_related("letter_version")
    )


def signatures_to_notify(letter):
    """Signers on an older text who have not yet been emailed about the current one."""
    current = letter.current_version()
    older = signatures_on_older_text(letter).exclude(email="")
    return older.exclude(notified_of_version=current.number) if current else older


def signatures_notify_of_new_text(*, letter, user):
    """Email each signer who saw an older text a link to read the new one and confirm or withdraw.

    Each signer hears of each version once, however often staff press the button. Returns the count.
    """
    current = letter.current_version()
    count = 0
    with transaction.atomic():
        for signature in signatures_to_notify(letter).select_for_update(of=("self",)):
            queued = _email_signer(
                signature,
                template="signature_letter_changed",
                purpose=tokens.REVIEW_CHANGE,
                url_name="signatories:review_change",
            )
            if queued:
                signature.notified_of_version = current.number
                signature.save(update_fields=["notified_of_version", "updated_at"])
                count += 1
        log_event(
            letter=letter, actor=user, action="signers.notified_of_change", count=count, number=current.number
        )
    return count


# The organization directory -----------------------------------------------------------------------


def organization_for_name(name):
    """The directory organization one of whose spellings normalizes like this name; created if new."""
    signature = Signature()
    signature.set_name(name)
    organization_id = _organizations_by_key({signature.normalized_name: signature})[signature.normalized_name]
    return Organization.objects.get(pk=organization_id)


DIRECTORY_FIELDS = ["city", "state", "scope", "website"]


def link_signatures(signatures, *, learn=True):
    """Give each organization signature its directory entry (an exact match after normalization, or
    a new entry: a merely probable match waits for staff review) and, with learn, the signer's details.

    Set-based, so importing thousands of signers costs a handful of queries."""
    signatures = [s for s in signatures if s.kind == Signature.Kind.ORGANIZATION]
    unlinked = [s for s in signatures if s.organization_id is None]
    if unlinked:
        firsts = {}
        for signature in unlinked:
            firsts.setdefault(signature.normalized_name, signature)
        by_key = _organizations_by_key(firsts, with_details=learn)
        for signature in unlinked:
            signature.organization_id = by_key[signature.normalized_name]
        same_spelling = OrganizationAlias.objects.filter(normalized_name=OuterRef("normalized_name"))
        Signature.objects.filter(pk__in=[s.pk for s in unlinked]).update(
            organization_id=Subquery(same_spelling.values("organization_id")[:1])
        )
    if learn:
        _learn_from(signatures)


def _organizations_by_key(signatures_by_key, *, with_details=True):
    """{normalized name: organization id} for these signers' names, creating entries for new ones."""
    aliases = OrganizationAlias.objects.filter(normalized_name__in=signatures_by_key)
    by_key = dict(aliases.values_list("normalized_name", "organization_id"))
    missing = {key: signature for key, signature in signatures_by_key.items() if key not in by_key}
    if missing:
        created = Organization.objects.bulk_create(
            [
                Organization(
                    name=signature.name,
                    acronym=declared_acronym(signature.name),
                    **(
                        {field: getattr(signature, field) for field in DIRECTORY_FIELDS}
                        if with_details
                        else {}
                    ),
                )
                for signature in missing.values()
            ]
        )
        OrganizationAlias.objects.bulk_create(
            [
                OrganizationAlias(organization=organization, name=organization.name, normalized_name=key)
                for key, organization in zip(missing, created, strict=True)
            ],
            ignore_conflicts=True,  # a spelling created concurrently elsewhere wins
        )
        aliases = OrganizationAlias.objects.filter(normalized_name__in=missing)
        by_key.update(aliases.values_list("normalized_name", "organization_id"))
        Organization.objects.filter(pk__in=[o.pk for o in created], aliases__isnull=True).delete()
    return by_key


def declared_acronym(name):
    """The acronym a name gives for itself, as in "Black Alliance for Just Immigration (BAJI)"."""
    return next(iter(parse_name(name).aliases), "").upper()[:30]


def _learn_from(signatures):
    """Fill blanks in the directory entries and keep each signer's address as a contact."""
    with_details = [s for s in signatures if any(getattr(s, field) for field in DIRECTORY_FIELDS)]
    incomplete = Organization.objects.filter(pk__in={s.organization_id for s in with_details}).filter(
        Q(city="") | Q(state="") | Q(scope="") | Q(website="")
    )
    organizations = {organization.pk: organization for organization in incomplete}
    changed = set()
    for signature in with_details:
        organization = organizations.get(signature.organization_id)
        for field in DIRECTORY_FIELDS if organization else []:
            if not getattr(organization, field) and getattr(signature, field):
                setattr(organization, field, getattr(signature, field))
                changed.add(organization)
    if changed:
        Organization.objects.bulk_update(changed, DIRECTORY_FIELDS, batch_size=500)
    OrganizationContact.objects.bulk_create(
        [
            OrganizationContact(
                organization_id=s.organization_id, name=s.contact_name, title=s.title, email=s.email
            )
            for s in signatures
            if s.email
        ],
        ignore_conflicts=True,  # the organization already knows this address
        batch_size=500,
    )


def relink_signature(signature):
    """After a rename: the new spelling is known to the directory, under this or another organization."""
    if signature.kind != Signature.Kind.ORGANIZATION:
        return
    alias = OrganizationAlias.objects.filter(normalized_name=signature.normalized_name).first()
    if alias is not None:
        organization_id = alias.organization_id
    elif signature.organization_id is not None:
        OrganizationAlias.objects.create(
            organization_id=signature.organization_id,
            name=signature.name,
            normalized_name=signature.normalized_name,
        )
        organization_id = signature.organization_id
    else:
        organization_id = organization_for_name(signature.name).pk
    Signature.objects.filter(pk=signature.pk).update(organization_id=organization_id)
    signature.organization_id = organization_id


class DirectoryError(SignatureError):
    """A directory workflow refused."""


def organizations_merge(*, survivor, merged, display_name, user):
    """Fold `merged` into `survivor`: spellings, contacts and signatures move; nothing is deleted."""
    if survivor.pk == merged.pk:
        raise DirectoryError(_("An organization cannot be merged with itself."))
    with transaction.atomic():
        survivor, merged = (
            Organization.objects.select_for_update().get(pk=survivor.pk),
            Organization.objects.select_for_update().get(pk=merged.pk),
        )
        if survivor.merged_into_id or merged.merged_into_id:
            raise DirectoryError(_("One of these organizations was already merged into another."))
        survivor_emails = {email.lower() for email in survivor.contacts.values_list("email", flat=True)}
        moved = {
            "aliases": list(merged.aliases.values_list("pk", flat=True)),
            "contacts": [c.pk for c in merged.contacts.all() if c.email.lower() not in survivor_emails],
            "signatures": list(merged.signatures.values_list("pk", flat=True)),
            "merged_signatures": [],
            "new_alias": None,
        }
        OrganizationAlias.objects.filter(pk__in=moved["aliases"]).update(organization=survivor)
        OrganizationContact.objects.filter(pk__in=moved["contacts"]).update(organization=survivor)
        Signature.objects.filter(pk__in=moved["signatures"]).update(organization=survivor)
        moved["merged_signatures"] = _fold_duplicate_signatures(survivor)
        previous_name = survivor.name
        survivor.name = " ".join(display_name.split()) or previous_name
        survivor.save(update_fields=["name", "updated_at"])
        key = normalize_name(survivor.name)
        if not OrganizationAlias.objects.filter(normalized_name=key).exists():
            moved["new_alias"] = OrganizationAlias.objects.create(
                organization=survivor, name=survivor.name, normalized_name=key
            ).pk
        merged.merged_into = survivor
        merged.save(update_fields=["merged_into", "updated_at"])
        merge = OrganizationMerge.objects.create(
            survivor=survivor,
            merged=merged,
            survivor_previous_name=previous_name,
            moved=moved,
            created_by=user,
        )
        for letter_id in set(
            Signature.objects.filter(pk__in=moved["signatures"]).values_list("letter", flat=True)
        ):
            log_event(
                letter=Letter(pk=letter_id),
                actor=user,
                action="signature.merged",
                name=f"{merged.name} → {survivor.name}",
            )
    return merge


def _fold_duplicate_signatures(organization):
    """On each letter keep one active signature of the organization; the others become MERGED."""
    folded = []
    # Letters already sent keep the signer list that went out.
    active = (
        organization.signatures.filter(status__in=Signature.ACTIVE_STATUSES)
        .exclude(letter__status=Letter.Status.SENT)
        .order_by("letter_id", "-is_lead", "created_at", "pk")
    )
    kept_by_letter = {}
    for signature in active:
        kept = kept_by_letter.setdefault(signature.letter_id, signature)
        if kept.pk != signature.pk:
            folded.append([signature.pk, signature.status])
            signature.status = Signature.Status.MERGED
            signature.merged_into = kept
            signature.save(update_fields=["status", "merged_into", "updated_at"])
    return folded


def organization_merge_undo(*, merge, user):
    """Put everything a merge moved back where it was."""
    with transaction.atomic():
        merge = OrganizationMerge.objects.select_for_update().get(pk=merge.pk)
        if merge.undone_at:
            raise DirectoryError(_("This merge was already undone."))
        later = OrganizationMerge.objects.filter(
            Q(survivor=merge.survivor) | Q(merged=merge.survivor) | Q(survivor=merge.merged),
            created_at__gt=merge.created_at,
            undone_at__isnull=True,
        )
        if later.exists():
            raise DirectoryError(_("Undo the later merges of this organization first."))
        moved = merge.moved
        for signature_id, status in moved["merged_signatures"]:
            folded = Signature.objects.filter(pk=signature_id).exclude(letter__status=Letter.Status.SENT)
            try:
                with transaction.atomic():
                    folded.update(status=status, merged_into=None)
            except IntegrityError as error:  # the name was signed again on that letter since
                raise DirectoryError(
                    _("A signature this merge folded has been given again since; it cannot come back.")
                ) from error
        OrganizationAlias.objects.filter(pk__in=moved["aliases"]).update(organization=merge.merged)
        OrganizationContact.objects.filter(pk__in=moved["contacts"]).update(organization=merge.merged)
        Signature.objects.filter(pk__in=moved["signatures"]).update(organization=merge.merged)
        if moved.get("new_alias"):
            OrganizationAlias.objects.filter(pk=moved["new_alias"]).delete()
        Organization.objects.filter(pk=merge.survivor_id).update(name=merge.survivor_previous_name)
        Organization.objects.filter(pk=merge.merged_id).update(merged_into=None)
        merge.undone_at = timezone.now()
        merge.undone_by = user
        merge.save(update_fields=["undone_at", "undone_by"])
    return merge


def organizations_mark_not_same(*, first, second, user):
    """Remember that two organizations differ, so they are never proposed as duplicates again."""
    if first.pk == second.pk:
        raise DirectoryError(_("An organization is always the same as itself."))
    low, high = sorted([first, second], key=lambda organization: organization.pk)
    pair, _created = NotSameOrganization.objects.get_or_create(
        first=low, second=high, defaults={"decided_by": user}
    )
    return pair


@dataclass(frozen=True)
class DuplicateCandidate:
    """Two directory organizations the matcher judges to be one, and why."""

    first: Organization
    second: Organization
    confidence: float
    reason: str


def duplicate_candidates(organizations):
    """Pairs of these organizations that look like one, best first; "not the same" pairs are left out.

    Every known spelling takes part, so "BAJI" typed once still finds its full name."""
    organizations = {o.pk: o for o in organizations if o.merged_into_id is None}
    aliases = list(OrganizationAlias.objects.filter(organization__in=organizations).order_by("pk"))
    owners = [alias.organization_id for alias in aliases]
    not_same = set(
        NotSameOrganization.objects.filter(first__in=organizations, second__in=organizations).values_list(
            "first", "second"
        )
    )
    parsed = {}  # each organization's name read once, however many pairs it is in
    best = {}
    for group in group_names([alias.name for alias in aliases]):
        members = sorted({owners[i] for i in group.members})
        for position, low in enumerate(members):
            for high in members[position + 1 :]:
                if (low, high) in not_same:
                    continue
                for pk in (low, high):
                    parsed.setdefault(pk, parse_name(organizations[pk].name))
                found = compare(parsed[low], parsed[high])
                confidence, reason = (
                    (found.confidence, found.reason) if found else (group.confidence, group.reason)
                )
                if (low, high) not in best or confidence > best[low, high].confidence:
                    best[low, high] = DuplicateCandidate(
                        organizations[low], organizations[high], confidence, reason
                    )
    return sorted(best.values(), key=lambda c: (-c.confidence, c.first.name.casefold()))
