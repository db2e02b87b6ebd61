"""The campaign report: every letter and ask with the target's position, as CSV (and a PDF summary)."""

import io

from defusedcsv import csv
from django.utils.text import slugify
from django.utils.translation import gettext as _

from letters.models import Ask, Letter
from signatories.csv_export import _cell as safe_cell

from . import overview
from .models import AskPosition


def _iso(day):
    return day.isoformat() if day else ""


def sent_on(letter):
    """The day the letter went out, for a sent letter."""
    return letter.date if letter.status == Letter.Status.SENT else None


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
    out = io.StringIO()
    writer = csv.writer(out)
    for row in report_rows(campaign):
        writer.writerow([safe_cell(value) for value in row])
    filename = f"{slugify(campaign.slug) or 'campaign'}-report.csv"
    return filename, "text/csv; charset=utf-8", ("\ufeff" + out.getvalue()).encode()
