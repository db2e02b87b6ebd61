"""Whether two parsed names are the same organization, how sure the matcher is, and why.

Every rule errs towards keeping names apart: a false merge silently drops a real signer from a letter,
whereas a missed duplicate is caught by the organizer reading the list.
"""

from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from .acronyms import spells
from .lexicon import CONTRASTING_WORDS, OPTIONAL_WORDS, PLACE_WORDS, STOPWORDS
from .normalize import ParsedName, parse_name, without_accents

EXACT = "exact"  # safe to link automatically
PROBABLE = "probable"  # staff should confirm

# Below this similarity (rapidfuzz ratio of the compared words) a one-word difference is not a typo.
MIN_TYPO_SIMILARITY = 85
# A name of one word must be at least this long for a one-letter difference to count as a typo.
MIN_SINGLE_WORD_TYPO = 6
# Names of fewer words may differ by one typo only.
MIN_WORDS_FOR_TWO_TYPOS = 4
# Differing words beyond this are a different name, not typos (checked before any distance).
MAX_DIFFERING_WORDS = 4


@dataclass(frozen=True, slots=True)
class Match:
    """Why two names are judged to be the same organization."""

    kind: str  # EXACT or PROBABLE
    confidence: float  # 0..1
    reason: str  # for people: "acronym BAJI is given for Black Alliance for Just Immigration (BAJI)"
    rule: str  # for code: normalized, spacing, acronym, initials, words or typo


def match(first: str, second: str) -> Match | None:
    """The Match between two names, or None if they may be different organizations."""
    return compare(parse_name(first), parse_name(second))


def compare(a: ParsedName, b: ParsedName) -> Match | None:
    """The Match between two parsed names, or None if they may be different organizations."""
    if not (a.comparable and b.comparable):
        return None
    if a.key == b.key:
        return Match(EXACT, 1.0, "same name after normalization", "normalized")
    if a.key.replace(" ", "") == b.key.replace(" ", ""):
        return Match(EXACT, 0.98, "same name apart from spacing", "spacing")
    if len(a.core) > len(b.core):
        a, b = b, a
    return acronym_match(a, b) or _word_match(a, b)


def acronym_match(short: ParsedName, full: ParsedName) -> Match | None:
    """A match where the shorter name uses an acronym for words of the longer one."""
    if len(full.core) < 2:
        return None
    if len(short.core) == 1:
        acronym = short.core[0]
        if acronym in full.aliases:
            reason = f"acronym {acronym.upper()} is given for {full.text}"
            return Match(PROBABLE, 0.92, reason, "acronym")
        # Initials alone are weaker evidence: several organizations may share them.
        if short.is_acronym and acronym in full.initials and spells(acronym, full.core, max_letters=1):
            reason = f"acronym {acronym.upper()} matches the initials of {full.text}"
            return Match(PROBABLE, 0.8, reason, "initials")
        return None
    for acronym, expanded in full.aliases.items():
        if acronym in short.core:
            position = short.core.index(acronym)
            if short.core[:position] + expanded + short.core[position + 1 :] == full.core:
                reason = f"acronym {acronym.upper()} stands for {' '.join(expanded)}, as {full.text} says"
                return Match(PROBABLE, 0.9, reason, "acronym")
    return None


def _word_match(a, b):
    """A match where the words differ only by typos, optional small words or a declared acronym."""
    only_a, only_b = Counter(a.core) - Counter(b.core), Counter(b.core) - Counter(a.core)
    if not only_a and not only_b:
        if a.core != b.core:
            return None  # the same words in another order may be another organization
        return Match(PROBABLE, 0.93, _same_words_reason(a, b), "words")
    differing_a, differing_b = list(only_a.elements()), list(only_b.elements())
    if len(differing_a) + len(differing_b) > MAX_DIFFERING_WORDS:
        return None
    typos, extra_a, extra_b = _pair_typos(differing_a, differing_b)
    if not (_optional(extra_a, a.core) and _optional(extra_b, b.core)):
        return None
    if typos:
        return _typo_match(a, b, typos)
    words = ", ".join(f'"{word}"' for word in extra_a + extra_b)
    return Match(PROBABLE, 0.9, f"same name apart from {words}", "words")


