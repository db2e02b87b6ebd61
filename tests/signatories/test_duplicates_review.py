"""Reviewing possible duplicates: per letter and in the directory; merge, undo, "not the same"."""

import pytest
from django.urls import reverse

from letters.services import letter_change_status
from signatories import services
from signatories.models import NotSameOrganization, Organization, Signature

from ..factories import LetterFactory, SignatureFactory


def signer(letter, name, **fields):
    signature = SignatureFactory(letter=letter, name=name, **fields)
    services.link_signatures([signature])
    return signature


@pytest.fixture
def signed_letter(letter, owner):
    letter = letter_change_status(letter=letter, user=owner, status="open")
    signer(letter, "Black Alliance for Just Immigration", contact_name="Ana", email="ana@baji.example")
    signer(letter, "BAJI", contact_name="Ben", email="ben@baji.example")
    signer(letter, "Human Rights First")
    signer(letter, "Human Rights Watch")
    signer(letter, "Make the Road NY")
    signer(letter, "Make the Road New Jersey")
    return letter


def pairs(response):
    return [(c.first.name, c.second.name) for c, _first, _second in response.context["rows"]]


def test_letter_page_proposes_likely_pairs_with_a_reason(client, owner, signed_letter):
    client.force_login(owner)
    response = client.get(reverse("signatories:letter_duplicates", args=[signed_letter.pk]))
    assert pairs(response) == [("Black Alliance for Just Immigration", "BAJI")]
    html = response.content.decode()
    assert "BAJI" in html and "ana@baji.example" in html and "ben@baji.example" in html
    assert "confidence" in html


def test_merge_from_the_letter_page_then_undo(client, owner, signed_letter):
    client.force_login(owner)
    baji = Signature.objects.get(name="BAJI")
    full = Signature.objects.get(name="Black Alliance for Just Immigration")
    response = client.post(
        reverse("signatories:merge"),
        {
            "first": full.organization_id,
            "second": baji.organization_id,
            "display_name": "Black Alliance for Just Immigration",
            "next": reverse("signatories:letter_duplicates", args=[signed_letter.pk]),
        },
        follow=True,
    )
    assert "Merged BAJI into Black Alliance for Just Immigration" in response.content.decode()
    assert pairs(response) == []
    baji.refresh_from_db()
    assert baji.status == Signature.Status.MERGED
    listed = list(signed_letter.signatures.listed().values_list("name", flat=True))
    assert "BAJI" not in listed and "Black Alliance for Just Immigration" in listed

    detail = client.get(reverse("signatories:directory_detail", args=[full.organization_id])).content.decode()
    assert "ben@baji.example" in detail and "BAJI" in detail
    merge = full.organization.merges_received.get()
    client.post(reverse("signatories:merge_undo", args=[merge.pk]))
    baji.refresh_from_db()
    assert baji.status == Signature.Status.ACCEPTED
    assert pairs(client.get(reverse("signatories:letter_duplicates", args=[signed_letter.pk]))) == [
        ("Black Alliance for Just Immigration", "BAJI")
    ]


def test_not_the_same_is_never_proposed_again(client, owner, signed_letter):
    client.force_login(owner)
    first = Organization.objects.get(name="Black Alliance for Just Immigration")
    second = Organization.objects.get(name="BAJI")
    client.post(reverse("signatories:not_same"), {"first": first.pk, "second": second.pk})
    assert NotSameOrganization.objects.count() == 1
    assert pairs(client.get(reverse("signatories:letter_duplicates", args=[signed_letter.pk]))) == []
    # Another letter with the same two spellings: still not proposed.
    other = letter_change_status(
        letter=LetterFactory(campaign=signed_letter.campaign), user=owner, status="open"
    )
    signer(other, "BAJI")
    signer(other, "Black Alliance for Just Immigration")
    assert pairs(client.get(reverse("signatories:letter_duplicates", args=[other.pk]))) == []


def test_directory_duplicates_span_letters(client, owner, campaign):
    first = letter_change_status(letter=LetterFactory(campaign=campaign), user=owner, status="open")
    second = letter_change_status(letter=LetterFactory(campaign=campaign), user=owner, status="open")
    signer(first, "ISLA: Immigration Services and Legal Advocacy")
    signer(second, "ISLA")
    client.force_login(owner)
    response = client.get(reverse("signatories:directory_duplicates"))
    found = [(c.first.name, c.second.name) for c, _first, _second in response.context["rows"]]
    assert found == [("ISLA: Immigration Services and Legal Advocacy", "ISLA")]


