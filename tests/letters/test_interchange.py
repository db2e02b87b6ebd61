"""Exporting a letter to JSON and importing it as a new letter (letters/interchange.py and its commands)."""

import copy
import datetime
import io
import json
import re
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from campaigns.models import Membership
from letters.interchange import FORMAT, VERSION, LetterImportError, export_letter, import_letter
from letters.models import Letter, LetterEvent, LetterVersion, Recipient
from letters.richtext import sanitize_html
from letters.services import letter_record_version
from signatories.models import Signature

from ..factories import (
    AskFactory,
    CampaignFactory,
    CarbonCopyFactory,
    ContactFactory,
    LetterFactory,
    MembershipFactory,
    RecipientFactory,
    SignatureFactory,
    UserFactory,
)

UTC = datetime.UTC
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def staffer(db):
    return UserFactory(username="noor")


@pytest.fixture
def source(staffer):
    campaign = CampaignFactory(name="Clean Water Coalition", slug="clean-water")
    MembershipFactory(campaign=campaign, user=staffer, role=Membership.Role.OWNER)
    return campaign


@pytest.fixture
def target(staffer):
    campaign = CampaignFactory(name="Archive", slug="archive")
    MembershipFactory(campaign=campaign, user=staffer, role=Membership.Role.EDITOR)
    return campaign


def _signature(letter, name, *, created_at, **fields):
    signature = SignatureFactory(letter=letter, name=name, **fields)
    # created_at is auto_now_add: set it after the insert.
    Signature.objects.filter(pk=signature.pk).update(created_at=created_at)
    return signature


def _version(letter, user, *, created_at):
    version = letter_record_version(letter=letter, user=user)
    LetterVersion.objects.filter(pk=version.pk).update(created_at=created_at)
    return version


@pytest.fixture
def full_letter(source, staffer):
    letter = LetterFactory(
        campaign=source,
        created_by=staffer,
        title="Letter to the EPA — “Clean Water” 2026",
        status=Letter.Status.OPEN,
        date=datetime.date(2026, 3, 9),
        delivery_line="Delivered via e-mail",
        subject="RE: Proposed rule on PFAS — “forever chemicals”",
        salutation="",
        body=sanitize_html(
            "<p>We, the {{ signer_count }} undersigned groups, write about <em>Zoë’s</em> river.</p>"
            '<ol><li>First</li><li>Second</li></ol><p><a href="https://example.org/a?b=1&amp;c=2">Report</a></p>'
        ),
        closing="Respectfully,",
        joined_by_heading="Joined by:",
        deadline=datetime.datetime(2026, 4, 1, 17, 0, tzinfo=NEW_YORK),
        requires_approval=True,
        allow_individuals=True,
        sign_fields=["website", "city", "title"],  # the order is kept too
    )
    # Created out of order: the export follows position, not creation.
    RecipientFactory(
        letter=letter,
        position=2,
        name="The Honorable Ana Núñez",
        salutation_name="Administrator Núñez",
        title_lines="Administrator\nU.S. Environmental Protection Agency",
        organization="EPA",
        address_lines="1200 Pennsylvania Ave NW\nWashington, DC 20460",
        email="nunez@example.gov",
    )
    RecipientFactory(letter=letter, position=0, name="The Honorable Li Wei", salutation_name="Secretary Li")
    RecipientFactory(letter=letter, position=1, name="Dr. Ōtani", email="otani@example.gov")
    AskFactory(letter=letter, position=1, title="Ban PFAS discharges", text="Within “two years”.")
    AskFactory(letter=letter, position=0, title="Fund testing", text="")
    ContactFactory(
        letter=letter, position=0, name="Sam Rivera", organization="River Keepers", email="s@rk.org"
    )
    CarbonCopyFactory(letter=letter, position=0, name="Jo Park", title_lines="Chief of Staff", email="")
    CarbonCopyFactory(letter=letter, position=1, name="Ray Osei", organization="OMB")
    march = datetime.datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)
    # Two versions of the text, the first before the subject changed.
    final_subject, letter.subject = letter.subject, "RE: PFAS"
    letter.save()
    first = _version(letter, staffer, created_at=march - datetime.timedelta(days=2))
    letter.subject = final_subject
    letter.save()
    second = _version(letter, staffer, created_at=march + datetime.timedelta(hours=1))
    _signature(letter, "Waterkeeper Alliance", created_at=march, is_lead=True, lead_position=1)
    _signature(
        letter,
        "Amigos del Río",
        created_at=march,
        is_lead=True,
        lead_position=0,
        source=Signature.Source.FORM,
        contact_name="Lucía Gómez",
        title="Directora",
        email="lucia@amigos.example.org",
        city="El Paso",
        state="TX",
        scope="local",
        website="https://amigos.example.org/es?ref=1",
        authorized_by="Lucía Gómez, Directora",
        authorized_at=datetime.datetime(2026, 3, 1, 7, 0, tzinfo=NEW_YORK),
        consented_at=datetime.datetime(2026, 3, 1, 7, 0, tzinfo=NEW_YORK),
        confirmed_at=datetime.datetime(2026, 3, 1, 12, 5, 30, tzinfo=UTC),
        letter_version=first,
        notified_of_version=2,
        emails_sent=2,
        last_emailed_at=datetime.datetime(2026, 3, 1, 12, 1, tzinfo=UTC),
    )
    # A former lead keeps its lead_position, which the model's order still uses.
    _signature(letter, "The Sierra Club", created_at=march - datetime.timedelta(days=1), lead_position=3)
    _signature(
        letter,
        "Jane Doe",
        created_at=march,
        kind=Signature.Kind.INDIVIDUAL,
        status=Signature.Status.PENDING,
        source=Signature.Source.FORM,
        is_hidden=True,
        title="Professor",
        email="Jane.Doe@example.edu",
        city="San Juan",
        state="PR",
        affiliation="Universidad de Puerto Rico",
        consented_at=march,
        letter_version=second,
        emails_sent=1,
        last_emailed_at=march,
    )
    # Same created_at as Jane Doe: their order rests on the id, which import must keep.
    _signature(
        letter,
        "Earthjustice",
        created_at=march,
        status=Signature.Status.WITHDRAWN,
        state="XX",
        scope="national",
    )
    return letter


