"""Public sign-on: the page, the form, email confirmation, managing a signature, the deadline, abuse."""

import datetime
import re
from unittest import mock

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from letters.models import Letter
from signatories import services, tokens
from signatories.models import Signature

from ..factories import SignatureFactory

ORGANIZATION = {
    "kind": "organization",
    "name": "Make the Road New York",
    "contact_name": "Ana Díaz",
    "title": "Policy Director",
    "email": "ana@maketheroad.example",
    "city": "Brooklyn",
    "state": "NY",
    "scope": "state",
    "website": "https://maketheroad.example",
    "consent": "on",
    "authorized": "on",
    "homepage": "",
}


def sign_url(letter):
    return reverse("signatories:sign", args=[letter.public_id])


def submit(client, letter, django_capture_on_commit_callbacks, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(sign_url(letter), {**ORGANIZATION, **fields})


def link_in(message):
    return re.search(r"http://127\.0\.0\.1:8000(/signature/\S+/)", message.body).group(1)


def without_csrf(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_draft_is_never_public(client, letter):
    assert client.get(sign_url(letter)).status_code == 404


def test_public_page_shows_letter_count_list_deadline_and_share_tags(client, open_letter):
    open_letter.deadline = timezone.now() + datetime.timedelta(days=3)
    open_letter.save()
    SignatureFactory(letter=open_letter, name="Zeta Lead", is_lead=True)
    SignatureFactory(letter=open_letter, name="Alpha Group")
    SignatureFactory(letter=open_letter, name="Pending Group", status="pending")

    html = client.get(sign_url(open_letter)).content.decode()

    assert '<p class="display-6 mb-0 signer-count">2</p>' in html
    assert html.index("Zeta Lead") < html.index("Joined by:") < html.index("Alpha Group")
    assert "Pending Group" not in html
    assert "Sign-on closes" in html
    assert '<meta property="og:title" content="RE: A test subject">' in html
    assert '<meta property="og:description" content="The undersigned 2 organizations write to you.">' in html
    assert 'name="homepage"' in html and "hp-field" in html


def test_sign_confirm_and_appear_on_the_list(
    client, open_letter, mailoutbox, django_capture_on_commit_callbacks
):
    response = submit(client, open_letter, django_capture_on_commit_callbacks)
    assert response["Location"] == reverse("signatories:thanks", args=[open_letter.public_id])

    signature = Signature.objects.get()
    assert signature.status == Signature.Status.PENDING
    assert signature.authorized_by == "Ana Díaz <ana@maketheroad.example>" and signature.authorized_at
    assert signature.consented_at and signature.letter_version.number == 1
    assert "Make the Road New York" not in client.get(sign_url(open_letter)).content.decode()

    assert [m.to for m in mailoutbox] == [["ana@maketheroad.example"]]
    confirm_link = link_in(mailoutbox[0])
    # Following the link (as a mail scanner would) confirms nothing.
    page = client.get(confirm_link)
    assert "Confirm my signature" in page.content.decode()
    signature.refresh_from_db()
    assert signature.status == Signature.Status.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm_link)
    signature.refresh_from_db()
    assert signature.status == Signature.Status.ACCEPTED and signature.confirmed_at
    html = client.get(sign_url(open_letter)).content.decode()
    assert "<li>Make the Road New York</li>" in html
    assert '<p class="display-6 mb-0 signer-count">1</p>' in html
    # The second email is the private manage link.
    assert "/signature/manage/" in mailoutbox[1].body


def test_moderated_letter_waits_for_approval(
    client, open_letter, mailoutbox, django_capture_on_commit_callbacks, owner
):
    open_letter.requires_approval = True
    open_letter.save()
    submit(client, open_letter, django_capture_on_commit_callbacks)
    client.post(link_in(mailoutbox[0]))
    signature = Signature.objects.get()
    assert signature.status == Signature.Status.IN_REVIEW
    assert "Make the Road New York" not in client.get(sign_url(open_letter)).content.decode()

    services.signature_moderate(signature=signature, user=owner, action="approve")
    assert "<li>Make the Road New York</li>" in client.get(sign_url(open_letter)).content.decode()


@pytest.mark.parametrize(
    "tamper", [lambda t: t[:-2] + "xx", lambda t: "x" + t, lambda t: t.replace(":", "-", 1)]
)
def test_tampered_link_is_refused(client, open_letter, tamper):
    signature = SignatureFactory(letter=open_letter, status="pending")
    token = tamper(tokens.make_token(signature, tokens.CONFIRM))
    response = client.post(reverse("signatories:confirm", args=[token]))
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    signature.refresh_from_db()
    assert signature.status == Signature.Status.PENDING


def test_expired_link_is_refused(client, open_letter):
    signature = SignatureFactory(letter=open_letter, status="pending")
    eight_days_ago = timezone.now().timestamp() - 8 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=eight_days_ago):
        token = tokens.make_token(signature, tokens.CONFIRM)
    assert client.post(reverse("signatories:confirm", args=[token])).status_code == 400
    signature.refresh_from_db()
    assert signature.status == Signature.Status.PENDING


