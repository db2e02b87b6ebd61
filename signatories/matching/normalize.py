"""Canonical forms of organization names: the safe key stored on signatures and the parsed form."""

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from .acronyms import initials, spells, spells_loosely
from .lexicon import (
    ABBREVIATIONS,
    AMBIGUOUS_STATE_CODES,
    LEGAL_SUFFIXES,
    NOT_ACRONYMS,
    US_STATES,
)

MAX_KEY_LENGTH = 300  # Signature.normalized_name and OrganizationAlias.normalized_name hold 300.
# Longer texts are not one organization's name: their acronyms are not looked for (that costs more).
MAX_TEXT_FOR_ACRONYMS = 1000
_STATE_NAMES = {code: state.title() for state, code in US_STATES.items()}

_APOSTROPHES = "\u2018\u2019\u201a\u201b\u2032\u02bc\u00b4`"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_TYPOGRAPHY = str.maketrans(
    {
        **dict.fromkeys(_APOSTROPHES, "'"),
        **dict.fromkeys(_DOUBLE_QUOTES, '"'),
        **dict.fromkeys(_DASHES, "-"),
        **dict.fromkeys(_INVISIBLE, ""),
    }
)
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
# "H.O.M.E.", "S.O.L.A.C.E", "U.S." and "L.L.C." are one word each, not single letters.
_DOTTED_INITIALS = re.compile(r"(?<!\w)((?:[^\W\d_]\.)+[^\W\d_])\.?(?!\w)")
_WEB_SUFFIX = re.compile(r"(?<=\w)\.(?:org|com|net)\b", re.IGNORECASE)
_PLUS = re.compile(r"\s\+\s")
_NON_WORD = re.compile(r"[\W_]+")
# Postal codes that are also words, read as states only when written in capitals in a name that is not
# all capitals ("OR Justice Resource Center"); "LA" stays out (Louisiana or Los Angeles).
_STATE_IN_CAPITALS = re.compile(
    r"\b(" + "|".join(code.upper() for code in sorted(AMBIGUOUS_STATE_CODES - {"la", "pr"})) + r")\b"
)
_MASS = re.compile(r"\bMass\.(?=\s|,|$)")
_US = re.compile(r"(?<![\w.])U\.?S\.?(?![\w.])")
_UNITED_STATES = re.compile(r"\bunited states(?: of america)?\b", re.IGNORECASE)
_ACRONYM = r"([^\W_](?:[\w.&]*[^\W_])?\.?)"
_PARENTHESIZED = re.compile(r"\s*[(\[]\s*" + _ACRONYM + r"\s*[)\]]")
_LEADING_ACRONYM = re.compile(r"^(?:the\s+)?" + _ACRONYM + r"\s*(?::|\||/|\s-)\s+(?=\S)", re.IGNORECASE)
_TRAILING_ACRONYM = re.compile(r"\s*(?:,|:|\||/|\s-|-)\s*" + _ACRONYM + r"$")


@dataclass(frozen=True, slots=True)
class ParsedName:
    """A name read for matching: its safe key, its words and the acronyms it declares."""

    text: str
    key: str
    core: tuple[str, ...]  # the key's words without any acronym the name adds in parentheses
    aliases: dict[str, tuple[str, ...]]  # declared acronym -> the words it stands for
    initials: frozenset[str]  # acronyms of three letters or more its words' first letters make
    is_acronym: bool  # the whole name is one word in capitals, like "ISLA" or "H.O.M.E."

    @property
    def comparable(self) -> bool:
        return bool(self.core)


def clean(name: str | None) -> str:
    """The name with Unicode quotes, dashes and spaces reduced to their plain forms."""
    text = unicodedata.normalize("NFKC", name or "").translate(_TYPOGRAPHY)
    return " ".join(text.split())