def _counts():
    models = (Letter, Recipient, LetterVersion, Signature, LetterEvent)
    return {model.__name__: model.objects.count() for model in models}


# Export


def test_export_holds_every_field_in_order(full_letter):
    document = export_letter(full_letter)

    assert document["format"] == FORMAT and document["version"] == VERSION
    assert document["title"] == "Letter to the EPA — “Clean Water” 2026"
    assert document["status"] == "open"
    assert document["date"] == "2026-03-09"
    assert document["deadline"] == "2026-04-01T21:00:00+00:00"  # 5 pm in New York, written in UTC
    assert (document["requires_approval"], document["allow_individuals"]) == (True, True)
    assert document["sign_fields"] == ["website", "city", "title"]
    assert document["body"] == full_letter.body
    assert [r["name"] for r in document["recipients"]] == [
        "The Honorable Li Wei",
        "Dr. Ōtani",
        "The Honorable Ana Núñez",
    ]
    assert document["recipients"][2] == {
        "name": "The Honorable Ana Núñez",
        "salutation_name": "Administrator Núñez",
        "title_lines": "Administrator\nU.S. Environmental Protection Agency",
        "organization": "EPA",
        "address_lines": "1200 Pennsylvania Ave NW\nWashington, DC 20460",
        "email": "nunez@example.gov",
    }
    assert [a["title"] for a in document["asks"]] == ["Fund testing", "Ban PFAS discharges"]
    assert document["contacts"] == [
        {"name": "Sam Rivera", "organization": "River Keepers", "email": "s@rk.org"}
    ]
    assert [c["name"] for c in document["cc"]] == ["Jo Park", "Ray Osei"]
    assert [(v["number"], v["text"]["subject"], v["created_at"]) for v in document["versions"]] == [
        (1, "RE: PFAS", "2026-02-27T12:00:00.123456+00:00"),
        (2, "RE: Proposed rule on PFAS — “forever chemicals”", "2026-03-01T13:00:00.123456+00:00"),
    ]
    assert document["versions"][1]["text"] == full_letter.text_snapshot()
    assert [s["name"] for s in document["signatures"]] == [
        "Amigos del Río",
        "Waterkeeper Alliance",
        "Jane Doe",
        "Earthjustice",
        "The Sierra Club",
    ]
    assert document["signatures"][0] == {
        "kind": "organization",
        "name": "Amigos del Río",
        "status": "accepted",
        "source": "form",
        "is_lead": True,
        "lead_position": 0,
        "is_hidden": False,
        "contact_name": "Lucía Gómez",
        "title": "Directora",
        "email": "lucia@amigos.example.org",
        "city": "El Paso",
        "state": "TX",
        "scope": "local",
        "website": "https://amigos.example.org/es?ref=1",
        "affiliation": "",
        "authorized_by": "Lucía Gómez, Directora",
        "authorized_at": "2026-03-01T12:00:00+00:00",
        "consented_at": "2026-03-01T12:00:00+00:00",
        "confirmed_at": "2026-03-01T12:05:30+00:00",
        "letter_version": 1,
        "notified_of_version": 2,
        "emails_sent": 2,
        "last_emailed_at": "2026-03-01T12:01:00+00:00",
        "created_at": "2026-03-01T12:00:00.123456+00:00",
    }
    assert document["signatures"][2] == {
        "kind": "individual",
        "name": "Jane Doe",
        "status": "pending",
        "source": "form",
        "is_lead": False,
        "lead_position": 0,
        "is_hidden": True,
        "contact_name": "",
        "title": "Professor",
        "email": "Jane.Doe@example.edu",
        "city": "San Juan",
        "state": "PR",
        "scope": "",
        "website": "",
        "affiliation": "Universidad de Puerto Rico",
        "authorized_by": "",
        "authorized_at": None,
        "consented_at": "2026-03-01T12:00:00.123456+00:00",
        "confirmed_at": None,
        "letter_version": 2,
        "notified_of_version": None,
        "emails_sent": 1,
        "last_emailed_at": "2026-03-01T12:00:00.123456+00:00",
        "created_at": "2026-03-01T12:00:00.123456+00:00",
    }
    assert document["signatures"][3]["letter_version"] is None


