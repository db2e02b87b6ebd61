"""The one-page campaign summary as PDF: its text, its single page, and who may download it."""

import datetime

from django.urls import reverse

from campaigns import report, services
from letters.pdf_sandbox import RenderError

from ..factories import AskFactory, LetterFactory
from ..letters.pdf_support import assert_in_order, pdf_pages
from .conftest import send


def test_summary_pdf_text(client, viewer, owner, sent_letter, campaign):
    first, second, third = sent_letter.asks.all()
    services.response_record(
        letter=sent_letter,
        user=owner,
        received_on=datetime.date(2024, 5, 29),
        from_whom="ICE",
        summary="Partly.",
        positions=[(first, "concurred", ""), (second, "non_concurred", ""), (third, "non_concurred", "")],
    )
    LetterFactory(campaign=campaign, title="Draft in progress")
    client.force_login(viewer)
    response = client.get(reverse("campaigns:report_pdf", args=[campaign.slug]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="fair-transit-report.pdf"'
    [page] = pdf_pages(response.content)
    assert_in_order(
        page,
        [
            "Fair Transit",
            "Campaign report,",
            "Across its sent letters, the target concurred with one of the three asks and non-concurred "
            "with two.",
            "Letters",
            "Draft in progress Draft — 0 0 — — — —",
            "Keep the buses running Sent Feb 5, 2024 2 3 1 0 2 0",
            "Sent letters 3 1 0 2 0",
            "Latest responses",
            "Keep the buses running (May 29, 2024): ICE concurred with one of the three asks and "
            "non-concurred with two.",
            "Recent events",
            "owner marked sent",
        ],
    )


def test_many_letters_still_fit_one_page(client, owner, campaign):
    for n in range(30):
        letter = LetterFactory(
            campaign=campaign, title=f"A rather long letter title number {n} about transit"
        )
        for _ in range(5):
            AskFactory(letter=letter)
        send(letter, owner)
    client.force_login(owner)
    pages = pdf_pages(client.get(reverse("campaigns:report_pdf", args=[campaign.slug])).content)
    assert len(pages) == 1
    assert "And 16 more letters: see the CSV report." in pages[0]


def test_a_failed_render_explains(client, owner, campaign, monkeypatch):
    def fail(*args, **kwargs):
        raise RenderError("out of memory")

    monkeypatch.setattr(report, "render_isolated", fail)
    client.force_login(owner)
    response = client.get(reverse("campaigns:report_pdf", args=[campaign.slug]), follow=True)
    assert "The PDF report could not be made; the CSV report has everything." in response.content.decode()


def test_outsiders_and_anonymous_get_nothing(client, outsider, campaign):
    url = reverse("campaigns:report_pdf", args=[campaign.slug])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url)["Location"].startswith(reverse("login"))
