"""Once anyone has signed, a change to the letter's text makes a new version signers can review."""

import re

from django.urls import reverse

from letters.models import LetterEvent
from letters.services import letter_record_version
from signatories.models import Signature

from ..factories import AskFactory, SignatureFactory
from .test_edit_letter import post_data


def edit(client, letter, **fields):
    data = post_data(
        {
            "title": letter.title,
            "subject": letter.subject,
            "body": letter.body,
            "closing": letter.closing,
            "joined_by_heading": letter.joined_by_heading,
            "sign_fields": ["city"],
            **fields,
        }
    )
    return client.post(reverse("letters:edit", args=[letter.pk]), data)


def test_opening_records_the_first_version(open_letter):
    version = open_letter.current_version()
    assert version.number == 1
    assert version.text["body"] == open_letter.body
    assert version.text["subject"] == "RE: A test subject"


def test_text_change_after_signing_makes_a_new_version(client, owner, open_letter):
    client.force_login(owner)
    edit(client, open_letter, title="Renamed for the team", deadline="2030-01-01T12:00")
    assert open_letter.versions.count() == 1  # no signer yet, and no text change

    SignatureFactory(letter=open_letter, letter_version=open_letter.current_version())
    edit(client, open_letter, title="Another title")
    assert open_letter.versions.count() == 1  # the title is not printed

    edit(client, open_letter, body="<p>New words.</p>")
    assert [v.number for v in open_letter.versions.all()] == [1, 2]
    assert open_letter.current_version().text["body"] == "<p>New words.</p>"
    assert LetterEvent.objects.filter(action="letter.new_version", data__number=2).exists()


def test_signers_record_the_version_they_saw_and_staff_see_who_saw_an_older_one(client, owner, open_letter):
    old = SignatureFactory(letter=open_letter, name="Early Signer", email="early@example.org")
    old.letter_version = open_letter.current_version()
    old.save()
    open_letter.body = "<p>Changed after signing.</p>"
    open_letter.save()
    letter_record_version(letter=open_letter, user=owner)
    SignatureFactory(letter=open_letter, name="Late Signer", letter_version=open_letter.current_version())

    client.force_login(owner)
    html = client.get(reverse("letters:versions", args=[open_letter.pk])).content.decode()
    older = re.search(r'<ul class="older-signers">(.*?)</ul>', html, re.S).group(1)
    assert "Early Signer" in older and "Late Signer" not in older
    assert "Email 1 signer the change" in html


def test_compare_versions(client, viewer, open_letter):
    AskFactory(letter=open_letter, title="Keep routes", text="All of them.")
    open_letter.body = (
        "<p>The undersigned {{ signer_count }} organizations write to you.</p><p>A new paragraph.</p>"
    )
    open_letter.save()
    letter_record_version(letter=open_letter, user=None)

    client.force_login(viewer)
    response = client.get(reverse("letters:compare", args=[open_letter.pk, 1, 2]))
    html = response.content.decode()
    assert '<div class="diff-added">+ A new paragraph.</div>' in html
    assert '<div class="diff-added">+ 1. Keep routes All of them.</div>' in html
    assert "diff-removed" not in html
    assert client.get(reverse("letters:compare", args=[open_letter.pk, 1, 9])).status_code == 404


def test_notify_emails_each_older_signer_once_with_a_review_link(
    client, owner, open_letter, mailoutbox, django_capture_on_commit_callbacks
):
    signature = SignatureFactory(
        letter=open_letter,
        name="Early Signer",
        email="early@example.org",
        letter_version=open_letter.current_version(),
    )
    SignatureFactory(letter=open_letter, name="No Email", letter_version=open_letter.current_version())
    open_letter.body = "<p>Changed.</p>"
    open_letter.save()
    letter_record_version(letter=open_letter, user=owner)
    client.force_login(owner)

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("letters:notify_signers", args=[open_letter.pk]))

    assert [m.to for m in mailoutbox] == [["early@example.org"]]
    path = re.search(r"http://127\.0\.0\.1:8000(/signature/review/\S+/)", mailoutbox[0].body).group(1)
    client.logout()
    page = client.get(path).content.decode()
    assert "Changed." in page and "Yes, keep my signature" in page
    client.post(path)
    signature.refresh_from_db()
    assert signature.letter_version.number == 2
    assert signature.status == Signature.Status.ACCEPTED


def test_review_link_can_withdraw(client, open_letter):
    from signatories import tokens

    signature = SignatureFactory(letter=open_letter, letter_version=open_letter.current_version())
    client.post(reverse("signatories:withdraw", args=[tokens.make_token(signature, tokens.REVIEW_CHANGE)]))
    signature.refresh_from_db()
    assert signature.status == Signature.Status.WITHDRAWN


def test_versions_permissions(client, viewer, outsider, open_letter):
    client.force_login(viewer)
    assert client.get(reverse("letters:versions", args=[open_letter.pk])).status_code == 200
    assert client.post(reverse("letters:notify_signers", args=[open_letter.pk])).status_code == 403
    assert client.get(reverse("letters:notify_signers", args=[open_letter.pk])).status_code == 405
    client.force_login(outsider)
    assert client.get(reverse("letters:versions", args=[open_letter.pk])).status_code == 404