def test_the_documented_example_imports_and_exports_unchanged(target, staffer):
    docs = (settings.BASE_DIR / "docs" / "letter-format.md").read_text(encoding="utf-8")
    example = re.search(r"## Example\n\n```json\n(.*?)```", docs, re.DOTALL).group(1)

    imported = import_letter(json.loads(example), campaign=target, user=staffer)

    assert json.dumps(export_letter(imported), indent=2, ensure_ascii=False) + "\n" == example


def test_export_of_a_bare_letter(db):
    letter = LetterFactory(title="Empty")
    document = export_letter(letter)
    assert document["date"] is None
    assert document["deadline"] is None
    assert document["sign_fields"] == ["title", "city", "state", "scope", "website"]
    assert document["recipients"] == document["asks"] == document["versions"] == document["signatures"] == []


# Round trip


def test_round_trip_through_the_functions_is_lossless(full_letter, target, staffer):
    exported = export_letter(full_letter)
    # What a file holds: through JSON text and back.
    document = json.loads(json.dumps(exported, ensure_ascii=False))

    imported = import_letter(document, campaign=target, user=staffer)

    assert export_letter(imported) == exported
    assert imported.pk != full_letter.pk
    assert imported.public_id != full_letter.public_id
    assert imported.campaign == target
    assert imported.created_by == staffer
    assert list(imported.recipients.values_list("position", flat=True)) == [0, 1, 2]
    assert imported.signatures.get(name="The Sierra Club").normalized_name == "sierra club"
    # Versions belong to the new letter; the signatures point at those, not at the original's.
    versions = list(imported.versions.order_by("number"))
    assert [(v.number, v.created_by) for v in versions] == [(1, None), (2, None)]
    assert imported.signatures.get(name="Amigos del Río").letter_version == versions[0]
    assert imported.signatures.get(name="Jane Doe").letter_version == versions[1]
    assert imported.current_version().text == imported.text_snapshot()  # no new version on next edit
    event = imported.events.get()
    assert (event.action, event.actor) == ("letter.imported", staffer)
    assert (event.data["versions"], event.data["signatures"]) == (2, 5)
    assert full_letter.recipients.count() == 3  # the original is untouched


