"""The campaign page: its letters with counts and dates, the response scoreboard and the timeline."""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns import services
from letters.services import letter_change_status

from ..factories import AskFactory, LetterFactory, SignatureFactory
from .conftest import send


def table_rows(page, css_class):
    table = re.search(rf'<table class="[^"]*{css_class}[^"]*">(.*?)</table>', page, re.S).group(1)
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        rows.append([html.unescape(" ".join(re.sub(r"<[^>]+>", " ", cell).split())) for cell in cells])
    return rows


def respond(letter, user, *positions, day=datetime.date(2024, 5, 29)):
    return services.response_record(
        letter=letter,
        user=user,
        received_on=day,
        from_whom="ICE",
        summary="Answered.",
        positions=list(zip(letter.asks.all(), positions, [""] * len(positions), strict=True)),
    )


@pytest.fixture
def page(client, viewer, campaign):
    def get():
        client.force_login(viewer)
        return client.get(reverse("campaigns:detail", args=[campaign.slug])).content.decode()

    return get


def test_letters_show_status_signers_deadline_and_sending(page, sent_letter, campaign, owner):
    draft = LetterFactory(campaign=campaign, title="Next year's letter")
    draft.deadline = datetime.datetime(2030, 3, 1, 17, tzinfo=datetime.UTC)
    draft.save()
    SignatureFactory(letter=sent_letter, name="Hidden", is_hidden=True)
    SignatureFactory(letter=sent_letter, name="Pending", status="pending")
    rows = table_rows(page(), "campaign-letters")
    assert rows[0] == ["Letter", "Status", "Signers", "Deadline", "Sent", "Response", ""]
    assert rows[1][:6] == ["Next year's letter", "Draft", "0", "March 1, 2030", "—", "—"]
    assert rows[2][:6] == ["Keep the buses running", "Sent", "2", "—", "Feb. 5, 2024", "awaiting"]


def test_scoreboard_counts_latest_response_per_letter(page, sent_letter, campaign, owner):
    second = LetterFactory(campaign=campaign, title="Second letter")
    AskFactory(letter=second, title="Only ask")
    second = send(second, owner)
    respond(
        sent_letter, owner, "non_concurred", "non_concurred", "no_response", day=datetime.date(2024, 3, 1)
    )
    respond(
        sent_letter,
        owner,
        "concurred",
        "partially_concurred",
        "non_concurred",
        day=datetime.date(2024, 5, 29),
    )
    rows = table_rows(page(), "scoreboard")
    assert rows == [
        ["Letter", "Asks", "Concurred", "Partially concurred", "Non-concurred", "No response"],
        ["Second letter (no response yet)", "1", "0", "0", "0", "1"],
        ["Keep the buses running", "3", "1", "1", "1", "0"],
        ["All letters", "4", "1", "1", "1", "1"],
    ]


def test_timeline_merges_status_changes_responses_and_follow_ups(page, sent_letter, owner):
    respond(sent_letter, owner, "concurred", "concurred", "non_concurred")
    services.letter_start_follow_up(letter=sent_letter, user=owner, title="Second letter")
    timeline = re.search(r'<ol class="list-unstyled small timeline">(.*?)</ol>', page(), re.S).group(1)
    lines = [
        " ".join(re.sub(r"<[^>]+>", " ", li).split())
        for li in re.findall(r"<li[^>]*>(.*?)</li>", timeline, re.S)
    ]
    texts = [line.split("· ", 1)[1] for line in lines]
    assert texts == [
        "Keep the buses running : owner started a follow-up: Second letter",
        "Keep the buses running : owner marked sent",
        "Keep the buses running : owner closed sign-on",
        "Keep the buses running : owner opened for sign-on",
        "Keep the buses running : ICE concurred with two of the three asks and non-concurred with one.",
    ]
    # The response is placed on the day the target answered (May 29, 2024), before today's events.
    assert lines[-1].startswith("May 29, 2024")


def test_page_queries_do_not_grow_with_letters(client, viewer, campaign, owner):
    def count_queries():
        client.force_login(viewer)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("campaigns:detail", args=[campaign.slug])).status_code == 200
        return len(queries)

    def add_letter(n):
        letter = LetterFactory(campaign=campaign, title=f"Letter {n}")
        AskFactory(letter=letter)
        SignatureFactory(letter=letter)
        letter = send(letter, owner)
        respond(letter, owner, "concurred")
        services.letter_start_follow_up(letter=letter, user=owner, title=f"Follow-up {n}")

    add_letter(1)
    few = count_queries()
    for n in range(2, 6):
        add_letter(n)
    assert count_queries() == few


def test_viewer_sees_no_editing_buttons(client, viewer, sent_letter, campaign):
    client.force_login(viewer)
    html = client.get(
        reverse("campaigns:letter_outcome", args=[campaign.slug, sent_letter.pk])
    ).content.decode()
    assert "Record a response" not in html and "Start a follow-up" not in html


def test_outcome_page_shows_each_response(client, owner, sent_letter, campaign):
    respond(sent_letter, owner, "concurred", "no_response", "non_concurred")
    client.force_login(owner)
    page = client.get(
        reverse("campaigns:letter_outcome", args=[campaign.slug, sent_letter.pk])
    ).content.decode()
    assert (
        "ICE concurred with one of the three asks, non-concurred with one, and did not respond to one."
        in page
    )
    assert "Concurred: 1" in page and "No response: 1" in page
    assert table_rows(page, "table-sm small") == [
        ["#", "Ask", "Position", "Notes"],
        ["1", "End solitary confinement", "Concurred", ""],
        ["2", "Publish segregation data", "No response", ""],
        ["3", "Train field office staff", "Non-concurred", ""],
    ]


def test_reopened_letters_read_as_reopened(page, open_letter, owner):
    letter_change_status(letter=open_letter, user=owner, status="closed")
    letter_change_status(letter=open_letter, user=owner, status="open")
    assert "owner reopened for sign-on" in page()
