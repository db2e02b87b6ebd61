"""Starting a follow-up letter from a sent one: what is copied, what is not, and the link between them."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from campaigns import services
from campaigns.models import FollowUp
from letters.models import Letter, LetterEvent

from ..factories import CarbonCopyFactory, ContactFactory, LetterFactory, RecipientFactory


@pytest.fixture
def full_letter(sent_letter):
    RecipientFactory(
        letter=sent_letter, name="The Honorable Alejandro Mayorkas", salutation_name="Secretary Mayorkas"
    )
    CarbonCopyFactory(letter=sent_letter, name="Ms. Shoba Wadhia", organization="CRCL")
    CarbonCopyFactory(letter=sent_letter, name="Mr. Joseph Cuffari", organization="OIG")
    ContactFactory(letter=sent_letter, name="Setareh Ghandehari", organization="Detention Watch Network")
    sent_letter.requires_approval = True
    sent_letter.allow_individuals = True
    sent_letter.sign_fields = ["city", "state"]
    sent_letter.save()
    return sent_letter


def parts(letter, related, *fields):
    return list(getattr(letter, related).values_list("position", *fields))


def test_every_part_is_copied_in_order(full_letter, owner):
    # Reorder so that copying by id would show: positions, not ids, decide the order.
    first, second, third = full_letter.asks.all()
    for ask, position in [(first, 2), (second, 1), (third, 0)]:
        ask.position = position
        ask.save()

    follow_up = services.letter_start_follow_up(letter=full_letter, user=owner, title="Second letter")

    assert parts(follow_up, "recipients", "name", "salutation_name") == parts(
        full_letter, "recipients", "name", "salutation_name"
    )
    assert [a.title for a in follow_up.asks.all()] == [
        "Train field office staff",
        "Publish segregation data",
        "End solitary confinement",
    ]
    assert parts(follow_up, "asks", "title", "text") == parts(full_letter, "asks", "title", "text")
    assert parts(follow_up, "cc", "name", "organization") == parts(full_letter, "cc", "name", "organization")
    assert parts(follow_up, "contacts", "name", "organization", "email") == parts(
        full_letter, "contacts", "name", "organization", "email"
    )
    # The copies are new rows: editing the follow-up leaves the sent letter alone.
    assert not set(follow_up.asks.values_list("id", flat=True)) & set(
        full_letter.asks.values_list("id", flat=True)
    )


def test_the_follow_up_is_a_new_draft_without_signers(full_letter, owner):
    follow_up = services.letter_start_follow_up(letter=full_letter, user=owner, title="Second letter")
    assert follow_up.status == Letter.Status.DRAFT
    assert follow_up.campaign == full_letter.campaign
    assert follow_up.title == "Second letter"
    assert follow_up.public_id != full_letter.public_id
    assert follow_up.date is None and follow_up.deadline is None
    assert follow_up.signatures.count() == 0 and full_letter.signatures.count() == 2
    assert follow_up.subject == "Follow-up: RE: Segregation in immigration detention"
    assert (follow_up.requires_approval, follow_up.allow_individuals, follow_up.sign_fields) == (
        True,
        True,
        ["city", "state"],
    )
    link = FollowUp.objects.get()
    assert (link.original, link.follow_up, link.created_by) == (full_letter, follow_up, owner)
    assert LetterEvent.objects.filter(letter=full_letter, action="letter.follow_up_started").exists()


def test_the_opening_cites_the_letter_and_the_response(full_letter, owner):
    first, second, third = full_letter.asks.all()
    services.response_record(
        letter=full_letter,
        user=owner,
        received_on=datetime.date(2024, 5, 29),
        from_whom="ICE",
        summary="Partly.",
        positions=[
            (first, "concurred", ""),
            (second, "non_concurred", ""),
            (third, "partially_concurred", ""),
        ],
    )
    follow_up = services.letter_start_follow_up(letter=full_letter, user=owner, title="Second letter")
    assert follow_up.body == (
        "<p>On February 5, 2024, two signers wrote to you: “RE: Segregation in immigration detention”.</p>"
        "<p>In your response of May 29, 2024, you concurred with one of the three asks, partially concurred "
        "with one, and non-concurred with one.</p>"
        "<p>You have yet to act on:</p>"
        "<ul><li>Publish segregation data</li><li>Train field office staff</li></ul>"
        "<p>We repeat our asks:</p>"
    )


def test_without_a_response_the_opening_says_so(full_letter, owner):
    follow_up = services.letter_start_follow_up(letter=full_letter, user=owner, title="Second letter")
    assert "<p>We have not received a response.</p>" in follow_up.body


def test_only_a_sent_letter_is_followed_up(open_letter, owner):
    with pytest.raises(services.CampaignError, match="A follow-up starts from a sent letter."):
        services.letter_start_follow_up(letter=open_letter, user=owner, title="Too early")
    assert Letter.objects.count() == 1


def test_a_letter_follows_at_most_one_letter(sent_letter, owner):
    follow_up = services.letter_start_follow_up(letter=sent_letter, user=owner, title="Second letter")
    other = LetterFactory(campaign=sent_letter.campaign)
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.create(original=other, follow_up=follow_up)


def test_a_letter_does_not_follow_itself(sent_letter):
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.create(original=sent_letter, follow_up=sent_letter)


def test_start_from_the_page(client, editor, sent_letter, campaign):
    client.force_login(editor)
    url = reverse("campaigns:follow_up_start", args=[campaign.slug, sent_letter.pk])
    assert 'value="Follow-up: Keep the buses running"' in client.get(url).content.decode()
    response = client.post(url, {"title": "A month later"})
    follow_up = Letter.objects.get(title="A month later")
    assert response["Location"] == reverse("letters:edit", args=[follow_up.pk])
    outcome = client.get(
        reverse("campaigns:letter_outcome", args=[campaign.slug, sent_letter.pk])
    ).content.decode()
    assert "Followed up by" in outcome and "A month later" in outcome