def test_round_trip_through_the_commands_is_lossless(full_letter, target, staffer, tmp_path):
    path = tmp_path / "letter.json"
    call_command("export_letter", full_letter.pk, out=str(path))
    text = path.read_text(encoding="utf-8")
    assert "“Clean Water”" in text  # written as UTF-8, not \u escapes
    assert '\n  "title": ' in text  # indented by 2

    out = io.StringIO()
    call_command("import_letter", str(path), campaign="archive", user="noor", stdout=out)

    imported = Letter.objects.get(pk=int(out.getvalue()))
    assert imported.campaign == target
    assert export_letter(imported) == export_letter(full_letter)
    stdout = io.StringIO()
    call_command("export_letter", full_letter.pk, stdout=stdout)
    assert stdout.getvalue() == text


# Refused files: each names the path, and nothing is written


def _parent(document, path):
    for key in path[:-1]:
        document = document[key]
    return document


def _set(path, value):
    return lambda document: _parent(document, path).__setitem__(path[-1], value)


def _delete(path):
    return lambda document: _parent(document, path).__delitem__(path[-1])


def _update(path, **values):
    return lambda document: _parent(document, path)[path[-1]].update(values)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_set(["format"], "undersigned-petition"), "format: Expected"),
        (_delete(["format"]), "format: Expected"),
        (_set(["version"], 2), "version: Version 2 is not supported; this site reads version 1."),
        (_set(["version"], "1"), 'version: Version "1" is not supported'),
        (
            _set(["recipients", 2, "email"], "nunez at epa"),
            "recipients[2].email: Enter a valid email address.",
        ),
        (_delete(["asks", 0, "text"]), "asks[0].text: This key is missing."),
        (_delete(["signatures"]), "signatures: This key is missing."),
        (_delete(["title"]), "title: This key is missing."),
        (_set(["contacts"], "Sam Rivera"), "contacts: Expected a list, not a string."),
        (_set(["recipients", 0, "fax"], "555-0100"), "recipients[0].fax: Unknown key."),
        (_set(["colour"], "green"), "colour: Unknown key."),
        (_set(["title"], ""), "title: This field is required."),
        (_set(["title"], 42), "title: Expected a string, not a number."),
        (
            _set(["status"], "lost"),
            "status: Select a valid choice. lost is not one of the available choices.",
        ),
        (_set(["date"], "2026-02-30"), "date: Enter a valid date."),
        (_set(["date"], "03/09/2026"), "date: Enter the date as YYYY-MM-DD."),
        (_set(["cc", 1], ["Ray Osei"]), "cc[1]: Expected an object, not a list."),
        (
            _set(["asks", 1, "title"], "x" * 301),
            "asks[1].title: Ensure this value has at most 300 characters",
        ),
        (_set(["signatures", 0, "name"], "   "), "signatures[0].name: This field is required."),
        (_set(["signatures", 1, "name"], "x" * 301), "signatures[1].name: Ensure this value has at most 300"),
        (_set(["signatures", 2, "kind"], "robot"), "signatures[2].kind: Select a valid choice."),
        (_set(["signatures", 2, "status"], "maybe"), "signatures[2].status: Select a valid choice."),
        (_set(["signatures", 2, "source"], "api"), "signatures[2].source: Select a valid choice."),
        (
            _set(["signatures", 0, "is_lead"], "yes"),
            "signatures[0].is_lead: Expected true or false, not a string.",
        ),
        (
            _set(["signatures", 0, "lead_position"], -1),
            "signatures[0].lead_position: Ensure this value is greater",
        ),
        (
            _set(["signatures", 0, "created_at"], "2026-03-01T12:00:00"),
            "signatures[0].created_at: Include the UTC",
        ),
        (
            _set(["signatures", 0, "created_at"], "yesterday"),
            "signatures[0].created_at: Enter a date and time",
        ),
        # Sign-on settings
        (_set(["deadline"], "2026-04-01T17:00:00"), "deadline: Include the UTC offset"),
        (
            _set(["deadline"], 1775077200),
            "deadline: Expected a date and time as a string, or null, not a number.",
        ),
        (_set(["requires_approval"], "yes"), "requires_approval: Expected true or false, not a string."),
        (_set(["allow_individuals"], None), "allow_individuals: Expected true or false, not null."),
        (_delete(["allow_individuals"]), "allow_individuals: This key is missing."),
        (_set(["sign_fields"], "title"), "sign_fields: Expected a list of strings, not a string."),
        (
            _set(["sign_fields"], ["title", 3]),
            "sign_fields: Expected a list of strings, but item 1 is a number.",
        ),
        (
            _set(["sign_fields"], ["title", "fax"]),
            "sign_fields: Select a valid choice. fax is not one of the available choices.",
        ),
        # Versions
        (_delete(["versions"]), "versions: This key is missing."),
        (_set(["versions"], {}), "versions: Expected a list, not an object."),
        (_set(["versions", 0], 1), "versions[0]: Expected an object, not a number."),
        (
            _set(["versions", 0, "number"], 0),
            "versions[0].number: Ensure this value is greater than or equal to 1.",
        ),
        (_set(["versions", 0, "number"], "1"), "versions[0].number: Expected a whole number, not a string."),
        (_set(["versions", 1, "number"], 1), "versions[1].number: Version 1 appears twice."),
        (_set(["versions", 0, "created_by"], "noor"), "versions[0].created_by: Unknown key."),
        (
            _set(["versions", 0, "created_at"], None),
            "versions[0].created_at: Expected a date and time as a string, not null.",
        ),
        (_set(["versions", 1, "created_at"], "2026-03-01"), "versions[1].created_at: Include the UTC"),
        (_set(["versions", 0, "text"], "We write…"), "versions[0].text: Expected an object, not a string."),
        (_delete(["versions", 0, "text", "body"]), "versions[0].text.body: This key is missing."),
        (_set(["versions", 0, "text", "footer"], ""), "versions[0].text.footer: Unknown key."),
        (
            _set(["versions", 0, "text", "recipients"], [None]),
            "versions[0].text.recipients: Expected a list of strings, but item 0 is null.",
        ),
        (
            _set(["versions", 1, "text", "asks", 0], "Fund testing"),
            "versions[1].text.asks[0]: Expected an object, not a string.",
        ),
        (
            _delete(["versions", 1, "text", "asks", 1, "text"]),
            "versions[1].text.asks[1].text: This key is missing.",
        ),
        # Signatures' details
        (_delete(["signatures", 0, "contact_name"]), "signatures[0].contact_name: This key is missing."),
        (_set(["signatures", 0, "county"], "El Paso"), "signatures[0].county: Unknown key."),
        (
            _set(["signatures", 0, "contact_name"], "x" * 201),
            "signatures[0].contact_name: Ensure this value has at most 200 characters",
        ),
        (
            _set(["signatures", 0, "authorized_by"], "x" * 461),
            "signatures[0].authorized_by: Ensure this value has at most 460 characters",
        ),
        (
            _set(["signatures", 0, "state"], "ZZ"),
            "signatures[0].state: Select a valid choice. ZZ is not one of the available choices.",
        ),
        (
            _set(["signatures", 0, "scope"], "global"),
            "signatures[0].scope: Select a valid choice. global is not one of the available choices.",
        ),
        (
            _set(["signatures", 0, "email"], "lucia at amigos"),
            "signatures[0].email: Enter a valid email address.",
        ),
        (
            _set(["signatures", 0, "website"], "ftp://amigos.example.org"),
            "signatures[0].website: Enter a web address starting with http:// or https://.",
        ),
        (_set(["signatures", 0, "website"], "https://"), "signatures[0].website: Enter a valid URL."),
        (
            _set(["signatures", 2, "is_hidden"], "no"),
            "signatures[2].is_hidden: Expected true or false, not a string.",
        ),
        (
            _set(["signatures", 0, "authorized_at"], "2026-03-01T07:00:00"),
            "signatures[0].authorized_at: Include the UTC offset",
        ),
        (
            _set(["signatures", 0, "consented_at"], 0),
            "signatures[0].consented_at: Expected a date and time as a string, or null, not a number.",
        ),
        (
            _set(["signatures", 0, "confirmed_at"], "soon"),
            "signatures[0].confirmed_at: Enter a date and time",
        ),
        (
            _set(["signatures", 2, "last_emailed_at"], ""),
            "signatures[2].last_emailed_at: Enter a date and time",
        ),
        (
            _set(["signatures", 0, "emails_sent"], -1),
            "signatures[0].emails_sent: Ensure this value is greater than or equal to 0.",
        ),
        (
            _set(["signatures", 0, "emails_sent"], None),
            "signatures[0].emails_sent: Expected a whole number, not null.",
        ),
        (
            _set(["signatures", 0, "letter_version"], "1"),
            "signatures[0].letter_version: Expected a whole number or null, not a string.",
        ),
        (
            _set(["signatures", 0, "letter_version"], 3),
            'signatures[0].letter_version: There is no version 3 in "versions".',
        ),
        (_delete(["versions", 1]), 'signatures[2].letter_version: There is no version 2 in "versions".'),
        (_delete(["versions", 1]), 'signatures[0].notified_of_version: There is no version 2 in "versions".'),
        (
            _set(["signatures", 0, "notified_of_version"], True),
            "signatures[0].notified_of_version: Expected a whole number or null, not true or false.",
        ),
        # What the database's constraints would refuse
        (
            _set(["signatures", 4, "name"], "amigos   del río"),
            'signatures[4].name: "amigos   del río" appears twice among active signatures '
            "(also signatures[0]).",
        ),
        (
            _update(["signatures", 3], kind="individual", status="accepted", email="JANE.doe@example.edu"),
            'signatures[3].email: "JANE.doe@example.edu" appears twice among active individual signatures '
            "(also signatures[2]).",
        ),
    ],
)
def test_refused_file_names_the_path_and_writes_nothing(full_letter, target, staffer, change, message):
    document = export_letter(full_letter)
    change(document)
    before = _counts()

    with pytest.raises(LetterImportError) as refused:
        import_letter(document, campaign=target, user=staffer)

    assert any(problem.startswith(message) for problem in refused.value.messages), refused.value.messages
    assert _counts() == before


