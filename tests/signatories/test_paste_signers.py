from django.urls import reverse

from letters.models import LetterEvent
from signatories.models import Signature

from ..factories import SignatureFactory


def test_pasted_names_are_added_once_each(client, owner, letter):
    SignatureFactory(letter=letter, name="Make the Road New York")
    client.force_login(owner)
    names = (
        "Acacia Center for Justice\n\n  MAKE   the road new york \nAcacia Center for Justice\nAl Otro Lado\n"
    )

    response = client.post(
        reverse("signatories:staff_paste", args=[letter.pk]), {"names": names}, follow=True
    )

    assert "Added 2 signers; 2 already on the letter were skipped." in response.content.decode()
    assert sorted(letter.signatures.values_list("name", flat=True)) == [
        "Acacia Center for Justice",
        "Al Otro Lado",
        "Make the Road New York",
    ]
    added = letter.signatures.get(name="Al Otro Lado")
    assert added.status == Signature.Status.ACCEPTED and added.source == Signature.Source.STAFF
    assert LetterEvent.objects.get(action="signers.added").data == {"count": 2}


def test_blank_and_overlong_names_are_refused(client, owner, letter):
    client.force_login(owner)
    response = client.post(reverse("signatories:staff_paste", args=[letter.pk]), {"names": "  \n \n"})
    assert (
        "This field is required." in response.content.decode()
        or "Enter at least one name." in response.content.decode()
    )
    response = client.post(
        reverse("signatories:staff_paste", args=[letter.pk]), {"names": "ok\n" + "x" * 301}
    )
    assert "Names are limited to 300 characters" in response.content.decode()
    assert not letter.signatures.exists()


def test_signer_names_are_escaped(client, owner, letter):
    SignatureFactory(letter=letter, name="<script>alert(1)</script>")
    client.force_login(owner)
    for name in ["signatories:staff_list", "letters:preview"]:
        html = client.get(reverse(name, args=[letter.pk])).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_viewer_sees_signers_but_cannot_add(client, viewer, letter):
    client.force_login(viewer)
    page = client.get(reverse("signatories:staff_list", args=[letter.pk]))
    assert page.status_code == 200 and "Add signers" not in page.content.decode()
    assert (
        client.post(reverse("signatories:staff_paste", args=[letter.pk]), {"names": "X"}).status_code == 403
    )
    assert not letter.signatures.exists()