def without_accents(text: str) -> str:
    """The text without accents: "Liberación" -> "Liberacion"."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(char for char in text if not unicodedata.combining(char)))


def words(text: str) -> list[str]:
    """Lowercase words with symbols, abbreviations, "The" and legal suffixes normalized."""
    text = _WEB_SUFFIX.sub("", text)
    text = _DOTTED_INITIALS.sub(lambda match: match.group(1).replace(".", ""), text)
    text = _PLUS.sub(" and ", text.replace("'", "").replace("&", " and "))
    result = []
    for word in _NON_WORD.sub(" ", text.casefold()).split():
        result.extend(ABBREVIATIONS.get(word, (word,)))
    if len(result) > 1 and result[0] == "the":
        del result[0]
    # "Families for Freedom, Inc." and "Bronx Defenders, The" as directories list them.
    while len(result) > 1 and (result[-1] in LEGAL_SUFFIXES or result[-1] == "the"):
        del result[-1]
    return result


def _acronym_candidates(text):
    """(acronym, span in text, words it would stand for) for each acronym the name sets apart."""
    for match in _PARENTHESIZED.finditer(text):
        before, after = text[: match.start()], text[match.end() :]
        yield match.group(1), match.span(), words(before or after)
    if match := _LEADING_ACRONYM.match(text):
        yield match.group(1), match.span(), words(text[match.end() :])
    if match := _TRAILING_ACRONYM.search(text):
        yield match.group(1), match.span(), words(text[: match.start()])


def _as_acronym(written):
    """The acronym as compared ("h.o.m.e." -> "home"), or "" if it could not be one."""
    acronym = written.replace(".", "").replace("&", "").casefold()
    if len(acronym) < 3 or not acronym.isalpha() or acronym in NOT_ACRONYMS:
        return ""
    return acronym


def _looks_written_as_acronym(written):
    """Capitals or dots ("BAJI", "H.O.M.E.", "ImmHELP"), as opposed to an ordinary word."""
    return "." in written or sum(char.isupper() for char in written) >= 2


def declared_acronyms(text):
    """The acronyms the name declares, and the text without them: (key text, compared text, acronyms).

    Acronyms that exactly abbreviate the words are left out of both texts: "(BAJI)" after "Black
    Alliance for Just Immigration" adds nothing. Loose ones ("(CHIRLA)" hints at "of Los Angeles") stay
    in the key text, which must be certain, and are left out of the compared text only.
    acronyms maps each acronym to the words it stands for.
    """
    declared, key_text, compared_text = {}, text, text
    if len(text) > MAX_TEXT_FOR_ACRONYMS:
        return text, text, declared
    for written, (start, end), expanded in list(_acronym_candidates(text)):
        acronym = _as_acronym(written)
        if not acronym or acronym in declared:
            continue
        if spells(acronym, expanded):
            key_text = _blank(key_text, start, end)
        elif not (_looks_written_as_acronym(written) and spells_loosely(acronym, expanded)):
            continue
        declared[acronym] = tuple(expanded)
        compared_text = _blank(compared_text, start, end)
    return " ".join(key_text.split()), " ".join(compared_text.split()), declared


def _blank(text, start, end):
    """The text with a span replaced by spaces, so that later spans keep their positions."""
    return text[:start] + " " * (end - start) + text[end:]


def normalize_name(name: str | None) -> str:
    """Canonical form of an organization name: equal forms are certainly the same organization.

    Case, Unicode quotes, dashes and spaces, "&", punctuation, a leading "The", legal suffixes,
    unambiguous abbreviations ("NY", "Natl") and an acronym that repeats the name's initials do not count.
    """
    text = clean(name)
    return _key(text, words(declared_acronyms(text)[0]))


def _key(text, tokens):
    """The key from the key words: at most MAX_KEY_LENGTH characters, never blank for a non-blank name."""
    key = " ".join(tokens) or text.casefold()
    if len(key) <= MAX_KEY_LENGTH:
        return key
    # Cutting the key short could make two long names equal; a digest of the whole key keeps them apart.
    digest = hashlib.sha256(key.encode()).hexdigest()[:20]
    return f"{key[: MAX_KEY_LENGTH - len(digest) - 1]} {digest}"


def parse_name(name: str | None) -> ParsedName:
    """Read a name into its key, compared words, declared acronyms and initials."""
    text = clean(name)
    key_text, compared_text, declared = declared_acronyms(text)
    tokens = words(key_text)
    key = _key(text, tokens)
    # Accents are only compared: the key keeps them, as the names signers type keep them.
    core = words(_read_abbreviations(without_accents(compared_text))) if tokens else []
    is_acronym = len(tokens) == 1 and " " not in text and _looks_written_as_acronym(text) and text.isupper()
    return ParsedName(
        text=text,
        key=key,
        core=tuple(core),
        aliases=declared,
        initials=frozenset(acronym for acronym in initials(core) if len(acronym) >= 3),
        is_acronym=is_acronym,
    )


def _read_abbreviations(text):
    """The text with "US", "United States" and postal codes that could be words written out.

    Only the compared words use this: the key must not depend on case, and capitals are what show
    that "US" is not "us" and "OR" not "or" ("OR Justice Resource Center").
    """
    text = _UNITED_STATES.sub("USA", text)
    if text.isupper():
        return text
    text = _MASS.sub("Massachusetts", _US.sub("USA", text))
    return _STATE_IN_CAPITALS.sub(lambda match: _STATE_NAMES[match.group(1).lower()], text)


def sort_key(name: str | None) -> str:
    """Alphabetical order as letters print it: ignoring case and a leading "The"."""
    return _LEADING_THE.sub("", " ".join((name or "").split())).casefold()
