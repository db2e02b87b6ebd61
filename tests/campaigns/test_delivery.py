"""Recording a delivery: the exact PDF, the letter sent and its signers frozen, the signers told."""

import datetime
import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from campaigns import services, tasks
from campaigns.models import SentNotice
from letters.models import Delivery, Letter, LetterEvent, Rendering
from letters.rendering import rendering_request
from letters.services import letter_change_status
from letters.tasks import render_letter_pdf
from signatories import services as signer_services

from ..factories import AskFactory, LetterFactory, RecipientFactory, SignatureFactory
from ..letters.pdf_support import pdf_text

DAY = datetime.date(2024, 2, 5)


@pytest.fixture
def open_for_sign_on(letter, owner):
    letter.subject = "RE: Segregation in immigration detention"
    letter.save()
    RecipientFactory(letter=letter, name="Mr. Patrick J. Lechleitner", email="director@example.gov")
    AskFactory(letter=letter, title="End solitary confinement")
    SignatureFactory(letter=letter, name="Detention Watch Network", email="dwn@example.org")
    SignatureFactory(letter=letter, name="Physicians for Human Rights", email="phr@example.org")
    SignatureFactory(letter=letter, name="No Email Group", email="")
    SignatureFactory(letter=letter, name="Unconfirmed Group", email="new@example.org", status="pending")
    return letter_change_status(letter=letter, user=owner, status=Letter.Status.OPEN)


def render(letter, user):
    rendering, _ = rendering_request(letter=letter, user=user)
    render_letter_pdf(rendering.pk)
    rendering.refresh_from_db()
    assert rendering.status == Rendering.Status.DONE
    return rendering


def record(letter, user, rendering, **overrides):
    kwargs = {
        "letter": letter,
        "user": user,
        "rendering": rendering,
        "method": Delivery.Method.PORTAL,
        "delivered_on": DAY,
        "to_whom": "ICE, through the DHS correspondence portal",
        "notes": "Confirmation number 24-0117",
        **overrides,
    }
    return services.letter_record_delivery(**kwargs)


def test_recording_a_delivery_sends_the_letter_and_freezes_its_signers(open_for_sign_on, owner, client):
    letter = open_for_sign_on
    rendering = render(letter, owner)
    delivery = record(letter, owner, rendering)

    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENT
    assert (delivery.rendering, delivery.method, delivery.delivered_on, delivery.sent_by) == (
        rendering,
        "portal",
        DAY,
        owner,
    )
    assert (delivery.to_whom, delivery.notes, delivery.status) == (
        "ICE, through the DHS correspondence portal",
        "Confirmation number 24-0117",
        Delivery.Status.SENT,
    )
    assert list(LetterEvent.objects.filter(letter=letter).values_list("action", flat=True)[:2]) == [
        "signers.told_of_sending",
        "letter.status_changed",
    ]

    # Frozen: staff cannot change the list, the public page takes no more signatures.
    listed = letter.signatures.get(name="Detention Watch Network")
    with pytest.raises(signer_services.SignatureError, match="The letter has been sent"):
        signer_services.signature_set_hidden(signature=listed, user=owner, hidden=True)
    with pytest.raises(signer_services.SignatureError, match="The letter has been sent"):
        signer_services.signers_add_by_staff(letter=letter, user=owner, names=["Latecomer"])
    response = client.post(
        reverse("signatories:sign", args=[letter.public_id]),
        {"kind": "organization", "name": "Latecomer", "contact_name": "A", "email": "a@example.org",
         "consent": "on", "authorized": "on"},
    )  # fmt: skip
    assert response.status_code == 409
    assert not letter.signatures.filter(name="Latecomer").exists()
    assert letter.signatures.listed().count() == 3


def test_listed_signers_are_emailed_a_link_to_the_delivered_pdf(
    open_for_sign_on, owner, client, mailoutbox, django_capture_on_commit_callbacks
):
    letter = open_for_sign_on
    rendering = render(letter, owner)
    with django_capture_on_commit_callbacks(execute=True):
        record(letter, owner, rendering)

    assert sorted(m.to[0] for m in mailoutbox) == ["dwn@example.org", "phr@example.org"]
    message = next(m for m in mailoutbox if m.to == ["dwn@example.org"])
    assert message.subject == "Sent: RE: Segregation in immigration detention"
    assert "The letter you signed for Detention Watch Network has been sent" in message.body
    path = re.search(r"http://127\.0\.0\.1:8000(/sign/\S+/letter\.pdf)", message.body).group(1)
    assert path == reverse("signatories:sent_pdf", args=[letter.public_id])

    download = client.get(path)
    content = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/pdf"
    assert content == rendering.file.open("rb").read()
    text = pdf_text(content)
    assert "Detention Watch Network" in text and "Physicians for Human Rights" in text
    assert "Unconfirmed Group" not in text

    # A second delivery (by hand, after the portal) tells no one twice; a redelivered task sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        record(letter, owner, rendering, method=Delivery.Method.HAND, to_whom="ICE front desk")
    tasks.send_sent_notices(letter.pk)
    assert len(mailoutbox) == 2
    assert SentNotice.objects.filter(letter=letter, status="sent").count() == 2
    assert letter.deliveries.count() == 2


