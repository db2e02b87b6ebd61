"""Once a letter is sent its signer list is the list that went out: nothing changes it."""

import pytest
from django.urls import reverse

from letters.models import Letter
from signatories import services
from signatories.models import Signature

from ..factories import SignatureFactory


@pytest.fixture
def sent_letter(letter):
    letter.status = Letter.Status.SENT
    letter.save()
    return letter


@pytest.mark.parametrize(
    "change",
    [
        lambda s, u: services.signature_moderate(signature=s, user=u, action="reject"),
        lambda s, u: services.signature_set_hidden(signature=s, user=u, hidden=True),
        lambda s, u: services.signature_rename(signature=s, user=u, name="Renamed"),
        lambda s, u: services.signature_set_lead(signature=s, user=u, is_lead=True),
        lambda s, u: services.signature_withdraw(signature=s, user=u),
        lambda s, u: services.signers_add_by_staff(letter=s.letter, user=u, names=["Newcomer"]),
    ],
)
def test_staff_changes_are_refused(sent_letter, owner, change):
    signature = SignatureFactory(letter=sent_letter, name="Listed Group")
    with pytest.raises(services.SignatureError, match="The letter has been sent"):
        change(signature, owner)
    signature.refresh_from_db()
    assert (signature.status, signature.name, signature.is_hidden, signature.is_lead) == (
        Signature.Status.ACCEPTED,
        "Listed Group",
        False,
        False,
    )
    assert sent_letter.signatures.count() == 1


def test_table_action_explains(client, owner, sent_letter):
    signature = SignatureFactory(letter=sent_letter)
    client.force_login(owner)
    response = client.post(
        reverse("signatories:staff_action", args=[sent_letter.pk, signature.pk, "reject"]), follow=True
    )
    assert "The letter has been sent; its signers can no longer change." in response.content.decode()
    signature.refresh_from_db()
    assert signature.status == Signature.Status.ACCEPTED


def test_directory_merge_leaves_sent_letters_alone(sent_letter, owner):
    first = SignatureFactory(letter=sent_letter, name="Black Alliance for Just Immigration")
    second = SignatureFactory(letter=sent_letter, name="BAJI")
    services.link_signatures([first, second])
    services.organizations_merge(
        survivor=first.organization, merged=second.organization, display_name=first.name, user=owner
    )
    second.refresh_from_db()
    assert second.status == Signature.Status.ACCEPTED
