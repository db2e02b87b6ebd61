"""A sent letter with asks and signers: what responses, follow-ups and reports start from."""

import datetime

import pytest

from letters.models import Letter
from letters.services import letter_change_status

from ..factories import AskFactory, RecipientFactory, SignatureFactory


def send(letter, user=None):
    """Open, close and send the letter the way staff do."""
    for status in [Letter.Status.OPEN, Letter.Status.CLOSED, Letter.Status.SENT]:
        letter = letter_change_status(letter=letter, user=user, status=status)
    return letter


@pytest.fixture
def sent_letter(letter, owner):
    letter.subject = "RE: Segregation in immigration detention"
    letter.save()
    RecipientFactory(
        letter=letter, name="Mr. Patrick J. Lechleitner", salutation_name="Acting Director Lechleitner"
    )
    for title in ["End solitary confinement", "Publish segregation data", "Train field office staff"]:
        AskFactory(letter=letter, title=title)
    SignatureFactory(
        letter=letter, name="Detention Watch Network", email="dwn@example.org", contact_name="Ana"
    )
    SignatureFactory(letter=letter, name="Physicians for Human Rights", email="phr@example.org")
    letter = send(letter, owner)
    letter.date = datetime.date(2024, 2, 5)
    letter.save(update_fields=["date"])
    return letter
