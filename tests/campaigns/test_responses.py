"""Recording the target's response: its rules, the form with one position per ask, the document."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from campaigns import services
from campaigns.models import AskPosition, Response
from letters.models import LetterEvent

from ..factories import AskFactory, LetterFactory

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def record(letter, user, **overrides):
    asks = list(letter.asks.all())
    kwargs = {
        "letter": letter,
        "user": user,
        "received_on": datetime.date(2024, 5, 29),
        "from_whom": "ICE",
        "summary": "ICE agreed to some of it.",
        "positions": [(ask, "concurred", "") for ask in asks],
        **overrides,
    }
    return services.response_record(**kwargs)


def form_data(letter, positions, **fields):
    data = {
        "received_on": "2024-05-29",
        "from_whom": "ICE",
        "link": "",
        "summary": "ICE agreed to report restricted privileges.",
        "positions-TOTAL_FORMS": str(len(positions)),
        "positions-INITIAL_FORMS": str(len(positions)),
        "positions-MIN_NUM_FORMS": "0",
        "positions-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for index, (position, notes) in enumerate(positions):
        data[f"positions-{index}-position"] = position
        data[f"positions-{index}-notes"] = notes
    return data


# Model rules


def test_one_position_per_ask_and_response(sent_letter, owner):
    response = record(sent_letter, owner)
    with pytest.raises(IntegrityError), transaction.atomic():
        AskPosition.objects.create(response=response, ask=sent_letter.asks.first(), position="non_concurred")


def test_position_must_be_a_known_value(sent_letter, owner):
    response = record(sent_letter, owner, positions=[])
    AskPosition.objects.filter(response=response).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        AskPosition.objects.create(response=response, ask=sent_letter.asks.first(), position="agreed-ish")


def test_a_response_needs_a_document_link_or_summary(sent_letter):
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(letter=sent_letter, received_on=datetime.date(2024, 5, 29), from_whom="ICE")


# The service


def test_record_keeps_a_position_for_every_ask_in_order(sent_letter, owner):
    first, second, third = sent_letter.asks.all()
    response = record(
        sent_letter,
        owner,
        positions=[(third, "non_concurred", "Refused outright"), (first, "partially_concurred", "")],
    )
    assert list(response.positions.values_list("ask__title", "position", "notes")) == [
        ("End solitary confinement", "partially_concurred", ""),
        ("Publish segregation data", "no_response", ""),
        ("Train field office staff", "non_concurred", "Refused outright"),
    ]
    event = LetterEvent.objects.get(action="response.recorded")
    assert (event.letter, event.actor, event.data) == (
        sent_letter,
        owner,
        {"response": response.pk, "name": "ICE"},
    )


def test_an_ask_of_another_letter_is_refused(sent_letter, owner):
    stranger = AskFactory(letter=LetterFactory(campaign=sent_letter.campaign), title="Someone else's ask")
    with pytest.raises(services.CampaignError, match="is not one of this letter's asks"):
        record(sent_letter, owner, positions=[(stranger, "concurred", "")])
    assert not Response.objects.exists()


def test_unknown_position_is_refused(sent_letter, owner):
    with pytest.raises(services.CampaignError, match="Unknown position"):
        record(sent_letter, owner, positions=[(sent_letter.asks.first(), "maybe", "")])


def test_only_a_sent_letter_has_responses(letter, owner):
    with pytest.raises(services.CampaignError, match="Only a sent letter can have a response"):
        record(letter, owner, positions=[])
    assert not Response.objects.exists()


def test_update_replaces_positions(sent_letter, owner, editor):
    response = record(sent_letter, owner)
    services.response_update(
        response=response,
        user=editor,
        received_on=datetime.date(2024, 5, 30),
        from_whom="U.S. Immigration and Customs Enforcement",
        summary="Corrected.",
        positions=[(ask, "non_concurred", "") for ask in sent_letter.asks.all()],
    )
    response.refresh_from_db()
    assert response.received_on == datetime.date(2024, 5, 30)
    assert response.recorded_by == owner
    assert set(response.positions.values_list("position", flat=True)) == {"non_concurred"}
    assert LetterEvent.objects.filter(action="response.updated", actor=editor).exists()


# The pages


def test_staff_record_a_response_with_a_position_per_ask(client, editor, sent_letter, campaign):
    client.force_login(editor)
    url = reverse("campaigns:response_create", args=[campaign.slug, sent_letter.pk])
    page = client.get(url).content.decode()
    assert page.count('class="border rounded p-3 mb-3 ask-position"') == 3
    assert "1. End solitary confinement" in page

    data = form_data(
        sent_letter,
        [("concurred", ""), ("partially_concurred", "Only yearly totals"), ("non_concurred", "")],
        document=SimpleUploadedFile("ICE response.pdf", PDF, content_type="application/pdf"),
    )
    response = client.post(url, data, follow=True)
    saved = Response.objects.get()
    assert response.redirect_chain[-1][0].endswith(f"#response-{saved.pk}")
    html = response.content.decode()
    assert (
        "ICE concurred with one of the three asks, partially concurred with one, and non-concurred with one."
        in html
    )
    assert "Only yearly totals" in html
    assert saved.document.name.startswith("responses/") and "ICE" not in saved.document.name
    assert saved.recorded_by == editor


def test_the_form_reports_missing_content(client, owner, sent_letter, campaign):
    client.force_login(owner)
    url = reverse("campaigns:response_create", args=[campaign.slug, sent_letter.pk])
    data = form_data(sent_letter, [("concurred", "")] * 3, summary="")
    html = client.post(url, data).content.decode()
    assert "Upload the response, link to it, or summarize it." in html
    assert not Response.objects.exists()


def test_a_submission_cannot_change_the_number_of_asks(client, owner, sent_letter, campaign):
    client.force_login(owner)
    url = reverse("campaigns:response_create", args=[campaign.slug, sent_letter.pk])
    html = client.post(url, form_data(sent_letter, [("concurred", "")] * 4)).content.decode()
    assert "Please submit at most 3 forms." in html
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        (
            "response.html",
            b"<html><script>alert(1)</script></html>",
            "Upload a PDF, DOC, DOCX, PNG or JPEG file.",
        ),
        ("response.pdf", b"<html>not a pdf</html>", "does not match its extension."),
        ("response.pdf", b"%PDF-" + b"x" * (10 * 1024 * 1024), "The document must be at most 10 MB."),
    ],
)
def test_uploads_are_checked(client, owner, sent_letter, campaign, name, content, error):
    client.force_login(owner)
    url = reverse("campaigns:response_create", args=[campaign.slug, sent_letter.pk])
    data = form_data(sent_letter, [("concurred", "")] * 3, document=SimpleUploadedFile(name, content))
    assert error in client.post(url, data).content.decode()
    assert not Response.objects.exists()


def test_editing_prefills_and_saves(client, owner, sent_letter, campaign):
    response = record(sent_letter, owner, positions=[(sent_letter.asks.first(), "non_concurred", "No way")])
    client.force_login(owner)
    url = reverse("campaigns:response_edit", args=[campaign.slug, response.pk])
    page = client.get(url).content.decode()
    checked = re.findall(
        r'<input type="radio" name="(positions-\d-position)" value="(\w+)"[^>]*checked', page
    )
    assert checked == [
        ("positions-0-position", "non_concurred"),
        ("positions-1-position", "no_response"),
        ("positions-2-position", "no_response"),
    ]
    assert "No way" in page
    client.post(url, form_data(sent_letter, [("concurred", ""), ("concurred", ""), ("concurred", "")]))
    assert set(response.positions.values_list("position", flat=True)) == {"concurred"}


def test_the_document_is_served_to_members_only(client, owner, viewer, outsider, sent_letter, campaign):
    response = record(
        sent_letter, owner, document=SimpleUploadedFile("memo.pdf", PDF, content_type="application/pdf")
    )
    url = reverse("campaigns:response_document", args=[campaign.slug, response.pk])
    client.force_login(viewer)
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="response-2024-05-29.pdf"'
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url)["Location"].startswith(reverse("login"))


def test_a_response_to_an_unsent_letter_is_not_offered(client, owner, open_letter, campaign):
    client.force_login(owner)
    response = client.get(
        reverse("campaigns:response_create", args=[campaign.slug, open_letter.pk]), follow=True
    )
    assert "Only a sent letter can have a response" in response.content.decode()
