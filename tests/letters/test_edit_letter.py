"""Drafting a letter in the browser: the edit form with its formsets, and the preview."""

import re

import pytest
from django.urls import reverse

from letters.models import Letter, LetterEvent
from signatories.models import Signature

from ..factories import SignatureFactory

PARTS = {
    "recipients": ["name", "salutation_name", "title_lines", "organization", "address_lines", "email"],
    "asks": ["title", "text"],
    "leads": ["name"],
    "contacts": ["name", "organization", "email"],
    "cc": ["name", "title_lines", "organization", "email"],
}


def post_data(letter_fields, **parts):
    """POST data for the edit page: the letter's fields plus rows for each formset (all new)."""
    data = {
        "title": "Solitary letter",
        "date": "",
        "delivery_line": "",
        "subject": "",
        "salutation": "",
        "body": "",
        "closing": "Sincerely,",
        "joined_by_heading": "Joined by:",
        **letter_fields,
    }
    for prefix in PARTS:
        rows = parts.get(prefix, [])
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        for index, row in enumerate(rows):
            for field, value in row.items():
                data[f"{prefix}-{index}-{field}"] = value
    return data


SEED_000 = post_data(
    {
        "title": "End solitary confinement",
        "date": "2024-02-29",
        "delivery_line": "Delivered via e-mail",
        "subject": "RE: End solitary confinement in ICE detention",
        "body": (
            "<p>The undersigned {{ signer_count }} organizations write with an urgent call: "
            "<strong>DHS must end the practice.</strong> A <a href='https://example.org/report'>report</a> "
            "found people held <em>over a year</em>.</p><h3>Background</h3><ul><li>one</li></ul>"
        ),
        "closing": "Sincerely,",
        "joined_by_heading": "Joined by:",
    },
    recipients=[
        {
            "name": "The Honorable Joseph R. Biden",
            "salutation_name": "President Biden",
            "title_lines": "President of the United States",
            "organization": "The White House",
            "address_lines": "1600 Pennsylvania Ave. NW\r\nWashington, DC 20500",
        },
        {
            "name": "The Honorable Alejandro Mayorkas",
            "salutation_name": "Secretary Mayorkas",
            "title_lines": "Secretary, U.S. Department of Homeland Security",
            "address_lines": "2707 Martin Luther King Jr. Ave. SE\r\nWashington, DC 20528",
        },
        {
            "name": "Mr. Patrick J. Lechleitner",
            "salutation_name": "Acting Director Lechleitner",
            "title_lines": "Deputy Director and Senior Official Performing the Duties of the Director",
            "organization": "U.S. Immigration and Customs Enforcement",
            "address_lines": "2707 Martin Luther King Jr. Ave. SE\r\nWashington, DC 20528",
        },
    ],
    asks=[{"title": "Commit to ending solitary confinement", "text": "Immediately and publicly."}],
    leads=[
        {"name": "Harvard Immigration and Refugee Clinical Program"},
        {"name": "Physicians for Human Rights"},
    ],
    contacts=[{"name": "Pat Doe", "organization": "Physicians for Human Rights", "email": "pat@example.org"}],
    cc=[
        {
            "name": "Ms. Shoba Sivaprasad Wadhia",
            "title_lines": "Officer for DHS Civil Rights and Civil Liberties (CRCL)",
        }
    ],
)


