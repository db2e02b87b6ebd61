"""Organization-name normalization shared by sign-on, the directory and dedupe."""

import re
import unicodedata

_QUOTES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)


def normalize_name(name):
    """Case-, space- and quote-insensitive form of a name: equal forms are the same signer."""
    text = unicodedata.normalize("NFKC", name or "").translate(_QUOTES)
    text = " ".join(text.split()).casefold()
    return _LEADING_THE.sub("", text)


def sort_key(name):
    """Alphabetical order as letters print it: ignoring case and a leading "The"."""
    return _LEADING_THE.sub("", " ".join((name or "").split())).casefold()