def test_link_for_another_purpose_is_refused(client, open_letter):
    signature = SignatureFactory(letter=open_letter, status="pending")
    manage_token = tokens.make_token(signature, tokens.MANAGE)
    assert client.post(reverse("signatories:confirm", args=[manage_token])).status_code == 400
    forged = signing.dumps({"s": signature.pk, "l": str(open_letter.public_id)})  # no salt
    assert client.post(reverse("signatories:confirm", args=[forged])).status_code == 400
    signature.refresh_from_db()
    assert signature.status == Signature.Status.PENDING


def test_deadline_closes_sign_on_without_anyone_acting(
    client, open_letter, django_capture_on_commit_callbacks
):
    open_letter.deadline = timezone.now() - datetime.timedelta(minutes=1)
    open_letter.save()
    page = client.get(sign_url(open_letter)).content.decode()
    assert "This letter is closed and no longer takes signatures." in page
    assert "Sign the letter" not in page

    response = submit(client, open_letter, django_capture_on_commit_callbacks)
    assert response.status_code == 409
    assert not Signature.objects.exists()
    assert Letter.objects.get(pk=open_letter.pk).status == Letter.Status.OPEN


def test_pending_signature_cannot_be_confirmed_after_deadline(
    client, open_letter, django_capture_on_commit_callbacks
):
    signature = SignatureFactory(letter=open_letter, status="pending")
    open_letter.deadline = timezone.now() - datetime.timedelta(seconds=1)
    open_letter.save()
    response = client.post(
        reverse("signatories:confirm", args=[tokens.make_token(signature, tokens.CONFIRM)])
    )
    assert "no longer taking signatures" in response.content.decode()
    signature.refresh_from_db()
    assert signature.status == Signature.Status.PENDING


def test_closed_letter_refuses_and_reopens(client, owner, open_letter, django_capture_on_commit_callbacks):
    client.force_login(owner)
    client.post(reverse("letters:change_status", args=[open_letter.pk]), {"status": "closed"})
    client.logout()
    assert submit(client, open_letter, django_capture_on_commit_callbacks).status_code == 409
    client.force_login(owner)
    client.post(reverse("letters:change_status", args=[open_letter.pk]), {"status": "open"})
    client.logout()
    assert submit(client, open_letter, django_capture_on_commit_callbacks).status_code == 302
    assert Signature.objects.count() == 1


def test_reopening_after_the_deadline_asks_to_move_it(client, owner, open_letter):
    open_letter.status, open_letter.deadline = "closed", timezone.now() - datetime.timedelta(days=1)
    open_letter.save()
    client.force_login(owner)
    response = client.post(
        reverse("letters:change_status", args=[open_letter.pk]), {"status": "open"}, follow=True
    )
    assert "The sign-on deadline has passed" in response.content.decode()
    assert Letter.objects.get(pk=open_letter.pk).status == "closed"


def test_rate_limit_per_ip(client, open_letter, django_capture_on_commit_callbacks):
    for number in range(20):
        response = submit(client, open_letter, django_capture_on_commit_callbacks, name=f"Group {number}")
        assert response.status_code == 302
    response = submit(client, open_letter, django_capture_on_commit_callbacks, name="One too many")
    assert response.status_code == 429
    assert "Too many signatures from your network" in response.content.decode()
    assert not Signature.objects.filter(name="One too many").exists()
    other_ip = client.post(
        sign_url(open_letter), {**ORGANIZATION, "name": "Elsewhere"}, REMOTE_ADDR="10.9.8.7"
    )
    assert other_ip.status_code == 302


