import csv
import io

import pytest
from django.urls import reverse

from letters.models import Letter, LetterEvent, LetterVersion
from signatories.models import Signature

from ..factories import SignatureFactory

S = Signature.Status


def list_url(letter, query=""):
    return reverse("signatories:staff_list", args=[letter.pk]) + query


def action_url(signature, action):
    return reverse("signatories:staff_action", args=[signature.letter_id, signature.pk, action])


def rename_url(signature):
    return reverse("signatories:staff_rename", args=[signature.letter_id, signature.pk])


def listed_names(response):
    return [signature.name for signature in response.context["page"]]


def export_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# The table ------------------------------------------------------------------------------------------


def test_table_shows_signatures_counts_and_version(client, owner, letter):
    version = LetterVersion.objects.create(letter=letter, number=2, text={})
    SignatureFactory(letter=letter, name="Acacia Center", city="Albany", state="NY", letter_version=version)
    SignatureFactory(letter=letter, name="Bus Riders Union", status=S.IN_REVIEW, contact_name="Ana Ruiz")
    SignatureFactory(letter=letter, name="Old Friends", status=S.WITHDRAWN)
    client.force_login(owner)

    response = client.get(list_url(letter))

    html = response.content.decode()
    assert response.status_code == 200
    assert listed_names(response) == ["Acacia Center", "Bus Riders Union", "Old Friends"]
    assert "Albany, NY" in html and "Ana Ruiz" in html and "v2" in html
    counts = {status.value: count for status, count in response.context["status_counts"]}
    assert counts | {"in_review": 1, "accepted": 1, "withdrawn": 1, "pending": 0} == counts
    assert 'Awaiting approval <span class="badge text-bg-light">1</span>' in html
    bus = letter.signatures.get(name="Bus Riders Union")
    acacia = letter.signatures.get(name="Acacia Center")
    assert action_url(bus, "approve") in html
    assert action_url(acacia, "approve") not in html
    assert action_url(acacia, "reject") in html


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?status=in_review", ["Bus Riders Union"]),
        ("?kind=individual", ["Dana Lee"]),
        ("?scope=national", ["Acacia Center"]),
        ("?state=CA", ["Bus Riders Union", "Dana Lee"]),
        ("?state=CA&kind=organization", ["Bus Riders Union"]),
        ("?q=acacia", ["Acacia Center"]),
        ("?q=ruiz", ["Bus Riders Union"]),  # contact name
        ("?q=DANA@EXAMPLE", ["Dana Lee"]),  # email, any case
        ("?q=oakland", ["Bus Riders Union"]),  # city
        ("?q=nothing+like+it", []),
        ("", ["Acacia Center", "Bus Riders Union", "Dana Lee"]),
    ],
)
def test_filters_and_search(client, owner, letter, query, expected):
    SignatureFactory(letter=letter, name="Acacia Center", scope="national", state="NY")
    SignatureFactory(
        letter=letter,
        name="Bus Riders Union",
        status=S.IN_REVIEW,
        contact_name="Ana Ruiz",
        city="Oakland",
        state="CA",
        scope="local",
    )
    SignatureFactory(
        letter=letter, name="Dana Lee", kind=Signature.Kind.INDIVIDUAL, email="dana@example.org", state="CA"
    )
    client.force_login(owner)

    assert listed_names(client.get(list_url(letter, query))) == expected


def test_invalid_filter_is_reported_not_applied(client, owner, letter):
    SignatureFactory(letter=letter, name="Acacia Center")
    client.force_login(owner)

    response = client.get(list_url(letter, "?status=bogus&state=ZZ&page=abc"))

    assert response.status_code == 200
    assert "Select a valid choice. bogus is not one of the available choices." in response.content.decode()
    assert listed_names(response) == ["Acacia Center"]


def test_table_pages_by_hundred_keeping_filters(client, owner, letter):
    Signature.objects.bulk_create(
        Signature(letter=letter, name=f"Org {n:03}", normalized_name=f"org {n:03}", status=S.ACCEPTED)
        for n in range(101)
    )
    client.force_login(owner)

    first = client.get(list_url(letter, "?status=accepted"))
    second = client.get(list_url(letter, "?status=accepted&page=2"))

    assert len(listed_names(first)) == 100
    assert listed_names(second) == ["Org 100"]
    assert "?status=accepted&amp;page=2" in first.content.decode()


def test_names_are_escaped_in_the_table(client, owner, letter):
    SignatureFactory(letter=letter, name="<script>alert(1)</script>", contact_name="<b>x</b>")
    client.force_login(owner)

    html = client.get(list_url(letter)).content.decode()

    assert "<script>alert(1)</script>" not in html and "<b>x</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;b&gt;x&lt;/b&gt;" in html