def test_every_problem_is_reported_at_once(full_letter, target, staffer):
    document = export_letter(full_letter)
    document["recipients"][1]["email"] = "nope"
    document["contacts"] = "Sam"
    document["signatures"][4]["status"] = "maybe"

    with pytest.raises(LetterImportError) as refused:
        import_letter(document, campaign=target, user=staffer)

    assert refused.value.messages == [
        "contacts: Expected a list, not a string.",
        "recipients[1].email: Enter a valid email address.",
        "signatures[4].status: Select a valid choice. maybe is not one of the available choices.",
    ]


@pytest.mark.parametrize("data", [[], "letter", None, 3])
def test_a_document_that_is_not_an_object_is_refused(db, target, data):
    with pytest.raises(LetterImportError, match="A letter file holds one JSON object"):
        import_letter(data, campaign=target, user=None)


def test_a_user_who_cannot_edit_the_campaign_is_refused(full_letter, target):
    viewer = UserFactory(username="viewer")
    MembershipFactory(campaign=target, user=viewer, role=Membership.Role.VIEWER)
    before = _counts()
    with pytest.raises(LetterImportError, match="may not add letters"):
        import_letter(export_letter(full_letter), campaign=target, user=viewer)
    assert _counts() == before


def test_imported_body_is_sanitized(full_letter, target, staffer):
    document = export_letter(full_letter)
    document["body"] = '<p onclick="steal()">Hello</p><script>alert(1)</script><a href="javascript:x()">x</a>'

    imported = import_letter(document, campaign=target, user=staffer)

    assert imported.body == '<p>Hello</p><a rel="noopener noreferrer nofollow">x</a>'
    imported.refresh_from_db()
    assert "script" not in imported.body


