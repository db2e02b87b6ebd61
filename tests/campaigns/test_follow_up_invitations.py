"""Inviting an earlier letter's signers to sign its follow-up: one email each, a link that prefills."""

import re

import pytest
from django.core import signing
from django.urls import reverse

from campaigns import invitations, services, tasks
from campaigns.models import FollowUp, FollowUpInvitation
from letters.services import letter_change_status
from signatories.models import Signature

from ..factories import SignatureFactory


@pytest.fixture
def follow_up(sent_letter, owner):
    sent_letter.allow_individuals = True
    sent_letter.save()
    SignatureFactory(
        letter=sent_letter,
        kind=Signature.Kind.INDIVIDUAL,
        name="Dr. Ranit Mishori",
        title="Senior Medical Advisor",
        affiliation="Georgetown University",
        email="ranit@example.org",
        city="Washington",
        state="DC",
    )
    SignatureFactory(letter=sent_letter, name="No Email Coalition", email="")
    SignatureFactory(letter=sent_letter, name="Hidden Group", email="hidden@example.org", is_hidden=True)
    SignatureFactory(
        letter=sent_letter,
        name="Withdrawn Group",
        email="gone@example.org",
        status=Signature.Status.WITHDRAWN,
    )
    letter = services.letter_start_follow_up(letter=sent_letter, user=owner, title="Second letter")
    letter = letter_change_status(letter=letter, user=owner, status="open")
    return FollowUp.objects.get(follow_up=letter)


def invite(client, follow_up, capture):
    with capture(execute=True):
        return client.post(
            reverse(
                "campaigns:follow_up_invite", args=[follow_up.follow_up.campaign.slug, follow_up.follow_up.pk]
            ),
            follow=True,
        )


def link_in(message):
    return re.search(r"http://127\.0\.0\.1:8000(/sign/\S+)", message.body).group(1)


