"""Exporting a letter to JSON and importing it as a new letter (letters/interchange.py and its commands)."""

import copy
import datetime
import io
import json
import re

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from campaigns.models import Membership
from letters.interchange import FORMAT, VERSION, LetterImportError, export_letter, import_letter
from letters.models import Letter, LetterEvent, Recipient
from letters.richtext import sanitize_html
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
    _signature(letter, "Waterkeeper Alliance", created_at=march, is_lead=True, lead_position=1)
    _signature(letter, "Amigos del Río", created_at=march, is_lead=True, lead_position=0)
    # A former lead keeps its lead_position, which the model's order still uses.
    _signature(letter, "The Sierra Club", created_at=march - datetime.timedelta(days=1), lead_position=3)
    _signature(
        letter,
        "Jane Doe",
        created_at=march,
        kind=Signature.Kind.INDIVIDUAL,
        status=Signature.Status.PENDING,
        source=Signature.Source.FORM,
    )
    # Same created_at as Jane Doe: their order rests on the id, which import must keep.
    _signature(letter, "Earthjustice", created_at=march, status=Signature.Status.WITHDRAWN)
    return letter


def _counts():
    return {model.__name__: model.objects.count() for model in (Letter, Recipient, Signature, LetterEvent)}


# Export


def test_export_holds_every_field_in_order(full_letter):
    document = export_letter(full_letter)

    assert document["format"] == FORMAT and document["version"] == VERSION
    assert document["title"] == "Letter to the EPA — “Clean Water” 2026"
    assert document["status"] == "open"
    assert document["date"] == "2026-03-09"
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
    assert [s["name"] for s in document["signatures"]] == [
        "Amigos del Río",
        "Waterkeeper Alliance",
        "Jane Doe",
        "Earthjustice",
        "The Sierra Club",
    ]
    assert document["signatures"][2] == {
        "kind": "individual",
        "name": "Jane Doe",
        "status": "pending",
        "source": "form",
        "is_lead": False,
        "lead_position": 0,
        "created_at": "2026-03-01T12:00:00.123456+00:00",
    }


def test_the_documented_example_imports_and_exports_unchanged(target, staffer):
    docs = (settings.BASE_DIR / "docs" / "letter-format.md").read_text(encoding="utf-8")
    example = re.search(r"## Example\n\n```json\n(.*?)```", docs, re.DOTALL).group(1)

    imported = import_letter(json.loads(example), campaign=target, user=staffer)

    assert json.dumps(export_letter(imported), indent=2, ensure_ascii=False) + "\n" == example


def test_export_of_a_bare_letter(db):
    letter = LetterFactory(title="Empty")
    document = export_letter(letter)
    assert document["date"] is None
    assert document["recipients"] == document["asks"] == document["signatures"] == []


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
    event = imported.events.get()
    assert (event.action, event.actor) == ("letter.imported", staffer)
    assert event.data["signatures"] == 5
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