def test_import_cleans_like_the_editing_form(full_letter, target, staffer):
    document = export_letter(full_letter)
    document["title"] = "  Spaced title  "
    document["signatures"][0]["name"] = "  Amigos   del  Río "

    imported = import_letter(document, campaign=target, user=staffer)

    assert imported.title == "Spaced title"
    assert imported.signatures.filter(is_lead=True).order_by("lead_position").first().name == "Amigos del Río"


def test_import_assumes_https_for_a_website_as_the_sign_on_form_does(full_letter, target, staffer):
    document = export_letter(full_letter)
    document["signatures"][0]["website"] = "amigos.example.org"

    imported = import_letter(document, campaign=target, user=staffer)

    assert imported.signatures.get(name="Amigos del Río").website == "https://amigos.example.org"


def test_inactive_signatures_may_repeat_an_organization_or_an_email(full_letter, target, staffer):
    """Only pending, in-review and accepted signatures hold a signer's place, as in the database."""
    document = export_letter(full_letter)
    document["signatures"][3].update(name="amigos del río", status="withdrawn")
    document["signatures"][4].update(kind="individual", status="rejected", email="jane.doe@example.edu")
    # The same name as an individual is another signer: the constraint is on organizations.
    document["signatures"][1].update(kind="individual", name="Amigos del Río", email="")

    imported = import_letter(document, campaign=target, user=staffer)

    assert imported.signatures.filter(normalized_name="amigos del río").count() == 3
    assert imported.signatures.filter(email__iexact="jane.doe@example.edu").count() == 2