def test_each_listed_signer_with_an_email_gets_one_email(
    client, editor, follow_up, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    response = invite(client, follow_up, django_capture_on_commit_callbacks)
    assert "Invited 3 earlier signers" in response.content.decode()
    assert sorted(m.to[0] for m in mailoutbox) == ["dwn@example.org", "phr@example.org", "ranit@example.org"]
    message = next(m for m in mailoutbox if m.to == ["dwn@example.org"])
    assert (
        message.subject == "Will you sign the follow-up? Follow-up: RE: Segregation in immigration detention"
    )
    assert (
        "You signed “RE: Segregation in immigration detention” for Detention Watch Network." in message.body
    )
    assert f"/sign/{follow_up.follow_up.public_id}/?invite=" in message.body
    assert set(FollowUpInvitation.objects.values_list("status", flat=True)) == {"sent"}

    # A second click, or a redelivered task, sends nothing more.
    response = invite(client, follow_up, django_capture_on_commit_callbacks)
    assert "Invited 0 earlier signers" in response.content.decode()
    tasks.send_follow_up_invitations(follow_up.pk)
    assert len(mailoutbox) == 3
    assert FollowUpInvitation.objects.count() == 3


def test_signers_who_already_signed_the_follow_up_are_not_invited(owner, follow_up, mailoutbox):
    SignatureFactory(letter=follow_up.follow_up, name="Detention Watch Network", email="someone@example.org")
    assert services.follow_up_invite_signers(follow_up=follow_up, user=owner) == 2


def test_invitations_go_in_batches(owner, follow_up, monkeypatch, django_capture_on_commit_callbacks):
    for n in range(5):
        SignatureFactory(letter=follow_up.original, name=f"Group {n}", email=f"group{n}@example.org")
    monkeypatch.setattr(tasks, "EMAIL_BATCH", 3)
    batches = []
    real = tasks.send_follow_up_invitations.run

    def counting(follow_up_id):
        batches.append(real(follow_up_id))
        return batches[-1]

    monkeypatch.setattr(tasks.send_follow_up_invitations, "run", counting)
    with django_capture_on_commit_callbacks(execute=True):
        services.follow_up_invite_signers(follow_up=follow_up, user=owner)
    assert batches == [3, 3, 2]
    assert not FollowUpInvitation.objects.filter(status="queued").exists()


def test_the_link_prefills_the_form(client, owner, follow_up, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.follow_up_invite_signers(follow_up=follow_up, user=owner)
    organization = next(m for m in mailoutbox if m.to == ["dwn@example.org"])
    page = client.get(link_in(organization)).content.decode()
    assert 'name="name" value="Detention Watch Network"' in page
    assert 'name="contact_name" value="Ana"' in page
    assert 'name="email" value="dwn@example.org"' in page

    individual = next(m for m in mailoutbox if m.to == ["ranit@example.org"])
    assert "as=individual" in link_in(individual)
    page = client.get(link_in(individual)).content.decode()
    assert 'name="name" value="Dr. Ranit Mishori"' in page
    assert 'name="affiliation" value="Georgetown University"' in page
    assert 'name="title" value="Senior Medical Advisor"' in page


def _token_for(follow_up, signature, **changes):
    payload = {"s": signature.pk, "l": str(follow_up.follow_up.public_id), **changes}
    return signing.dumps(payload, salt=invitations.SALT)


@pytest.mark.parametrize(
    "make_token",
    [
        lambda f, s: _token_for(f, s) + "x",  # tampered
        lambda f, s: signing.dumps({"s": s.pk, "l": str(f.follow_up.public_id)}, salt="signature.manage"),
        lambda f, s: _token_for(f, s, l=str(f.original.public_id)),  # made for another letter
        lambda f, s: "not-a-token",
    ],
)
def test_a_bad_link_shows_the_plain_form(client, owner, follow_up, make_token):
    signature = follow_up.original.signatures.get(name="Detention Watch Network")
    services.follow_up_invite_signers(follow_up=follow_up, user=owner)
    url = reverse("signatories:sign", args=[follow_up.follow_up.public_id])
    response = client.get(url, {"invite": make_token(follow_up, signature)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Detention Watch Network" not in page and "dwn@example.org" not in page
    assert 'name="name"' in page


def test_an_expired_link_shows_the_plain_form(client, owner, follow_up, monkeypatch):
    signature = follow_up.original.signatures.get(name="Detention Watch Network")
    services.follow_up_invite_signers(follow_up=follow_up, user=owner)
    token = _token_for(follow_up, signature)
    monkeypatch.setattr(invitations, "MAX_AGE", -1)
    page = client.get(reverse("signatories:sign", args=[follow_up.follow_up.public_id]), {"invite": token})
    assert page.status_code == 200
    assert "dwn@example.org" not in page.content.decode()


def test_a_signer_never_invited_gets_no_prefill(client, follow_up):
    signature = follow_up.original.signatures.get(name="Detention Watch Network")
    url = reverse("signatories:sign", args=[follow_up.follow_up.public_id])
    assert (
        "dwn@example.org"
        not in client.get(url, {"invite": _token_for(follow_up, signature)}).content.decode()
    )


def test_invitations_wait_until_the_follow_up_is_open(client, owner, sent_letter, campaign, mailoutbox):
    letter = services.letter_start_follow_up(letter=sent_letter, user=owner, title="Still a draft")
    client.force_login(owner)
    response = client.post(
        reverse("campaigns:follow_up_invite", args=[campaign.slug, letter.pk]), follow=True
    )
    assert "Open the follow-up for sign-on before inviting signers." in response.content.decode()
    assert not FollowUpInvitation.objects.exists() and mailoutbox == []


def test_a_letter_that_follows_nothing_has_no_invitations(client, owner, open_letter, campaign):
    client.force_login(owner)
    assert (
        client.post(reverse("campaigns:follow_up_invite", args=[campaign.slug, open_letter.pk])).status_code
        == 404
    )


def test_one_invitation_per_signer_and_follow_up(owner, follow_up):
    from django.db import IntegrityError, transaction

    signature = follow_up.original.signatures.first()
    FollowUpInvitation.objects.create(follow_up=follow_up, signature=signature)
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUpInvitation.objects.create(follow_up=follow_up, signature=signature)
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUpInvitation.objects.filter(signature=signature).update(status="bounced")
