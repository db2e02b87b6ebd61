"""Relating acronyms to the words they abbreviate ("BAJI" to "Black Alliance for Just Immigration")."""

from collections.abc import Sequence

from .lexicon import STOPWORDS

# A word may give up to three letters: "ImmHELP" takes "Imm" from "Immigrant", "NAKASEC" "Na" from
# "National".
MAX_LETTERS_PER_WORD = 3
# Loose readings allow a few letters past the words ("CHIRLA" adds "LA" for Los Angeles).
MAX_EXTRA_LETTERS = 3
# Compound words whose parts each give a letter: "NWIRP" is the Northwest Immigrant Rights Project.
COMPOUND_INITIALS = {
    "northwest": "nw",
    "northeast": "ne",
    "southwest": "sw",
    "southeast": "se",
    "midwest": "mw",
}
# Names of more words than this have no acronym made of their initials.
MAX_INITIALS = 12
# More optional stopwords than this would multiply the initials a name is indexed under.
MAX_OPTIONAL_INITIALS = 4


def _reachable(acronym, words, *, skips=0, max_letters=MAX_LETTERS_PER_WORD):
    """How many leading letters of the acronym the words can spell, each significant word giving some."""
    states = {(0, skips)}
    for position, word in enumerate(words):
        following = set()
        for letters, skips_left in states:
            if word in STOPWORDS:
                following.add((letters, skips_left))
            elif skips_left and position > 0:
                # The first word always gives the first letter; a later word may be left out.
                following.add((letters, skips_left - 1))
            for count in range(1, min(max_letters, len(word)) + 1):
                if not acronym.startswith(word[:count], letters):
                    break
                following.add((letters + count, skips_left))
            compound = COMPOUND_INITIALS.get(word)
            if compound and acronym.startswith(compound, letters):
                following.add((letters + len(compound), skips_left))
        states = following
        if not states:
            return set()
    return {letters for letters, _ in states}


def spells(acronym: str, words: Sequence[str], *, max_letters: int = MAX_LETTERS_PER_WORD) -> bool:
    """Whether the acronym is exactly the words' leading letters, in order (stopwords optional)."""
    return bool(words) and len(acronym) in _reachable(acronym, words, max_letters=max_letters)


def spells_loosely(acronym: str, words: Sequence[str]) -> bool:
    """Whether the acronym abbreviates the words with one word left out or a few letters added."""
    if len(acronym) < 3 or not words:
        return False
    if spells(acronym, words) or len(acronym) in _reachable(acronym, words, skips=1):
        return True
    reached = _reachable(acronym, words)
    return any(3 <= letters and len(acronym) - letters <= MAX_EXTRA_LETTERS for letters in reached)


def initials(words: Sequence[str]) -> set[str]:
    """The acronyms made of the words' first letters, with and without each stopword."""
    if len(words) > MAX_INITIALS:
        return set()
    optional = sum(word in STOPWORDS for word in words)
    if optional > MAX_OPTIONAL_INITIALS:
        significant = "".join(word[0] for word in words if word not in STOPWORDS)
        return {significant, "".join(word[0] for word in words)}
    results = {""}
    for word in words:
        with_word = {result + word[0] for result in results}
        results = results | with_word if word in STOPWORDS else with_word
    return results