# Actions --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "action, before, after, message",
    [
        ("approve", {"status": S.IN_REVIEW}, {"status": S.ACCEPTED}, "Approved Acacia Center."),
        ("approve", {"status": S.REJECTED}, {"status": S.ACCEPTED}, "Approved Acacia Center."),
        ("reject", {"status": S.ACCEPTED}, {"status": S.REJECTED}, "Rejected Acacia Center."),
        ("reject", {"status": S.IN_REVIEW}, {"status": S.REJECTED}, "Rejected Acacia Center."),
        ("hide", {}, {"is_hidden": True}, "Acacia Center is hidden from the letter."),
        ("show", {"is_hidden": True}, {"is_hidden": False}, "Acacia Center is shown on the letter again."),
        ("lead", {}, {"is_lead": True}, "Acacia Center is now a lead organization."),
        ("unlead", {"is_lead": True}, {"is_lead": False}, "Acacia Center is no longer a lead organization."),
    ],
)
def test_action_changes_the_signature(client, editor, letter, action, before, after, message):
    signature = SignatureFactory(letter=letter, name="Acacia Center", **before)
    client.force_login(editor)

    response = client.post(action_url(signature, action), follow=True)

    signature.refresh_from_db()
    assert {name: getattr(signature, name) for name in after} == after
    assert message in response.content.decode()
    assert response.redirect_chain == [(list_url(letter), 302)]
    assert LetterEvent.objects.filter(letter=letter, actor=editor, data__name="Acacia Center").exists()


def test_new_leads_are_placed_after_existing_ones(client, owner, letter):
    first = SignatureFactory(letter=letter, name="First")
    second = SignatureFactory(letter=letter, name="Second")
    client.force_login(owner)

    client.post(action_url(second, "lead"))
    client.post(action_url(first, "lead"))

    assert list(
        letter.signatures.filter(is_lead=True).order_by("lead_position").values_list("name", flat=True)
    ) == [
        "Second",
        "First",
    ]


def test_refused_transition_shows_the_reason_and_changes_nothing(client, owner, letter):
    signature = SignatureFactory(letter=letter, name="Acacia Center", status=S.WITHDRAWN)
    client.force_login(owner)

    response = client.post(action_url(signature, "approve"), follow=True)

    assert "A signature that is withdrawn cannot be changed that way." in response.content.decode()
    signature.refresh_from_db()
    assert signature.status == S.WITHDRAWN
    assert not LetterEvent.objects.filter(action="signature.approved").exists()


def test_approving_a_rejected_name_taken_since_is_refused(client, owner, letter):
    rejected = SignatureFactory(letter=letter, name="Acacia Center", status=S.REJECTED)
    SignatureFactory(letter=letter, name="ACACIA  center")
    client.force_login(owner)

    response = client.post(action_url(rejected, "approve"), follow=True)

    assert "Another signature on this letter already uses that name or email." in response.content.decode()
    rejected.refresh_from_db()
    assert rejected.status == S.REJECTED


def test_action_returns_to_the_filtered_page_only(client, owner, letter):
    signature = SignatureFactory(letter=letter, status=S.IN_REVIEW)
    client.force_login(owner)
    back = list_url(letter, "?status=in_review&page=1")

    assert client.post(action_url(signature, "approve"), {"next": back}).url == back
    response = client.post(action_url(signature, "hide"), {"next": "https://evil.example/"})
    assert response.url == list_url(letter)
    response = client.post(action_url(signature, "show"), {"next": "/campaigns/"})
    assert response.url == list_url(letter)


def test_unknown_action_and_other_letters_signature_are_404(client, owner, letter):
    signature = SignatureFactory(letter=letter)
    elsewhere = SignatureFactory()  # on a letter of another campaign
    client.force_login(owner)

    assert client.post(action_url(signature, "delete")).status_code == 404
    url = reverse("signatories:staff_action", args=[letter.pk, elsewhere.pk, "approve"])
    assert client.post(url).status_code == 404


# Rename ---------------------------------------------------------------------------------------------


def test_rename_changes_the_listed_name(client, owner, letter):
    signature = SignatureFactory(letter=letter, name="Acacia Centre")
    client.force_login(owner)

    response = client.post(rename_url(signature), {"name": "  The Acacia   Center "}, follow=True)

    signature.refresh_from_db()
    assert (signature.name, signature.normalized_name) == ("The Acacia Center", "acacia center")
    assert "Renamed Acacia Centre to The Acacia Center." in response.content.decode()
    assert LetterEvent.objects.get(action="signature.renamed").data == {
        "name": "The Acacia Center",
        "old": "Acacia Centre",
    }