def test_notices_go_in_batches(
    open_for_sign_on, owner, monkeypatch, django_capture_on_commit_callbacks, mailoutbox
):
    for n in range(5):
        SignatureFactory(letter=open_for_sign_on, name=f"Group {n}", email=f"group{n}@example.org")
    monkeypatch.setattr(tasks, "EMAIL_BATCH", 3)
    rendering = render(open_for_sign_on, owner)
    with django_capture_on_commit_callbacks(execute=True):
        record(open_for_sign_on, owner, rendering)
    assert len(mailoutbox) == 7
    assert not SentNotice.objects.filter(status="queued").exists()


def test_a_closed_letter_is_sent_too(open_for_sign_on, owner):
    letter = letter_change_status(letter=open_for_sign_on, user=owner, status=Letter.Status.CLOSED)
    record(letter, owner, render(letter, owner))
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENT


def test_what_a_delivery_needs(open_for_sign_on, owner, letter):
    rendering = render(open_for_sign_on, owner)
    with pytest.raises(services.CampaignError, match="Say to whom"):
        record(open_for_sign_on, owner, rendering, to_whom="  ")
    with pytest.raises(services.CampaignError, match="Unknown delivery method"):
        record(open_for_sign_on, owner, rendering, method="pigeon")
    other = LetterFactory(campaign=open_for_sign_on.campaign)
    other = letter_change_status(letter=other, user=owner, status=Letter.Status.OPEN)
    with pytest.raises(services.CampaignError, match="Choose a finished PDF of this letter."):
        record(other, owner, rendering)
    Rendering.objects.filter(pk=rendering.pk).update(status=Rendering.Status.FAILED)
    rendering.refresh_from_db()
    with pytest.raises(services.CampaignError, match="Choose a finished PDF of this letter."):
        record(open_for_sign_on, owner, rendering)
    assert not Delivery.objects.exists()
    open_for_sign_on.refresh_from_db()
    assert open_for_sign_on.status == Letter.Status.OPEN


def test_a_draft_cannot_be_delivered(letter, owner):
    rendering = render(letter, owner)
    with pytest.raises(services.CampaignError, match="A draft cannot be delivered"):
        record(letter, owner, rendering)


def test_delivery_rules_in_the_database(open_for_sign_on, owner):
    rendering = render(open_for_sign_on, owner)
    delivery = record(open_for_sign_on, owner, rendering)
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(method="pigeon")
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(delivered_on=None)
    signature = open_for_sign_on.signatures.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        SentNotice.objects.create(letter=open_for_sign_on, signature=signature)
        SentNotice.objects.create(letter=open_for_sign_on, signature=signature)


def test_the_public_pdf_waits_for_sending(client, open_for_sign_on, owner, letter):
    render(open_for_sign_on, owner)
    url = reverse("signatories:sent_pdf", args=[open_for_sign_on.public_id])
    assert client.get(url).status_code == 404  # open: nothing delivered yet
    Letter.objects.filter(pk=letter.pk).update(status=Letter.Status.SENT)
    assert client.get(url).status_code == 404  # marked sent by hand: no delivered PDF to show


def test_sending_from_the_app_marks_the_letter_sent(
    client, editor, open_for_sign_on, owner, mailoutbox, django_capture_on_commit_callbacks
):
    rendering = render(open_for_sign_on, owner)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("letters:pdf_send", args=[open_for_sign_on.pk, rendering.pk]))
    open_for_sign_on.refresh_from_db()
    assert open_for_sign_on.status == Letter.Status.SENT
    delivery = Delivery.objects.get()
    assert delivery.delivered_on == timezone.localdate(delivery.sent_at)
    assert sorted(m.to[0] for m in mailoutbox) == [
        '"Mr. Patrick J. Lechleitner" <director@example.gov>',  # the letter itself
        "dwn@example.org",  # its signers, told it went out
        "phr@example.org",
    ]


def test_the_page_records_a_delivery(client, editor, open_for_sign_on, owner, campaign):
    rendering = render(open_for_sign_on, owner)
    client.force_login(editor)
    url = reverse("campaigns:delivery_record", args=[campaign.slug, open_for_sign_on.pk])
    page = client.get(url).content.decode()
    assert f'<option value="{rendering.pk}" selected>' in page
    response = client.post(
        url,
        {"delivered_on": "2024-02-05", "method": "hand", "to_whom": "ICE headquarters, front desk",
         "rendering": rendering.pk, "notes": ""},
        follow=True,
    )  # fmt: skip
    html = response.content.decode()
    assert "Delivery recorded: the letter is sent and its signers are being told." in html
    assert "Hand delivery" in html and "ICE headquarters, front desk" in html
    campaign_page = client.get(reverse("campaigns:detail", args=[campaign.slug])).content.decode()
    assert "Feb. 5, 2024" in campaign_page
    assert "delivered (hand delivery) to ICE headquarters, front desk" in campaign_page
    history = client.get(reverse("letters:preview", args=[open_for_sign_on.pk])).content.decode()
    assert "editor recorded a delivery: ICE headquarters, front desk" in history
    assert "editor emailed 2 signers that the letter was sent" in history


def test_without_a_pdf_the_page_says_to_render_one(client, owner, open_for_sign_on, campaign):
    client.force_login(owner)
    page = client.get(reverse("campaigns:delivery_record", args=[campaign.slug, open_for_sign_on.pk]))
    assert "Render the PDF first." in page.content.decode()
