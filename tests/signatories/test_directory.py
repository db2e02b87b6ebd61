"""The organization directory: linking signatures, merging duplicates and undoing it, "not the same"."""

import pytest
from django.db import IntegrityError

from letters.services import letter_change_status
from signatories import services
from signatories.models import NotSameOrganization, Organization, OrganizationMerge, Signature
from signatories.services import signers_add_by_staff

from ..factories import LetterFactory


@pytest.fixture
def two_letters(campaign, owner):
    first = letter_change_status(letter=LetterFactory(campaign=campaign), user=owner, status="open")
    second = letter_change_status(letter=LetterFactory(campaign=campaign), user=owner, status="open")
    return first, second


def add(letter, name, **fields):
    signature = Signature(letter=letter, **fields)
    signature.set_name(name)
    return services.signature_add_by_staff(letter=letter, user=None, signature=signature)


def test_same_spelling_links_to_one_organization_across_letters(two_letters):
    first, second = two_letters
    a = add(first, "FAITH IN TEXAS", email="a@fit.example", contact_name="A", city="Houston", state="TX")
    b = add(second, "Faith In Texas", email="b@fit.example", contact_name="B")
    assert a.organization_id == b.organization_id
    organization = a.organization
    organization.refresh_from_db()
    assert (organization.city, organization.state) == ("Houston", "TX")
    assert sorted(organization.contacts.values_list("email", flat=True)) == ["a@fit.example", "b@fit.example"]
    assert set(organization.signatures.values_list("letter", flat=True)) == {first.pk, second.pk}


def test_a_look_alike_gets_its_own_entry(two_letters):
    first, _second = two_letters
    york = add(first, "Make the Road New York")
    jersey = add(first, "Make the Road New Jersey")
    assert york.organization_id != jersey.organization_id


def test_pasted_and_lead_signers_are_linked(two_letters):
    first, _second = two_letters
    added, _skipped = signers_add_by_staff(letter=first, user=None, names=["Al Otro Lado"])
    assert added[0].organization.name == "Al Otro Lado"
    assert Signature.objects.get(pk=added[0].pk).organization_id == added[0].organization_id


def test_individuals_are_not_in_the_directory(two_letters):
    first, _second = two_letters
    person = add(first, "Dr. Rosa Park", kind="individual", email="rosa@example.org")
    assert person.organization is None
    assert not Organization.objects.exists()


def test_merge_moves_spellings_contacts_and_signatures_and_can_be_undone(two_letters, owner):
    first, second = two_letters
    baji = add(first, "Black Alliance for Just Immigration", email="a@baji.example", contact_name="A")
    short = add(first, "BAJI", email="b@baji.example", contact_name="B")
    elsewhere = add(second, "BAJI", email="c@baji.example", contact_name="C")
    survivor, merged = baji.organization, short.organization

    merge = services.organizations_merge(
        survivor=survivor,
        merged=merged,
        display_name="Black Alliance for Just Immigration (BAJI)",
        user=owner,
    )

    survivor.refresh_from_db()
    merged.refresh_from_db()
    assert survivor.name == "Black Alliance for Just Immigration (BAJI)"
    assert merged.merged_into == survivor
    assert services.organization_for_name("baji") == survivor
    assert sorted(survivor.contacts.values_list("email", flat=True)) == [
        "a@baji.example",
        "b@baji.example",
        "c@baji.example",
    ]
    short.refresh_from_db()
    elsewhere.refresh_from_db()
    # On the letter both signed, one signature stays listed; the other is folded into it, not deleted.
    assert (short.status, short.merged_into_id) == (Signature.Status.MERGED, baji.pk)
    assert list(first.signatures.listed().values_list("name", flat=True)) == [
        "Black Alliance for Just Immigration"
    ]
    assert (elsewhere.status, elsewhere.organization_id) == (Signature.Status.ACCEPTED, survivor.pk)
    assert first.events.filter(action="signature.merged").exists()

    services.organization_merge_undo(merge=merge, user=owner)

    survivor.refresh_from_db()
    merged.refresh_from_db()
    short.refresh_from_db()
    elsewhere.refresh_from_db()
    assert survivor.name == "Black Alliance for Just Immigration"
    assert merged.merged_into is None
    assert (short.status, short.merged_into_id, short.organization_id) == ("accepted", None, merged.pk)
    assert elsewhere.organization_id == merged.pk
    assert services.organization_for_name("BAJI") == merged
    assert sorted(merged.contacts.values_list("email", flat=True)) == ["b@baji.example", "c@baji.example"]
    assert OrganizationMerge.objects.get().undone_by == owner
    with pytest.raises(services.DirectoryError):
        services.organization_merge_undo(merge=merge, user=owner)


def test_merges_undo_in_reverse_order(two_letters, owner):
    first, _second = two_letters
    a, b, c = (
        add(first, name).organization for name in ["Alpha Fund", "Alpha Fund Texas", "Alpha Fund Ohio"]
    )
    earlier = services.organizations_merge(survivor=a, merged=b, display_name="Alpha Fund", user=owner)
    services.organizations_merge(survivor=a, merged=c, display_name="Alpha Fund", user=owner)
    with pytest.raises(services.DirectoryError, match="Undo the later merges"):
        services.organization_merge_undo(merge=earlier, user=owner)


def test_merging_twice_or_with_itself_is_refused(two_letters, owner):
    first, _second = two_letters
    a, b = add(first, "One").organization, add(first, "Two").organization
    with pytest.raises(services.DirectoryError):
        services.organizations_merge(survivor=a, merged=a, display_name="One", user=owner)
    services.organizations_merge(survivor=a, merged=b, display_name="One", user=owner)
    with pytest.raises(services.DirectoryError):
        services.organizations_merge(survivor=a, merged=b, display_name="One", user=owner)


def test_not_the_same_is_remembered_once_per_pair(two_letters, owner):
    first, _second = two_letters
    a, b = add(first, "Human Rights First").organization, add(first, "Human Rights Watch").organization
    services.organizations_mark_not_same(first=b, second=a, user=owner)
    services.organizations_mark_not_same(first=a, second=b, user=owner)
    pair = NotSameOrganization.objects.get()
    assert (pair.first_id, pair.second_id) == tuple(sorted([a.pk, b.pk]))
    with pytest.raises(IntegrityError):
        NotSameOrganization.objects.create(first=b, second=a)


def test_a_declared_acronym_is_kept_in_the_directory(two_letters):
    first, _second = two_letters
    organization = add(first, "Black Alliance for Just Immigration (BAJI)").organization
    assert organization.acronym == "BAJI"
    assert add(first, "Al Otro Lado").organization.acronym == ""


def test_undo_leaves_a_sent_letters_signers_as_they_went_out(two_letters, owner):
    first, _second = two_letters
    full = add(first, "Black Alliance for Just Immigration")
    short = add(first, "BAJI")
    merge = services.organizations_merge(
        survivor=full.organization, merged=short.organization, display_name=full.name, user=owner
    )
    first.status = "sent"
    first.save()
    services.organization_merge_undo(merge=merge, user=owner)
    short.refresh_from_db()
    assert short.status == Signature.Status.MERGED