def test_rename_to_a_name_in_use_is_refused(client, owner, letter):
    SignatureFactory(letter=letter, name="Bus Riders Union")
    signature = SignatureFactory(letter=letter, name="Acacia Center")
    client.force_login(owner)

    response = client.post(rename_url(signature), {"name": "bus riders  UNION"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Another signature on this letter already uses that name or email." in html
    assert "Rename “Acacia Center”" in html
    signature.refresh_from_db()
    assert (signature.name, signature.normalized_name) == ("Acacia Center", "acacia center")
    assert not LetterEvent.objects.filter(action="signature.renamed").exists()


def test_rename_refuses_blank_and_overlong_names(client, owner, letter):
    signature = SignatureFactory(letter=letter, name="Acacia Center")
    client.force_login(owner)

    assert "This field is required." in client.post(rename_url(signature), {"name": "   "}).content.decode()
    response = client.post(rename_url(signature), {"name": "x" * 301})
    assert "Ensure this value has at most 300 characters" in response.content.decode()
    signature.refresh_from_db()
    assert signature.name == "Acacia Center"


# Add by hand, paste ---------------------------------------------------------------------------------


def test_add_an_organization_by_hand(client, owner, letter):
    letter.sign_fields = []  # the public form asks for no optional fields; staff may still fill them
    letter.save()
    version = LetterVersion.objects.create(letter=letter, number=1, text={})
    client.force_login(owner)
    page = client.get(reverse("signatories:staff_add", args=[letter.pk])).content.decode()
    assert 'name="website"' in page and 'name="consent"' not in page and 'name="homepage"' not in page

    response = client.post(
        reverse("signatories:staff_add", args=[letter.pk]),
        {
            "kind": "organization",
            "name": " Acacia  Center ",
            "city": "Albany",
            "state": "NY",
            "scope": "state",
        },
        follow=True,
    )

    assert "Added Acacia Center." in response.content.decode()
    signature = letter.signatures.get()
    assert (signature.name, signature.city, signature.state, signature.scope) == (
        "Acacia Center",
        "Albany",
        "NY",
        "state",
    )
    assert signature.status == S.ACCEPTED and signature.source == Signature.Source.STAFF
    assert signature.letter_version == version and signature.email == ""


def test_add_an_individual_by_hand(client, owner, letter):
    client.force_login(owner)

    client.post(
        reverse("signatories:staff_add", args=[letter.pk]),
        {
            "kind": "individual",
            "name": "Dana Lee",
            "affiliation": "City College",
            "email": "dana@example.org",
        },
    )

    signature = letter.signatures.get()
    assert (signature.kind, signature.name, signature.affiliation) == (
        "individual",
        "Dana Lee",
        "City College",
    )


def test_add_by_hand_refuses_duplicates_and_bad_input(client, owner, letter):
    SignatureFactory(letter=letter, name="Acacia Center")
    client.force_login(owner)
    url = reverse("signatories:staff_add", args=[letter.pk])

    response = client.post(url, {"kind": "organization", "name": "the acacia center"})
    assert "the acacia center has already signed this letter." in response.content.decode()
    response = client.post(url, {"kind": "organization", "name": "New Org", "email": "not-an-email"})
    assert "Enter a valid email address." in response.content.decode()
    assert letter.signatures.count() == 1


def test_add_by_hand_to_a_sent_letter_is_refused(client, owner, letter):
    Letter.objects.filter(pk=letter.pk).update(status=Letter.Status.SENT)
    client.force_login(owner)

    response = client.post(reverse("signatories:staff_add", args=[letter.pk]), {"name": "Acacia Center"})

    assert "The letter has been sent; its signers can no longer change." in response.content.decode()
    assert not letter.signatures.exists()


def test_paste_names(client, owner, letter):
    SignatureFactory(letter=letter, name="Make the Road New York")
    client.force_login(owner)

    response = client.post(
        reverse("signatories:staff_paste", args=[letter.pk]),
        {"names": "Acacia Center\nmake the road new york\n\nAl Otro Lado"},
        follow=True,
    )

    assert "Added 2 signers; 1 already on the letter were skipped." in response.content.decode()
    assert sorted(letter.signatures.values_list("name", flat=True)) == [
        "Acacia Center",
        "Al Otro Lado",
        "Make the Road New York",
    ]


# Export ---------------------------------------------------------------------------------------------


def test_export_csv_rows(client, viewer, letter):
    version = LetterVersion.objects.create(letter=letter, number=3, text={})
    lead = SignatureFactory(
        letter=letter,
        name="Acacia Center",
        is_lead=True,
        contact_name="Ana Ruiz",
        title="Director",
        email="ana@acacia.org",
        city="Albany",
        state="NY",
        scope="state",
        website="https://acacia.org",
        letter_version=version,
    )
    formula = SignatureFactory(letter=letter, name='=HYPERLINK("http://x")', contact_name="+1 call me")
    SignatureFactory(letter=letter, name="-Minus", kind="individual", affiliation="@home", status=S.IN_REVIEW)
    client.force_login(viewer)

    response = client.get(reverse("signatories:staff_export", args=[letter.pk]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="keep-the-buses-running-signatures.csv"'
    assert export_rows(response) == [
        [
            "Name", "Kind", "Status", "Lead", "Contact name", "Title", "Email", "City", "State", "Scope",
            "Website", "Affiliation", "Signed at", "Confirmed at", "Letter version",
        ],
        [
            "Acacia Center", "Organization", "Accepted", "yes", "Ana Ruiz", "Director", "ana@acacia.org",
            "Albany", "NY", "State", "https://acacia.org", "", lead.created_at.isoformat(), "", "3",
        ],
        [
            "'-Minus", "Individual", "Awaiting approval", "", "", "", "", "", "", "", "", "'@home",
            letter.signatures.get(name="-Minus").created_at.isoformat(), "", "",
        ],
        [
            "'=HYPERLINK(\"http://x\")", "Organization", "Accepted", "", "'+1 call me", "", "", "", "", "",
            "", "", formula.created_at.isoformat(), "", "",
        ],
    ]  # fmt: skip


def test_export_follows_the_filters(client, owner, letter):
    SignatureFactory(letter=letter, name="Acacia Center")
    SignatureFactory(letter=letter, name="Bus Riders Union", status=S.REJECTED)
    client.force_login(owner)

    response = client.get(reverse("signatories:staff_export", args=[letter.pk]) + "?status=rejected")

    assert [row[0] for row in export_rows(response)] == ["Name", "Bus Riders Union"]


# Permissions ----------------------------------------------------------------------------------------


def _post_urls(letter, signature):
    urls = [
        action_url(signature, action) for action in ["approve", "reject", "hide", "show", "lead", "unlead"]
    ]
    urls.append(rename_url(signature))
    urls += [
        reverse(f"signatories:staff_{name}", args=[letter.pk])
        for name in ["add", "paste", "import", "import_confirm"]
    ]
    return urls


def test_viewer_can_read_but_every_change_is_403(client, viewer, letter):
    signature = SignatureFactory(letter=letter, name="Acacia Center", status=S.IN_REVIEW)
    client.force_login(viewer)

    page = client.get(list_url(letter))
    assert page.status_code == 200 and "Acacia Center" in page.content.decode()
    assert action_url(signature, "approve") not in page.content.decode()
    assert client.get(reverse("signatories:staff_export", args=[letter.pk])).status_code == 200
    for url in _post_urls(letter, signature):
        assert client.post(url, {"name": "Renamed", "names": "New Org"}).status_code == 403, url
    for name in ["add", "paste", "import", "import_map", "import_preview"]:
        assert client.get(reverse(f"signatories:staff_{name}", args=[letter.pk])).status_code == 403
    signature.refresh_from_db()
    assert (signature.status, signature.name, signature.is_hidden) == (S.IN_REVIEW, "Acacia Center", False)
    assert letter.signatures.count() == 1


def test_outsider_gets_404_everywhere(client, outsider, letter):
    signature = SignatureFactory(letter=letter)
    client.force_login(outsider)

    assert client.get(list_url(letter)).status_code == 404
    assert client.get(reverse("signatories:staff_export", args=[letter.pk])).status_code == 404
    for url in _post_urls(letter, signature):
        assert client.post(url).status_code == 404, url
    signature.refresh_from_db()
    assert signature.status == S.ACCEPTED and not signature.is_hidden


def test_anonymous_is_sent_to_login(client, letter):
    signature = SignatureFactory(letter=letter)
    for url in [list_url(letter), reverse("signatories:staff_export", args=[letter.pk])]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login") + "?next=")
    for url in _post_urls(letter, signature):
        response = client.post(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


def test_state_changes_refuse_get(client, owner, letter):
    signature = SignatureFactory(letter=letter, status=S.IN_REVIEW)
    client.force_login(owner)

    for action in ["approve", "reject", "hide", "show", "lead", "unlead"]:
        assert client.get(action_url(signature, action)).status_code == 405
    assert client.get(reverse("signatories:staff_import_confirm", args=[letter.pk])).status_code == 405
    signature.refresh_from_db()
    assert signature.status == S.IN_REVIEW
