import pytest

from .pdf_support import make_full_letter


@pytest.fixture
def full_letter(letter):
    """A letter with every part and a mix of signers (see pdf_support.make_full_letter)."""
    return make_full_letter(letter)