def test_honeypot_pretends_success_and_saves_nothing(
    client, open_letter, mailoutbox, django_capture_on_commit_callbacks
):
    response = submit(client, open_letter, django_capture_on_commit_callbacks, homepage="http://spam.example")
    assert response["Location"] == reverse("signatories:thanks", args=[open_letter.public_id])
    assert not Signature.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"name": ""}, "This field is required."),
        ({"name": "x" * 301}, "Ensure this value has at most 300 characters (it has 301)."),
        ({"contact_name": ""}, "This field is required."),
        ({"state": "ZZ"}, "Select a valid choice. ZZ is not one of the available choices."),
        ({"scope": "galactic"}, "Select a valid choice."),
        ({"website": "javascript:alert(1)"}, "Enter a valid URL."),
        ({"consent": ""}, "We can only add signers who agree to be listed."),
        ({"authorized": ""}, "Only someone authorized by the organization can sign for it."),
    ],
)
def test_bad_input_is_explained_beside_the_field(
    client, open_letter, django_capture_on_commit_callbacks, fields, message
):
    response = submit(client, open_letter, django_capture_on_commit_callbacks, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Signature.objects.exists()


def test_typed_html_is_shown_as_text(client, open_letter, mailoutbox, django_capture_on_commit_callbacks):
    evil = '<script>alert("x")</script>'
    submit(client, open_letter, django_capture_on_commit_callbacks, name=evil, contact_name=evil)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link_in(mailoutbox[0]))
    html = client.get(sign_url(open_letter)).content.decode()
    assert evil not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert evil in mailoutbox[0].body  # the plain-text email is not HTML-escaped
    assert evil not in mailoutbox[0].alternatives[0][0]


def test_same_organization_twice_gives_one_signature_and_mails_the_first_address(
    client, open_letter, mailoutbox, django_capture_on_commit_callbacks
):
    submit(client, open_letter, django_capture_on_commit_callbacks)
    first_page = client.get(reverse("signatories:thanks", args=[open_letter.public_id])).content.decode()
    mailoutbox.clear()

    response = submit(
        client,
        open_letter,
        django_capture_on_commit_callbacks,
        name="  make the road   NEW YORK ",
        email="someone.else@example.org",
    )

    assert response["Location"] == reverse("signatories:thanks", args=[open_letter.public_id])
    assert Signature.objects.count() == 1
    assert [m.to for m in mailoutbox] == [["ana@maketheroad.example"]]
    assert "already signed" in mailoutbox[0].body and "/signature/manage/" in mailoutbox[0].body
    second_page = client.get(reverse("signatories:thanks", args=[open_letter.public_id])).content.decode()
    assert without_csrf(first_page) == without_csrf(second_page)
    assert "a link to update that signature has gone to the email address used the first time" in " ".join(
        second_page.split()
    )


def test_duplicate_attempts_cannot_flood_the_first_signer(
    client, open_letter, mailoutbox, django_capture_on_commit_callbacks
):
    submit(client, open_letter, django_capture_on_commit_callbacks)
    for _ in range(10):
        submit(client, open_letter, django_capture_on_commit_callbacks)
    # The confirmation and update links up to the per-signature limit, then nothing more.
    assert len(mailoutbox) == services.EMAIL_LIMIT


def test_resend_is_limited_to_the_address_on_the_signature(
    client, open_letter, mailoutbox, django_capture_on_commit_callbacks
):
    submit(client, open_letter, django_capture_on_commit_callbacks)
    signature = Signature.objects.get()
    resend = reverse("signatories:resend", args=[open_letter.public_id])
    for _ in range(10):
        Signature.objects.filter(pk=signature.pk).update(
            last_emailed_at=timezone.now() - datetime.timedelta(hours=1)
        )
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(resend, {"email": "victim@example.org"}, follow=True)
    assert "If a confirmation was waiting" in response.content.decode()
    assert len(mailoutbox) == services.EMAIL_LIMIT
    assert {tuple(m.to) for m in mailoutbox} == {("ana@maketheroad.example",)}
    assert client.get(resend).status_code == 405


def test_manage_link_edits_and_withdraws(client, open_letter, mailoutbox, django_capture_on_commit_callbacks):
    submit(client, open_letter, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link_in(mailoutbox[0]))
    manage_link = link_in(mailoutbox[1])
    assert "/signature/manage/" in manage_link

    data = {k: v for k, v in ORGANIZATION.items() if k not in {"consent", "authorized", "homepage", "kind"}}
    client.post(manage_link, {**data, "name": "Make the Road NY", "city": "Queens"})
    signature = Signature.objects.get()
    assert (signature.name, signature.city) == ("Make the Road NY", "Queens")

    response = client.post(reverse("signatories:withdraw", args=[manage_link.split("/")[-2]]), follow=True)
    assert "Your signature is withdrawn" in response.content.decode()
    signature.refresh_from_db()
    assert signature.status == Signature.Status.WITHDRAWN
    assert "Make the Road NY" not in client.get(sign_url(open_letter)).content.decode()
    # Having withdrawn, the organization may sign again.
    assert submit(client, open_letter, django_capture_on_commit_callbacks).status_code == 302
    assert Signature.objects.filter(status="pending").count() == 1


