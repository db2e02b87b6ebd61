"""The campaign report: every letter and ask with the target's position as CSV; a one-page PDF summary."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from letters.models import Ask, Delivery, Letter
from letters.pdf_sandbox import render_isolated
from signatories.csv_export import csv_download

from . import overview
from .models import AskPosition
from .summary import positions_sentence


def _iso(day):
    return day.isoformat() if day else ""


def sent_on(letter, deliveries=None):
    """The day a sent letter first reached its targets: its first delivery, else the letter's date.

    Uses the delivered_on annotation of overview.campaign_letters, or the deliveries given."""
    if letter.status != Letter.Status.SENT:
        return None
    if deliveries is not None:
        days = [d.delivered_on for d in deliveries if d.status == Delivery.Status.SENT and d.delivered_on]
        first = min(days, default=None)
    else:
        first = letter.delivered_on
    return first or letter.date


def report_rows(campaign):
    """The header and one row per letter and ask (a letter without asks gets one row), oldest letter first."""
    letters = overview.campaign_letters(campaign, oldest_first=True)
    latest = overview.latest_responses(letters)
    positions = {
        (position.response_id, position.ask_id): position
        for position in AskPosition.objects.filter(response__in=latest.values())
    }
    asks = {}
    for ask in Ask.objects.filter(letter__in=letters):
        asks.setdefault(ask.letter_id, []).append(ask)
    header = [
        _("Letter"), _("Follows"), _("Status"), _("Sent on"), _("Signers"), _("Response received"),
        _("Response from"), _("Ask number"), _("Ask"), _("Position"), _("Notes"),
    ]  # fmt: skip
    rows = [header]
    for letter in letters:
        response = latest.get(letter.pk)
        follows = getattr(letter, "follows", None)
        head = [
            letter.title,
            follows.original.title if follows else "",
            str(letter.status_label()),
            _iso(sent_on(letter)),
            letter.signer_count,
            _iso(response.received_on) if response else "",
            response.from_whom if response else "",
        ]
        letter_asks = asks.get(letter.pk, [])
        if not letter_asks:
            rows.append([*head, "", "", "", ""])
        for number, ask in enumerate(letter_asks, start=1):
            position = positions.get((response.pk, ask.pk)) if response else None
            if response and position is None:  # an ask the response's form did not cover
                label, notes = AskPosition.Position.NO_RESPONSE.label, ""
            else:
                label, notes = (position.get_position_display(), position.notes) if position else ("", "")
            rows.append([*head, number, ask.title, str(label), notes])
    return rows


def report_csv(campaign):
    """(filename, content_type, bytes): the report rows, safe to open in a spreadsheet."""
    return csv_download(f"{slugify(campaign.slug) or 'campaign'}-report.csv", report_rows(campaign))


# The one-page PDF: enough rows to fit a page; the CSV has everything.
PDF_LETTERS = 14
PDF_RESPONSES = 6
PDF_EVENTS = 8
PDF_TIMEOUT = 30  # seconds: a one-page summary renders in well under one


def report_pdf_html(campaign):
    letters = overview.campaign_letters(campaign)
    latest = overview.latest_responses(letters)
    board = overview.scoreboard(letters, latest)
    scores = {row.letter.pk: row.count_list() for row in board.rows}
    rows = [
        {"letter": letter, "sent_on": sent_on(letter), "counts": scores.get(letter.pk)}
        for letter in letters[:PDF_LETTERS]
    ]
    responses = sorted(latest.values(), key=lambda r: (r.received_on, r.pk), reverse=True)[:PDF_RESPONSES]
    for response in responses:
        response.letter = next(letter for letter in letters if letter.pk == response.letter_id)
        response.sentence = positions_sentence(response.counts, subject=response.from_whom)
    totals_sentence = ""
    if board.rows and board.asks():
        totals_sentence = positions_sentence(board.totals, subject=_("Across its sent letters, the target"))
    context = {
        "language": settings.LANGUAGE_CODE,
        "title": _("%(campaign)s: campaign report") % {"campaign": campaign.name},
        "campaign": campaign,
        "today": timezone.localdate(),
        "rows": rows,
        "more_letters": max(len(letters) - PDF_LETTERS, 0),
        "scoreboard": board,
        "totals_sentence": totals_sentence,
        "responses": responses,
        "timeline": overview.timeline(campaign, letters)[:PDF_EVENTS],
    }
    return render_to_string("campaigns/report_pdf.html", context)


def report_pdf(campaign):
    """(filename, content_type, bytes): the one-page summary, rendered by the letters' sandboxed
    renderer, which loads nothing the HTML names (the page has no external resources)."""
    result = render_isolated(
        report_pdf_html(campaign),
        resources={},
        timeout=min(PDF_TIMEOUT, settings.PDF_RENDER_TIMEOUT),
        memory_mb=settings.PDF_RENDER_MEMORY_MB,
    )
    filename = f"{slugify(campaign.slug) or 'campaign'}-report.pdf"
    return filename, "application/pdf", result.pdf