def page_text(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_seed_letter_entered_in_browser_appears_in_preview_in_order(client, owner, letter):
    client.force_login(owner)
    response = client.post(reverse("letters:edit", args=[letter.pk]), SEED_000)
    assert response.status_code == 302
    client.post(
        reverse("signatories:staff_paste", args=[letter.pk]),
        {"names": "Acacia Center for Justice\nThe Advocates for Human Rights\nAl Otro Lado"},
    )

    text = page_text(client.get(reverse("letters:preview", args=[letter.pk])))

    expected_in_order = [
        "February 29, 2024",
        "Delivered via e-mail",
        "The Honorable Joseph R. Biden President of the United States The White House 1600 Pennsylvania",
        "The Honorable Alejandro Mayorkas",
        "Mr. Patrick J. Lechleitner",
        "RE: End solitary confinement in ICE detention",
        "Dear President Biden, Secretary Mayorkas, and Acting Director Lechleitner:",
        "The undersigned 5 organizations write with an urgent call",
        "Background",
        "Commit to ending solitary confinement Immediately and publicly.",
        "Sincerely,",
        "Harvard Immigration and Refugee Clinical Program Physicians for Human Rights",
        "Joined by:",
        # alphabetical, ignoring a leading "The"
        "Acacia Center for Justice The Advocates for Human Rights Al Otro Lado",
        "Pat Doe, Physicians for Human Rights, pat@example.org",
        "CC: Ms. Shoba Sivaprasad Wadhia, Officer for DHS Civil Rights and Civil Liberties (CRCL)",
    ]
    positions = [text.find(part) for part in expected_in_order]
    assert -1 not in positions, [p for p, i in zip(expected_in_order, positions, strict=True) if i == -1]
    assert positions == sorted(positions)


def test_saved_body_keeps_formatting_and_drops_script(client, owner, letter):
    client.force_login(owner)
    data = dict(SEED_000, body='<p onclick="x()">Hi <b>there</b><script>alert(1)</script><img src=x></p>')
    client.post(reverse("letters:edit", args=[letter.pk]), data)
    letter.refresh_from_db()
    assert letter.body == "<p>Hi <b>there</b></p>"


def test_parts_are_saved_in_the_order_given(client, owner, letter):
    client.force_login(owner)
    data = dict(SEED_000)
    data["recipients-0-ORDER"] = "3"
    data["recipients-1-ORDER"] = "1"
    data["recipients-2-ORDER"] = "2"
    client.post(reverse("letters:edit", args=[letter.pk]), data)
    names = list(letter.recipients.values_list("name", flat=True))
    assert names == [
        "The Honorable Alejandro Mayorkas",
        "Mr. Patrick J. Lechleitner",
        "The Honorable Joseph R. Biden",
    ]


def test_removing_rows_deletes_them(client, owner, letter):
    client.force_login(owner)
    client.post(reverse("letters:edit", args=[letter.pk]), SEED_000)
    edit_page = client.get(reverse("letters:edit", args=[letter.pk]))
    formsets = edit_page.context["formsets"]
    data = post_data(
        {key: SEED_000[key] for key in ["title", "date", "subject", "body", "closing", "joined_by_heading"]}
    )
    recipients = list(letter.recipients.all())
    data.update({"recipients-TOTAL_FORMS": "3", "recipients-INITIAL_FORMS": "3"})
    for index, recipient in enumerate(recipients):
        data[f"recipients-{index}-id"] = str(recipient.pk)
        data[f"recipients-{index}-name"] = recipient.name
        data[f"recipients-{index}-ORDER"] = str(index + 1)
    data["recipients-1-DELETE"] = "on"
    leads = list(letter.signatures.filter(is_lead=True))
    data.update({"leads-TOTAL_FORMS": "2", "leads-INITIAL_FORMS": "2"})
    for index, lead in enumerate(leads):
        data[f"leads-{index}-id"] = str(lead.pk)
        data[f"leads-{index}-name"] = lead.name
    data["leads-0-DELETE"] = "on"
    for prefix in ["asks", "contacts", "cc"]:
        existing = list(formsets[prefix].queryset)
        data.update(
            {f"{prefix}-TOTAL_FORMS": str(len(existing)), f"{prefix}-INITIAL_FORMS": str(len(existing))}
        )
        for index, obj in enumerate(existing):
            data[f"{prefix}-{index}-id"] = str(obj.pk)
            data[f"{prefix}-{index}-DELETE"] = "on"

    response = client.post(reverse("letters:edit", args=[letter.pk]), data)

    assert response.status_code == 302
    assert list(letter.recipients.values_list("name", flat=True)) == [
        "The Honorable Joseph R. Biden",
        "Mr. Patrick J. Lechleitner",
    ]
    assert list(letter.signatures.values_list("name", flat=True)) == ["Physicians for Human Rights"]
    assert not letter.asks.exists() and not letter.contacts.exists() and not letter.cc.exists()


def test_invalid_input_saves_nothing_and_keeps_what_was_typed(client, owner, letter):
    client.force_login(owner)
    data = dict(SEED_000)
    data["recipients-2-email"] = "not-an-email"
    data["title"] = ""

    response = client.post(reverse("letters:edit", args=[letter.pk]), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid email address." in html
    assert "This field is required." in html
    # Everything typed is still in the form, including rows added in the browser.
    for value in ["not-an-email", "Acting Director Lechleitner", "Physicians for Human Rights", "Pat Doe"]:
        assert value in html
    assert 'name="recipients-TOTAL_FORMS" value="3"' in html
    letter.refresh_from_db()
    assert letter.title == "Keep the buses running"
    assert not letter.recipients.exists()
    assert not letter.signatures.exists()


def test_ask_without_title_is_refused_with_message(client, owner, letter):
    client.force_login(owner)
    data = dict(SEED_000, **{"asks-0-title": "", "asks-0-text": "Text without a title"})
    response = client.post(reverse("letters:edit", args=[letter.pk]), data)
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not letter.asks.exists()


def test_empty_added_row_that_was_only_reordered_is_ignored(client, owner, letter):
    client.force_login(owner)
    data = dict(SEED_000, **{"contacts-TOTAL_FORMS": "2", "contacts-1-ORDER": "2"})
    response = client.post(reverse("letters:edit", args=[letter.pk]), data)
    assert response.status_code == 302
    assert letter.contacts.count() == 1


def test_user_text_is_escaped_in_preview(client, owner, letter):
    client.force_login(owner)
    evil = '<img src="x" onerror="alert(1)">'
    data = dict(SEED_000, subject=evil, **{"recipients-0-name": evil, "leads-0-name": evil})
    client.post(reverse("letters:edit", args=[letter.pk]), data)
    html = client.get(reverse("letters:preview", args=[letter.pk])).content.decode()
    assert evil not in html
    assert "&lt;img src=&quot;x&quot; onerror=&quot;alert(1)&quot;&gt;" in html


def test_body_placeholder_is_the_only_template_syntax(client, owner, letter):
    letter.body = "<p>{{ signer_count }} and {{ letter.campaign }} and {% now 'Y' %}</p>"
    letter.save()
    client.force_login(owner)
    text = page_text(client.get(reverse("letters:preview", args=[letter.pk])))
    assert "0 and {{ letter.campaign }} and {% now 'Y' %}" in text


def test_editing_is_logged(client, owner, letter):
    client.force_login(owner)
    client.post(reverse("letters:edit", args=[letter.pk]), SEED_000)
    event = LetterEvent.objects.get(letter=letter, action="letter.edited")
    assert event.actor == owner
    assert "subject" in event.data["fields"]


def test_editor_can_edit_viewer_cannot(client, editor, viewer, letter):
    client.force_login(editor)
    assert client.get(reverse("letters:edit", args=[letter.pk])).status_code == 200
    client.force_login(viewer)
    assert client.get(reverse("letters:edit", args=[letter.pk])).status_code == 403
    assert client.post(reverse("letters:edit", args=[letter.pk]), SEED_000).status_code == 403
    letter.refresh_from_db()
    assert letter.title == "Keep the buses running"
    assert client.get(reverse("letters:preview", args=[letter.pk])).status_code == 200


@pytest.mark.parametrize("name", ["letters:edit", "letters:preview", "signatories:staff_list"])
def test_outsider_gets_404(client, outsider, letter, name):
    client.force_login(outsider)
    assert client.get(reverse(name, args=[letter.pk])).status_code == 404


@pytest.mark.parametrize("name", ["letters:edit", "letters:preview", "signatories:staff_list"])
def test_anonymous_is_sent_to_login(client, letter, name):
    response = client.get(reverse(name, args=[letter.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sent_letter_cannot_be_edited(client, owner, letter):
    letter.status = Letter.Status.SENT
    letter.save()
    client.force_login(owner)
    response = client.post(reverse("letters:edit", args=[letter.pk]), SEED_000, follow=True)
    assert "A sent letter can no longer be edited." in response.content.decode()
    letter.refresh_from_db()
    assert letter.title == "Keep the buses running"


def test_new_letter_in_campaign(client, owner, campaign):
    client.force_login(owner)
    response = client.post(reverse("letters:create", args=[campaign.slug]), {"title": "Second letter"})
    letter = Letter.objects.get(title="Second letter")
    assert response["Location"] == reverse("letters:edit", args=[letter.pk])
    assert letter.campaign == campaign and letter.created_by == owner
    assert letter.status == Letter.Status.DRAFT


def test_viewer_cannot_create_letter(client, viewer, campaign):
    client.force_login(viewer)
    assert client.post(reverse("letters:create", args=[campaign.slug]), {"title": "X"}).status_code == 403
    assert not Letter.objects.exists()


def test_lead_from_public_form_removed_from_leads_stays_a_signer(client, owner, letter):
    signature = Signature(letter=letter, status=Signature.Status.ACCEPTED, source=Signature.Source.FORM)
    signature.set_name("Signed Online")
    signature.is_lead = True
    signature.save()
    client.force_login(owner)
    data = post_data(
        {"title": "T"},
        leads=[],
    )
    data.update(
        {
            "leads-TOTAL_FORMS": "1",
            "leads-INITIAL_FORMS": "1",
            "leads-0-id": str(signature.pk),
            "leads-0-name": "Signed Online",
            "leads-0-DELETE": "on",
        }
    )
    client.post(reverse("letters:edit", args=[letter.pk]), data)
    signature.refresh_from_db()
    assert signature.is_lead is False


def test_lead_already_signed_or_repeated_is_refused(client, owner, letter):
    SignatureFactory(letter=letter, name="Al Otro Lado")
    client.force_login(owner)
    data = dict(
        SEED_000, **{"leads-0-name": "AL OTRO  LADO", "leads-1-name": "The Physicians for Human Rights"}
    )
    data.update({"leads-TOTAL_FORMS": "3", "leads-2-name": "Physicians for Human Rights"})
    response = client.post(reverse("letters:edit", args=[letter.pk]), data)
    html = response.content.decode()
    assert "This organization has already signed: mark it as a lead on the signatures page." in html
    assert "This organization is already a lead." in html
    assert letter.signatures.count() == 1


def test_renaming_a_lead_onto_another_signer_is_refused(client, owner, letter):
    SignatureFactory(letter=letter, name="Al Otro Lado")
    client.force_login(owner)
    client.post(reverse("letters:edit", args=[letter.pk]), SEED_000)
    lead = letter.signatures.get(name="Physicians for Human Rights")
    data = post_data({"title": "T"})
    data.update(
        {
            "leads-TOTAL_FORMS": "1",
            "leads-INITIAL_FORMS": "1",
            "leads-0-id": str(lead.pk),
            "leads-0-name": "al otro lado",
        }
    )
    response = client.post(reverse("letters:edit", args=[letter.pk]), data)
    assert response.status_code == 200
    assert "Another signer already uses this name." in response.content.decode()
    lead.refresh_from_db()
    assert lead.name == "Physicians for Human Rights"
