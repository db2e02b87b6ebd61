import pytest

from letters.models import Letter
from letters.richtext import sanitize_html

from ..factories import RecipientFactory, SignatureFactory


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ([], ""),
        (["Secretary Mayorkas"], "Dear Secretary Mayorkas:"),
        (["Mayor Whitfield", "Chair Ortiz"], "Dear Mayor Whitfield and Chair Ortiz:"),
        (
            ["President Biden", "Secretary Mayorkas", "Acting Director Lechleitner"],
            "Dear President Biden, Secretary Mayorkas, and Acting Director Lechleitner:",
        ),
    ],
)
def test_salutation_built_from_recipients_in_order(letter, names, expected):
    for position, name in reversed(list(enumerate(names))):
        RecipientFactory(letter=letter, position=position, salutation_name=name)
    assert letter.built_salutation() == expected
    assert letter.salutation_text() == expected


def test_typed_salutation_wins(letter):
    RecipientFactory(letter=letter, salutation_name="Secretary Mayorkas")
    letter.salutation = "To whom it may concern:"
    assert letter.salutation_text() == "To whom it may concern:"


def test_rendered_body_fills_signer_count_and_sanitizes_again(letter):
    letter.body = (
        '<p>The undersigned {{signer_count}} groups <a href="javascript:x()">x</a></p><script>1</script>'
    )
    assert (
        letter.rendered_body(194)
        == '<p>The undersigned 194 groups <a rel="noopener noreferrer nofollow">x</a></p>'
    )


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            "<h2>Head</h2><ol><li>a</li></ol><ul><li>b</li></ul>",
            "<h2>Head</h2><ol><li>a</li></ol><ul><li>b</li></ul>",
        ),
        ("<p style='color:red' class='x'>p</p>", "<p>p</p>"),
        (
            '<a href="https://e.org" target="_blank">l</a>',
            '<a href="https://e.org" rel="noopener noreferrer nofollow">l</a>',
        ),
        ('<a href="file:///etc/passwd">l</a>', '<a rel="noopener noreferrer nofollow">l</a>'),
        ("<iframe src='https://e.org'></iframe><img src=x onerror=alert(1)>ok", "ok"),
        ("<style>body{}</style><p>x</p>", "<p>x</p>"),
    ],
)
def test_sanitize_html(html, expected):
    assert sanitize_html(html) == expected


def test_status_transitions(letter):
    assert letter.status == Letter.Status.DRAFT
    assert letter.can_change_status_to(Letter.Status.OPEN)
    assert not letter.can_change_status_to(Letter.Status.SENT)
    letter.status = Letter.Status.SENT
    assert not any(letter.can_change_status_to(status) for status in Letter.Status)


def test_listed_signatures_only_accepted(letter):
    SignatureFactory(letter=letter, name="Listed")
    SignatureFactory(letter=letter, name="Pending", status="pending")
    SignatureFactory(letter=letter, name="Withdrawn", status="withdrawn")
    assert [s.name for s in letter.signatures.listed()] == ["Listed"]


def test_public_ids_are_random_uuids(campaign):
    first, second = (
        Letter.objects.create(campaign=campaign, title="a"),
        Letter.objects.create(campaign=campaign, title="b"),
    )
    assert first.public_id != second.public_id
    assert first.public_id.version == 4


def test_open_letter_past_its_deadline_reads_closed(letter):
    import datetime

    from django.utils import timezone

    letter.status = Letter.Status.OPEN
    assert letter.status_label() == "Open for sign-on"
    letter.deadline = timezone.now() - datetime.timedelta(minutes=1)
    assert letter.status_label() == "Closed (deadline passed)"
    assert not letter.is_taking_signatures()


def test_every_logged_action_reads_as_words(letter):
    import re
    from pathlib import Path

    from letters.models import LetterEvent

    root = Path(__file__).resolve().parents[2]
    source = "".join(
        p.read_text() for app in ["letters", "signatories", "campaigns"] for p in (root / app).rglob("*.py")
    )
    actions = set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', source))
    actions |= {"signature.approved", "signature.rejected"}  # built as f"signature.{action}d"
    for action in actions:
        event = LetterEvent(
            letter=letter, action=action, data={"old": "draft", "new": "open", "count": 2, "number": 2}
        )
        assert event.describe() != action, action