def _same_words_reason(a, b):
    """Why two names with different keys read as the same words: an acronym, accents or a code."""
    keys = {*a.key.split(), *b.key.split()}
    acronyms = sorted(acronym for acronym in {*a.aliases, *b.aliases} if acronym in keys)
    if acronyms:
        return f"same name apart from the acronym {' '.join(acronyms).upper()}"
    if without_accents(a.key) == without_accents(b.key):
        return "same name apart from accents"
    codes = sorted(keys - set(a.core))
    return f"same name once {' '.join(codes).upper()} is written out"


def _typo_match(a, b, typos):
    """A match for words one or two letters apart, unless they name different places or groups."""
    if len(typos) > (2 if max(len(a.core), len(b.core)) >= MIN_WORDS_FOR_TWO_TYPOS else 1):
        return None
    if len(a.core) == 1 and len(b.core) == 1 and min(len(a.core[0]), len(b.core[0])) < MIN_SINGLE_WORD_TYPO:
        return None  # one short word: "CASA" and "CASH" are likely two organizations
    if min(len(a.core), len(b.core)) < 3 and any(min(len(x), len(y)) < 4 for x, y in typos):
        return None  # a three-letter word needs the rest of a longer name to vouch for it
    if any(_contrasting(x, y) for x, y in typos):
        return None
    similarity = fuzz.ratio(" ".join(a.core), " ".join(b.core))
    if similarity < MIN_TYPO_SIMILARITY:
        return None
    pairs = ", ".join(f"{x} / {y}" for x, y in typos)
    return Match(
        PROBABLE, round(min(similarity, 95) / 100, 2), f"typo: {similarity:.0f}% similar ({pairs})", "typo"
    )


def _pair_typos(xs, ys):
    """Pair each word with its closest look-alike on the other side; return pairs and leftovers."""
    candidates = sorted(
        (OSA.distance(x, y), i, j) for i, x in enumerate(xs) for j, y in enumerate(ys) if is_typo(x, y)
    )
    pairs, used_x, used_y = [], set(), set()
    for _, i, j in candidates:
        if i not in used_x and j not in used_y:
            pairs.append((xs[i], ys[j]))
            used_x.add(i)
            used_y.add(j)
    return (
        pairs,
        [x for i, x in enumerate(xs) if i not in used_x],
        [y for j, y in enumerate(ys) if j not in used_y],
    )


def is_typo(x: str, y: str) -> bool:
    """Whether two words could be one mistyped: a letter added, dropped, changed or swapped."""
    if x == y or OSA.distance(x, y, score_cutoff=2) > 2:
        return False  # the cheap test first: most pairs of words are far apart
    if x in STOPWORDS or y in STOPWORDS:
        # "fro" for "for", "teh" for "the"; two short words further apart are two words.
        return min(len(x), len(y)) >= 2 and OSA.distance(x, y, score_cutoff=1) <= 1
    shorter, longer = sorted((len(x), len(y)))
    if shorter < 3 or (shorter == 3 and longer != 4):
        return False  # "Law" and "Lab" are two words; "Rad" is "Road" with a letter dropped
    if _digits(x) != _digits(y):
        return False  # "Local 32" and "Local 33"
    if shorter <= 5 and x[0] != y[0] and x[:2] != y[1::-1]:
        return False  # another first letter makes another short word ("Legal", "Regal"), unless swapped
    limit = 2 if shorter >= 8 else 1
    return OSA.distance(x, y, score_cutoff=limit) <= limit


def _contrasting(x, y):
    """Whether two look-alike words still name different things: places, or groups of people."""
    if x in PLACE_WORDS and y in PLACE_WORDS:
        return True
    return any(x in words and y in words for words in CONTRASTING_WORDS)


def _optional(extra, core):
    """Whether words found in one name only are small words inside it ("Center for Gender Refugee ...")."""
    return all(word in OPTIONAL_WORDS and word in core[1:-1] for word in extra)


def _digits(word):
    return "" if word.isalpha() else "".join(filter(str.isdigit, word))
