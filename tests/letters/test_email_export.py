"""Email-ready: the .eml draft, the plain-text letter, and sending from the app as a recorded delivery."""

import email
from email import policy

import pytest
from django.urls import reverse

from letters.models import CarbonCopy, Delivery, LetterEvent, Recipient
from letters.rendering import rendering_request
from letters.tasks import render_letter_pdf, send_letter_delivery

from .pdf_support import FULL_LETTER_IN_ORDER, assert_in_order, pdf_text, signer


@pytest.fixture
def rendering(full_letter, owner):
    rendering, _ = rendering_request(letter=full_letter, user=owner)
    render_letter_pdf(rendering.pk)
    rendering.refresh_from_db()
    return rendering


def download_eml(client, rendering):
    response = client.get(reverse("letters:pdf_eml", args=[rendering.letter_id, rendering.pk]))
    assert response.status_code == 200
    return response, email.message_from_bytes(response.content, policy=policy.default)


def test_eml_draft_is_addressed_and_carries_the_pdf(client, viewer, full_letter, rendering):
    client.force_login(viewer)
    response, message = download_eml(client, rendering)

    assert response["Content-Type"] == "message/rfc822"
    assert response["Content-Disposition"] == 'attachment; filename="keep-the-buses-running.eml"'
    assert [a.addr_spec for a in message["To"].addresses] == [
        "president@example.gov",
        "secretary@example.gov",
    ]
    assert message["To"].addresses[0].display_name == "The Honorable Joseph R. Biden"
    assert [a.addr_spec for a in message["Cc"].addresses] == ["crcl@example.gov"]
    assert message["Subject"] == "RE: End solitary confinement in ICE detention"
    assert message["X-Unsent"] == "1"
    assert message["From"] is None and message["Date"] is None  # the mail program adds its own
    cover = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert cover.startswith("Dear President Biden and Secretary Mayorkas:\n\n")
    assert "Please find attached a letter signed by 5 organizations and 1 individual." in cover
    assert "Pat Doe, Physicians for Human Rights, pat@example.org" in cover
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "keep-the-buses-running.pdf"
    content = attachment.get_content()
    assert content == rendering.file.read()
    assert_in_order(pdf_text(content), FULL_LETTER_IN_ORDER)


def test_eml_leaves_out_people_without_an_address_and_quotes_names(client, owner, full_letter, rendering):
    Recipient.objects.filter(letter=full_letter, email="secretary@example.gov").update(email="")
    Recipient.objects.filter(letter=full_letter, email="president@example.gov").update(
        name="Doe, Jane\r\nBcc: x"
    )
    CarbonCopy.objects.filter(letter=full_letter).update(email="")
    client.force_login(owner)

    _response, message = download_eml(client, rendering)

    [to] = message["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Doe, Jane Bcc: x", "president@example.gov")
    assert message["Cc"] is None and message["Bcc"] is None


def test_eml_writes_an_international_domain_as_punycode(client, owner, full_letter, rendering):
    Recipient.objects.filter(letter=full_letter, email="president@example.gov").update(
        email="minister@exämple.org"
    )
    client.force_login(owner)
    response, message = download_eml(client, rendering)
    assert b"minister@xn--exmple-cua.org" in response.content
    assert message["To"].addresses[0].addr_spec == "minister@xn--exmple-cua.org"


def test_plain_text_letter_in_order_without_markup(client, viewer, full_letter):
    signer(full_letter, "<b>Bold & Co</b>")
    client.force_login(viewer)

    response = client.get(reverse("letters:text", args=[full_letter.pk]))

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert_in_order(
        " ".join(text.split()),
        [part.replace("The undersigned 6", "The undersigned 7") for part in FULL_LETTER_IN_ORDER[:14]]
        + ["<b>Bold & Co</b>"]
        + FULL_LETTER_IN_ORDER[14:-4]
        + ["6 organizations and 1 individual"]
        + FULL_LETTER_IN_ORDER[-3:],
    )
    assert (
        "DHS must end the practice of solitary confinement. A new report (https://example.org/report)" in text
    )
    assert "<strong>" not in text and "&amp;" not in text and "<p>" not in text
    assert "\n\n\n" not in text


def test_send_from_the_app_is_emailed_and_recorded(
    client, editor, full_letter, rendering, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("letters:pdf_send", args=[full_letter.pk, rendering.pk]))

    assert response.status_code == 302
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.SENT and delivery.sent_at is not None
    assert (delivery.rendering, delivery.sent_by, delivery.method) == (rendering, editor, "email")
    assert delivery.to == [
        '"The Honorable Joseph R. Biden" <president@example.gov>',  # quoted: the name has a period
        "The Honorable Alejandro Mayorkas <secretary@example.gov>",
    ]
    assert delivery.cc == ['"Ms. Shoba Sivaprasad Wadhia" <crcl@example.gov>']
    [sent] = mailoutbox
    assert sent.to == delivery.to and sent.cc == delivery.cc
    assert sent.reply_to == ["editor@example.org"]
    assert sent.subject == "RE: End solitary confinement in ICE detention"
    [(filename, content, content_type)] = sent.attachments
    assert (filename, content_type) == ("keep-the-buses-running.pdf", "application/pdf")
    assert content == rendering.file.read()
    assert LetterEvent.objects.filter(letter=full_letter, action="letter.delivered").exists()
    page = client.get(reverse("letters:pdf", args=[full_letter.pk])).content.decode()
    assert "Deliveries" in page and "president@example.gov" in page


def test_a_delivery_task_delivered_twice_sends_once(
    client, owner, full_letter, rendering, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("letters:pdf_send", args=[full_letter.pk, rendering.pk]))
    send_letter_delivery(Delivery.objects.get().pk)

    assert len(mailoutbox) == 1


def test_a_double_click_does_not_email_the_officials_twice(
    client, owner, full_letter, rendering, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("letters:pdf_send", args=[full_letter.pk, rendering.pk]), follow=True
            )
    assert "This PDF was sent a moment ago" in response.content.decode()
    assert Delivery.objects.count() == 1 and len(mailoutbox) == 1


def test_cannot_send_without_recipient_addresses(client, owner, full_letter, rendering, mailoutbox):
    Recipient.objects.filter(letter=full_letter).update(email="")
    client.force_login(owner)

    response = client.post(reverse("letters:pdf_send", args=[full_letter.pk, rendering.pk]), follow=True)

    assert "None of the recipients has an email address." in response.content.decode()
    assert not Delivery.objects.exists() and mailoutbox == []


def test_a_failed_smtp_send_is_recorded(client, owner, full_letter, rendering, settings, monkeypatch):
    from django.core.mail import EmailMessage

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("SMTP server unreachable")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    client.force_login(owner)
    delivery_post = reverse("letters:pdf_send", args=[full_letter.pk, rendering.pk])
    client.post(delivery_post)  # on_commit not run: queued
    delivery = Delivery.objects.get()

    result = send_letter_delivery.apply(args=[delivery.pk], throw=False, retries=5)

    assert result.failed()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert "SMTP server unreachable" in delivery.error