def test_version_text_body_is_sanitized(full_letter, target, staffer):
    """No page renders a version's HTML yet; a crafted file must not plant a script for when one does."""
    document = export_letter(full_letter)
    document["versions"][0]["text"]["body"] = "<p>Hello</p><script>alert(1)</script>"

    imported = import_letter(document, campaign=target, user=staffer)

    assert imported.versions.get(number=1).text["body"] == "<p>Hello</p>"


# The import command's refusals


def _import_command(path, **options):
    return call_command("import_letter", str(path), stdout=io.StringIO(), **options)


def test_command_refuses_malformed_json_and_writes_nothing(target, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "format": "undersigned-letter",\n  "version": 1,,\n}', encoding="utf-8")
    before = _counts()

    with pytest.raises(CommandError, match=r"is not valid JSON: .* at line 3, column 16"):
        _import_command(path, campaign="archive")

    assert _counts() == before


def test_command_lists_the_problems_and_writes_nothing(full_letter, target, tmp_path):
    document = export_letter(full_letter)
    document["recipients"][2]["email"] = "nunez at epa"
    document["asks"] = {"title": "Fund testing"}
    path = tmp_path / "letter.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    before = _counts()

    with pytest.raises(CommandError) as refused:
        _import_command(path, campaign="archive")

    assert str(refused.value).splitlines() == [
        f"{path} was not imported; nothing was written:",
        "  - asks: Expected a list, not an object.",
        "  - recipients[2].email: Enter a valid email address.",
    ]
    assert _counts() == before


def test_command_refuses_unknown_campaign_unreadable_file_and_unknown_user(full_letter, target, tmp_path):
    path = tmp_path / "letter.json"
    call_command("export_letter", full_letter.pk, out=str(path))
    before = _counts()

    with pytest.raises(CommandError, match='There is no campaign with the slug "nowhere"'):
        _import_command(path, campaign="nowhere")
    with pytest.raises(CommandError, match="Cannot read"):
        _import_command(tmp_path / "missing.json", campaign="archive")
    with pytest.raises(CommandError, match='There is no user "ghost"'):
        _import_command(path, campaign="archive", user="ghost")
    (tmp_path / "latin1.json").write_bytes('{"title": "Río"}'.encode("latin-1"))
    with pytest.raises(CommandError, match="is not UTF-8 text"):
        _import_command(tmp_path / "latin1.json", campaign="archive")

    assert _counts() == before


def test_export_command_refuses_unknown_letter(db):
    with pytest.raises(CommandError, match="There is no letter with id 999999"):
        call_command("export_letter", 999999, stdout=io.StringIO())


def test_nothing_is_written_when_the_database_refuses_midway(full_letter, target, staffer, monkeypatch):
    """A failure after the letter row is inserted rolls the whole import back."""

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Signature.objects, "bulk_update", fail)
    before = _counts()
    with pytest.raises(RuntimeError):
        import_letter(copy.deepcopy(export_letter(full_letter)), campaign=target, user=staffer)
    assert _counts() == before


def test_pdf_options_travel_and_are_checked(full_letter, target, staffer):
    full_letter.page_size, full_letter.signer_order, full_letter.show_count_line = "a4", "state", True
    full_letter.save()
    exported = export_letter(full_letter)
    imported = import_letter(json.loads(json.dumps(exported)), campaign=target, user=staffer)
    assert (imported.page_size, imported.signer_order, imported.show_count_line) == ("a4", "state", True)
    assert export_letter(imported) == exported

    before = _counts()
    for change, message in [
        ({"page_size": "legal"}, "page_size: Select a valid choice."),
        ({"signer_order": "random"}, "signer_order: Select a valid choice."),
        ({"show_count_line": "yes"}, "show_count_line: Expected true or false, not a string."),
    ]:
        with pytest.raises(LetterImportError) as refused:
            import_letter({**exported, **change}, campaign=target, user=staffer)
        assert any(m.startswith(message) for m in refused.value.messages), refused.value.messages
    assert _counts() == before
