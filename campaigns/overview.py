"""What the campaign page and report show: its letters with counts, the scoreboard and the timeline.

Each function runs a fixed number of queries however many letters, responses and events there are.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from letters.models import Ask, Delivery, Letter, LetterEvent
from signatories.models import Signature, listed_condition

from .models import AskPosition, Response
from .summary import POSITIONS, complete_counts, positions_sentence

TIMELINE_LENGTH = 100
# Deliveries and responses come from their own rows, placed on the day they happened.
TIMELINE_ACTIONS = [
    "letter.status_changed",
    "letter.follow_up_started",
    "follow_up.signers_invited",
    "signers.told_of_sending",
]


def _count(rows):
    """A subquery counting the rows (correlated on OuterRef), 0 when there are none."""
    counted = rows.order_by().values("letter").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def campaign_letters(campaign, *, oldest_first=False):
    """The campaign's letters, each with signer_count (listed signers), ask_count, delivered_on (the
    first delivery) and follows."""
    order = ["created_at", "id"] if oldest_first else ["-created_at", "-id"]
    # One subquery each: counting across several joins would multiply the rows (signers × asks × …).
    signers = Signature.objects.filter(listed_condition(), letter=OuterRef("pk"))
    asks = Ask.objects.filter(letter=OuterRef("pk"))
    deliveries = Delivery.objects.filter(letter=OuterRef("pk"), status=Delivery.Status.SENT)
    return list(
        campaign.letters.annotate(
            signer_count=_count(signers),
            ask_count=_count(asks),
            delivered_on=Subquery(
                deliveries.order_by().values("letter").annotate(first=Min("delivered_on")).values("first")
            ),
        )
        .select_related("follows__original")
        .order_by(*order)
    )


def latest_responses(letters):
    """{letter id: the letter's latest response}, each with .counts {position: n} over its letter's asks."""
    ask_counts = {letter.pk: letter.ask_count for letter in letters}
    latest = {}
    for response in Response.objects.filter(letter__in=ask_counts).order_by(
        "letter_id", "-received_on", "-id"
    ):
        latest.setdefault(response.letter_id, response)
    _attach_counts(latest.values(), ask_counts)
    return latest


def _attach_counts(responses, ask_counts):
    """Set .counts on each response with one query."""
    responses = list(responses)
    counts = {}
    rows = (
        AskPosition.objects.filter(response__in=responses)
        .values_list("response_id", "position")
        .annotate(n=Count("id"))
        .order_by()
    )
    for response_id, position, n in rows:
        counts.setdefault(response_id, {})[position] = n
    for response in responses:
        response.counts = complete_counts(counts.get(response.pk, {}), ask_counts[response.letter_id])


@dataclass
class ScoreRow:
    letter: Letter
    response: Response | None
    counts: dict = field(default_factory=dict)

    def count_list(self):
        return [self.counts[position] for position in POSITIONS]


@dataclass
class Scoreboard:
    rows: list
    totals: dict

    def total_list(self):
        return [self.totals[position] for position in POSITIONS]

    def asks(self):
        return sum(self.totals.values())


def scoreboard(letters, latest):
    """One row per sent letter: the latest response's positions; a letter without one counts every
    ask as unanswered, since silence is also an answer."""
    rows = []
    for letter in letters:
        if letter.status != Letter.Status.SENT:
            continue
        response = latest.get(letter.pk)
        counts = response.counts if response else complete_counts({}, letter.ask_count)
        rows.append(ScoreRow(letter=letter, response=response, counts=counts))
    totals = {position: sum(row.counts[position] for row in rows) for position in POSITIONS}
    return Scoreboard(rows=rows, totals=totals)


@dataclass
class Entry:
    """One line of the timeline."""

    day: datetime.date
    moment: datetime.datetime
    letter: Letter
    text: str
    actor: object = None
    url: str = ""
    date_only: bool = False


_STATUS_TEXT = {
    ("draft", "open"): lambda: _("opened for sign-on"),
    ("closed", "open"): lambda: _("reopened for sign-on"),
    ("open", "closed"): lambda: _("closed sign-on"),
    ("open", "draft"): lambda: _("returned to draft"),
    ("closed", "sent"): lambda: _("marked sent"),
    ("open", "sent"): lambda: _("marked sent"),
}


def _event_text(event):
    data = event.data
    if event.action == "letter.status_changed":
        text = _STATUS_TEXT.get((data.get("old"), data.get("new")))
        return text() if text else event.describe()
    if event.action == "letter.follow_up_started":
        return _("started a follow-up: %(title)s") % {"title": data.get("name", "")}
    if event.action == "follow_up.signers_invited":
        return _("invited %(count)s earlier signers to sign") % {"count": data.get("count", 0)}
    if event.action == "signers.told_of_sending":
        return _("told %(count)s signers the letter was sent") % {"count": data.get("count", 0)}
    return event.describe()


def _event_url(event):
    if event.action == "letter.follow_up_started" and event.data.get("follow_up"):
        return reverse("letters:preview", args=[event.data["follow_up"]])
    return ""


def timeline(campaign, letters):
    """Status changes, deliveries, responses and follow-ups of the campaign's letters, newest first."""
    by_id = {letter.pk: letter for letter in letters}
    entries = []
    events = (
        LetterEvent.objects.filter(letter__campaign=campaign, action__in=TIMELINE_ACTIONS)
        .select_related("actor")
        .order_by("-created_at", "-id")[:TIMELINE_LENGTH]
    )
    for event in events:
        entries.append(
            Entry(
                day=timezone.localdate(event.created_at),
                moment=event.created_at,
                letter=by_id[event.letter_id],
                text=_event_text(event),
                actor=event.actor,
                url=_event_url(event),
            )
        )
    responses = list(
        Response.objects.filter(letter__campaign=campaign).order_by("-received_on", "-id")[:TIMELINE_LENGTH]
    )
    _attach_counts(responses, {letter.pk: letter.ask_count for letter in letters})
    for response in responses:
        # Placed on the day the target answered, which may be before the day it was recorded.
        entries.append(
            Entry(
                day=response.received_on,
                moment=response.created_at,
                letter=by_id[response.letter_id],
                text=positions_sentence(response.counts, subject=response.from_whom),
                date_only=True,
                url=reverse("campaigns:letter_outcome", args=[campaign.slug, response.letter_id])
                + f"#response-{response.pk}",
            )
        )
    deliveries = (
        Delivery.objects.filter(letter__campaign=campaign, status=Delivery.Status.SENT)
        .select_related("sent_by")
        .order_by("-delivered_on", "-id")[:TIMELINE_LENGTH]
    )
    for delivery in deliveries:
        entries.append(
            Entry(
                day=delivery.delivered_on,
                moment=delivery.sent_at or delivery.created_at,
                letter=by_id[delivery.letter_id],
                text=_("delivered (%(method)s) to %(to)s")
                % {"method": delivery.get_method_display().lower(), "to": delivery.recipients()},
                actor=delivery.sent_by,
                date_only=True,
            )
        )
    entries.sort(key=lambda entry: (entry.day, entry.moment), reverse=True)
    return entries[:TIMELINE_LENGTH]