def test_directory_shows_only_what_the_user_may_see(client, owner, outsider, signed_letter):
    hidden = LetterFactory()  # another coalition's letter
    signer(hidden, "Black Alliance for Just Immigration", email="secret@other.example", contact_name="S")
    organization = Organization.objects.get(name="Black Alliance for Just Immigration")
    client.force_login(owner)
    detail = client.get(reverse("signatories:directory_detail", args=[organization.pk])).content.decode()
    assert "ana@baji.example" in detail and "secret@other.example" not in detail
    assert hidden.title not in detail
    client.force_login(outsider)
    assert client.get(reverse("signatories:directory_detail", args=[organization.pk])).status_code == 404
    assert "Black Alliance" not in client.get(reverse("signatories:directory")).content.decode()


def test_merge_refused_for_viewers_and_outsiders(client, viewer, outsider, signed_letter):
    first = Organization.objects.get(name="Black Alliance for Just Immigration")
    second = Organization.objects.get(name="BAJI")
    data = {"first": first.pk, "second": second.pk, "display_name": "X"}
    for user in [viewer, outsider]:
        client.force_login(user)
        response = client.post(reverse("signatories:merge"), data, follow=True)
        assert "Choose two different organizations you can edit." in response.content.decode()
    second.refresh_from_db()
    assert second.merged_into is None
    client.force_login(viewer)
    assert client.get(reverse("signatories:letter_duplicates", args=[signed_letter.pk])).status_code == 403
    assert client.get(reverse("signatories:merge")).status_code == 405
    client.force_login(outsider)
    assert client.get(reverse("signatories:letter_duplicates", args=[signed_letter.pk])).status_code == 404


def test_bad_merge_input_is_explained(client, owner, signed_letter):
    client.force_login(owner)
    first = Organization.objects.get(name="Black Alliance for Just Immigration")
    for data in [
        {"first": "x", "second": first.pk, "display_name": "A"},
        {"first": first.pk, "second": first.pk, "display_name": "A"},
    ]:
        response = client.post(reverse("signatories:merge"), data, follow=True)
        assert response.status_code == 200
        assert "alert-danger" in response.content.decode()
    assert not first.merges_received.exists()


def test_merge_cannot_reach_another_coalitions_letters(client, outsider, signed_letter):
    """Staff of another campaign sign the same two names on their own letter, then try to merge."""
    from campaigns.models import Campaign

    own_campaign = Campaign.objects.get(memberships__user=outsider)
    own = letter_change_status(letter=LetterFactory(campaign=own_campaign), user=outsider, status="open")
    signer(own, "Black Alliance for Just Immigration")
    signer(own, "BAJI")
    first = Organization.objects.get(name="Black Alliance for Just Immigration")
    second = Organization.objects.get(name="BAJI")
    client.force_login(outsider)

    response = client.post(
        reverse("signatories:merge"),
        {"first": first.pk, "second": second.pk, "display_name": "Hacked Name"},
        follow=True,
    )

    assert "can only be merged by a site administrator" in response.content.decode()
    first.refresh_from_db()
    assert first.name == "Black Alliance for Just Immigration"
    assert signed_letter.signatures.get(name="BAJI").status == Signature.Status.ACCEPTED
    # Their own look-alikes are still theirs to merge.
    mine_a, mine_b = signer(own, "Solo Fund Texas"), signer(own, "Solo Fund Texsa")
    client.post(
        reverse("signatories:merge"),
        {
            "first": mine_a.organization_id,
            "second": mine_b.organization_id,
            "display_name": "Solo Fund Texas",
        },
    )
    assert Organization.objects.get(pk=mine_b.organization_id).merged_into_id == mine_a.organization_id


def test_huge_ids_are_refused_cleanly(client, owner, signed_letter):
    client.force_login(owner)
    response = client.post(
        reverse("signatories:merge"), {"first": "9" * 30, "second": "1", "display_name": "A"}, follow=True
    )
    assert response.status_code == 200 and "alert-danger" in response.content.decode()
