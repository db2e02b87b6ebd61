"""The campaign report as CSV: one row per letter and ask, with the target's position; formula-safe."""

import csv
import datetime
import io

from django.urls import reverse

from campaigns import services

from ..factories import AskFactory, LetterFactory


def rows_of(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_report_rows(client, viewer, owner, sent_letter, campaign):
    first, second, third = sent_letter.asks.all()
    services.response_record(
        letter=sent_letter,
        user=owner,
        received_on=datetime.date(2024, 5, 29),
        from_whom="ICE",
        summary="Partly.",
        positions=[(first, "concurred", "Will report privileges"), (third, "non_concurred", "")],
    )
    follow_up = services.letter_start_follow_up(letter=sent_letter, user=owner, title="Second letter")
    follow_up.asks.exclude(title="Publish segregation data").delete()
    LetterFactory(campaign=campaign, title='=HYPERLINK("http://evil")')
    LetterFactory(title="Another campaign's letter")

    client.force_login(viewer)
    response = client.get(reverse("campaigns:report_csv", args=[campaign.slug]))
    assert response["Content-Disposition"] == 'attachment; filename="fair-transit-report.csv"'
    assert rows_of(response) == [
        ["Letter", "Follows", "Status", "Sent on", "Signers", "Response received", "Response from",
         "Ask number", "Ask", "Position", "Notes"],
        ["Keep the buses running", "", "Sent", "2024-02-05", "2", "2024-05-29", "ICE",
         "1", "End solitary confinement", "Concurred", "Will report privileges"],
        ["Keep the buses running", "", "Sent", "2024-02-05", "2", "2024-05-29", "ICE",
         "2", "Publish segregation data", "No response", ""],
        ["Keep the buses running", "", "Sent", "2024-02-05", "2", "2024-05-29", "ICE",
         "3", "Train field office staff", "Non-concurred", ""],
        ["Second letter", "Keep the buses running", "Draft", "", "0", "", "",
         "1", "Publish segregation data", "", ""],
        ["'=HYPERLINK(\"http://evil\")", "", "Draft", "", "0", "", "", "", "", "", ""],
    ]  # fmt: skip


def test_an_ask_added_after_the_response_reads_as_no_response(client, owner, sent_letter, campaign):
    services.response_record(
        letter=sent_letter,
        user=owner,
        received_on=datetime.date(2024, 5, 29),
        summary="All agreed.",
        positions=[(ask, "concurred", "") for ask in sent_letter.asks.all()],
    )
    AskFactory(letter=sent_letter, title="Added later")  # e.g. by an admin correcting the record
    client.force_login(owner)
    rows = rows_of(client.get(reverse("campaigns:report_csv", args=[campaign.slug])))
    assert [row[8:10] for row in rows[1:]] == [
        ["End solitary confinement", "Concurred"],
        ["Publish segregation data", "Concurred"],
        ["Train field office staff", "Concurred"],
        ["Added later", "No response"],
    ]