def test_manage_link_stops_when_the_letter_closes(client, open_letter):
    signature = SignatureFactory(letter=open_letter, email="a@example.org", contact_name="A")
    token = tokens.make_token(signature, tokens.MANAGE)
    open_letter.status = Letter.Status.CLOSED
    open_letter.save()
    page = client.get(reverse("signatories:manage", args=[token])).content.decode()
    assert "The letter is closed; signatures can no longer be changed." in page
    response = client.post(reverse("signatories:withdraw", args=[token]), follow=True)
    assert "This letter is closed" in response.content.decode()
    signature.refresh_from_db()
    assert signature.status == Signature.Status.ACCEPTED


def test_renaming_onto_another_signer_is_refused(client, open_letter):
    SignatureFactory(letter=open_letter, name="Al Otro Lado")
    signature = SignatureFactory(
        letter=open_letter, name="Acacia Center", email="a@example.org", contact_name="A"
    )
    token = tokens.make_token(signature, tokens.MANAGE)
    response = client.post(
        reverse("signatories:manage", args=[token]),
        {"name": "al otro lado", "contact_name": "A", "email": "a@example.org"},
    )
    assert "already uses that name" in response.content.decode()
    signature.refresh_from_db()
    assert signature.name == "Acacia Center"


def test_individuals_only_when_allowed(client, open_letter, django_capture_on_commit_callbacks):
    individual = {
        "kind": "individual",
        "name": "Dr. Rosa Park",
        "email": "rosa@example.org",
        "affiliation": "State University",
        "consent": "on",
    }
    submit(client, open_letter, django_capture_on_commit_callbacks, **individual)
    assert (
        Signature.objects.get().kind == "organization"
    )  # individuals not allowed: treated as an organization form
    Signature.objects.all().delete()

    open_letter.allow_individuals = True
    open_letter.save()
    page = client.get(sign_url(open_letter) + "?as=individual").content.decode()
    assert "Shown “for identification purposes only”." in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(sign_url(open_letter), individual)
    signature = Signature.objects.get()
    assert (signature.kind, signature.affiliation, signature.authorized_at) == (
        "individual",
        "State University",
        None,
    )
    signature.status = "accepted"
    signature.save()
    html = " ".join(client.get(sign_url(open_letter)).content.decode().split())
    assert "Individuals (affiliations for identification purposes only):" in html
    assert "<li>Dr. Rosa Park, State University</li>" in html


def test_staff_choose_the_optional_fields(client, open_letter):
    open_letter.sign_fields = ["city"]
    open_letter.save()
    html = client.get(sign_url(open_letter)).content.decode()
    assert 'name="city"' in html
    for absent in ['name="state"', 'name="scope"', 'name="website"', 'name="title"']:
        assert absent not in html


def test_share_tags_cannot_be_broken_out_of(client, open_letter):
    open_letter.body = '<p>0;url=https://evil.example/" http-equiv="refresh</p>'
    open_letter.save()
    html = client.get(sign_url(open_letter)).content.decode()
    assert 'http-equiv="refresh"' not in html
    assert "0;url=https://evil.example/&quot; http-equiv=&quot;refresh" in html


def test_a_change_through_the_manage_link_goes_back_to_review_on_moderated_letters(client, open_letter):
    open_letter.requires_approval = True
    open_letter.save()
    signature = SignatureFactory(
        letter=open_letter, name="Acme Org", email="a@acme.example", contact_name="A"
    )
    token = tokens.make_token(signature, tokens.MANAGE)
    client.post(
        reverse("signatories:manage", args=[token]),
        {"name": "Something Else Entirely", "contact_name": "A", "email": "a@acme.example"},
    )
    signature.refresh_from_db()
    assert (signature.name, signature.status) == ("Something Else Entirely", Signature.Status.IN_REVIEW)
    assert "Something Else Entirely" not in client.get(sign_url(open_letter)).content.decode()


def test_an_unconfirmed_signature_stops_holding_the_place_after_a_week(
    client, open_letter, mailoutbox, django_capture_on_commit_callbacks
):
    squatter = SignatureFactory(
        letter=open_letter, name="Make the Road New York", status="pending", email="squatter@example.org"
    )
    Signature.objects.filter(pk=squatter.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))

    submit(client, open_letter, django_capture_on_commit_callbacks)

    squatter.refresh_from_db()
    assert squatter.status == Signature.Status.WITHDRAWN
    fresh = Signature.objects.get(status="pending")
    assert fresh.email == "ana@maketheroad.example"
    assert [m.to for m in mailoutbox] == [["ana@maketheroad.example"]]


def test_no_reconfirming_once_the_letter_is_sent(client, open_letter):
    signature = SignatureFactory(letter=open_letter, letter_version=open_letter.current_version())
    open_letter.status = Letter.Status.SENT
    open_letter.save()
    response = client.post(
        reverse("signatories:review_change", args=[tokens.make_token(signature, tokens.REVIEW_CHANGE)])
    )
    assert "The letter has been sent" in response.content.decode()
