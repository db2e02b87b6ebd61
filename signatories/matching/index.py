"""Blocking: find the few names worth comparing with each name, then group the matches.

Names are indexed under their key, their letters without spaces, their acronyms and initials, their
words with one or two words left out, and (one-word names) their spellings with a letter left out. Two
names are compared only when they share one of these, so the cost grows with the number of names, not
with its square.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .compare import EXACT, MIN_SINGLE_WORD_TYPO, MIN_WORDS_FOR_TWO_TYPOS, PROBABLE, Match, compare, is_typo
from .lexicon import OPTIONAL_WORDS
from .normalize import ParsedName, parse_name

# Acronym links wait until the other links are made, so that an acronym several groups share links none.
ACRONYM_RULES = {"acronym", "initials"}
MAX_REASONS = 3
# Buckets up to this size are scanned for typos; larger ones are looked up by spelling (one edit only).
SCAN_LIMIT = 64
# With two typos in a name, both words must be at least this long, and the name at most this many
# words (a name of n words has n * (n - 1) / 2 pairs to index).
MIN_TWO_TYPOS_WORD = 4
MAX_TWO_TYPOS_WORDS = 8
# Names of more words are not blocked by their words but one (each would cost its length squared).
MAX_BLOCKED_WORDS = 30


@dataclass(frozen=True, slots=True)
class Group:
    """Names judged to be one organization: their positions in the input, and why."""

    members: tuple[int, ...]
    kind: str  # EXACT if every link is exact (safe to merge automatically), else PROBABLE
    confidence: float  # the weakest link's
    reason: str


def group_names(names: Sequence[str]) -> list[Group]:
    """Groups of two or more of the names that are the same organization, by first position."""
    return NameIndex(names).groups()


def best_matches(
    name: str, candidates: "Sequence[str] | NameIndex", *, limit: int = 10
) -> list[tuple[int, Match]]:
    """[(position in candidates, Match)] for the candidates most likely the same as name, best first.

    candidates may be a NameIndex built once for a directory and reused across calls.
    """
    index = candidates if isinstance(candidates, NameIndex) else NameIndex(candidates)
    return index.best_matches(name, limit=limit)


class NameIndex:
    """Names parsed once and indexed for blocking.

    Names that parse alike (same key, words and acronyms) share one entry, so a list that repeats a
    name costs no more than the distinct names in it.
    """

    def __init__(self, names: Sequence[str]):
        parsed_by_text = {}
        self.parsed = [
            parsed_by_text.get(name) or parsed_by_text.setdefault(name, parse_name(name)) for name in names
        ]
        self._members = {}  # entry -> positions of the names that parse like it, the entry first
        entry_of = {}
        for position, parsed in enumerate(self.parsed):
            if parsed.comparable:
                entry = entry_of.setdefault(_reading(parsed), position)
                self._members.setdefault(entry, []).append(position)
        self._by_key = defaultdict(list)
        self._by_spacing = defaultdict(list)
        self._by_alias = defaultdict(list)
        self._by_initials = defaultdict(list)
        self._by_acronym_name = defaultdict(list)
        self._by_word = defaultdict(list)
        self._by_words = defaultdict(lambda: defaultdict(list))  # words but one -> {left out: entries}
        self._by_two_out = defaultdict(list)  # words but two -> [(left out, entry)]
        self._by_deletion = defaultdict(list)
        self._deletions_in = {}  # words but one -> {spelling with a letter left out: left-out words}
        for entry in self._members:
            self._add(entry, self.parsed[entry])

    def _add(self, entry, parsed):
        """Index one entry under every key a matching name could share with it."""
        self._by_key[parsed.key].append(entry)
        self._by_spacing[parsed.key.replace(" ", "")].append(entry)
        for acronym in parsed.aliases:
            self._by_alias[acronym].append(entry)
        for acronym in parsed.initials:
            self._by_initials[acronym].append(entry)
        if parsed.is_acronym:
            self._by_acronym_name[parsed.core[0]].append(entry)
        for word in set(parsed.core):
            self._by_word[word].append(entry)
        core = parsed.core
        if len(core) == 1 and len(core[0]) >= MIN_SINGLE_WORD_TYPO:
            for variant in _deletions(core[0]):
                self._by_deletion[variant].append(entry)
        self._by_words[core][None].append(entry)
        if 1 < len(core) <= MAX_BLOCKED_WORDS:
            for left_out in range(len(core)):
                self._by_words[core[:left_out] + core[left_out + 1 :]][core[left_out]].append(entry)
        if MIN_WORDS_FOR_TWO_TYPOS <= len(core) <= MAX_TWO_TYPOS_WORDS:
            for rest, left_out in _two_out(core):
                self._by_two_out[rest].append((left_out, entry))

    def candidates(self, parsed: ParsedName) -> set[int]:
        """Entries that share a blocking key with this parsed name."""
        found = set(self._by_key.get(parsed.key, ()))
        found.update(self._by_spacing.get(parsed.key.replace(" ", ""), ()))
        found.update(self._acronym_candidates(parsed))
        found.update(self._word_candidates(parsed))
        found.update(self._two_typo_candidates(parsed))
        return found

    def _acronym_candidates(self, parsed):
        """Entries that give one of this name's words as an acronym, or use one of its acronyms."""
        for word in parsed.core:
            yield from self._by_alias.get(word, ())
        if parsed.is_acronym:
            yield from self._by_initials.get(parsed.core[0], ())
        for acronym in parsed.aliases:
            yield from self._by_word.get(acronym, ())
        for acronym in parsed.initials:
            yield from self._by_acronym_name.get(acronym, ())

    def _word_candidates(self, parsed):
        """Entries with the same words but one: an optional small word, or a possible typo."""
        core = parsed.core
        same = self._by_words.get(core, {})
        for extra in (None, *OPTIONAL_WORDS):
            yield from same.get(extra, ())
        if len(core) == 1 and len(core[0]) >= MIN_SINGLE_WORD_TYPO:
            # One-word names have no other words to block on: share a spelling with a letter left out.
            for variant in _deletions(core[0]):
                yield from self._by_deletion.get(variant, ())
        if not 1 < len(core) <= MAX_BLOCKED_WORDS:
            return
        for left_out in range(len(core)):
            mine, rest = core[left_out], core[:left_out] + core[left_out + 1 :]
            bucket = self._by_words.get(rest)
            if not bucket:
                continue
            if mine in OPTIONAL_WORDS:
                yield from bucket.get(None, ())
            for theirs in self._look_alikes(rest, bucket, mine):
                yield from bucket[theirs]

    def _look_alikes(self, rest, bucket, mine):
        """The words left out of a bucket's entries that could be a typo of mine."""
        if len(bucket) <= SCAN_LIMIT:
            theirs = [word for word in bucket if word is not None]
        else:
            # Chapters ("Indivisible <place>") fill one bucket: look up spellings, do not scan them all.
            deletions = self._deletions_in.get(rest)
            if deletions is None:
                deletions = self._deletions_in[rest] = defaultdict(set)
                for word in bucket:
                    for variant in _deletions(word) if word is not None else ():
                        deletions[variant].add(word)
            theirs = {word for variant in _deletions(mine) for word in deletions.get(variant, ())}
        return [
            word
            for word in theirs
            if word != mine and abs(len(word) - len(mine)) <= 2 and is_typo(mine, word)
        ]

    def _two_typo_candidates(self, parsed):
        """Entries of four words or more with typos in two of them (the compare allows two)."""
        core = parsed.core
        if not MIN_WORDS_FOR_TWO_TYPOS <= len(core) <= MAX_TWO_TYPOS_WORDS:
            return
        for rest, (first, second) in _two_out(core):
            bucket = self._by_two_out.get(rest, ())
            if len(bucket) > SCAN_LIMIT:
                continue  # many names share all words but two: chapters, not typos
            for (theirs_first, theirs_second), entry in bucket:
                if (theirs_first != first and theirs_second != second) and (
                    is_typo(first, theirs_first) and is_typo(second, theirs_second)
                ):
                    yield entry

    def best_matches(self, name: str, *, limit: int = 10) -> list[tuple[int, Match]]:
        """[(position, Match)] for the indexed names most likely the same organization as name."""
        parsed = parse_name(name)
        found = []
        for entry in self.candidates(parsed):
            match = compare(parsed, self.parsed[entry])
            if match is not None:
                found.extend((position, match) for position in self._members[entry])
        if any(match.rule == "acronym" for _, match in found):
            # A declared acronym outweighs a coincidence of initials.
            found = [(position, match) for position, match in found if match.rule != "initials"]
        found.sort(key=lambda item: (-item[1].confidence, item[0]))
        return found[:limit]

    def groups(self) -> list[Group]:
        """Groups of two or more indexed names judged to be one organization."""
        forest = _Forest(len(self.parsed))
        same = Match(EXACT, 1.0, "same name after normalization", "normalized")
        for entry, positions in self._members.items():
            for position in positions[1:]:
                forest.link(entry, position, same)
        by_short = defaultdict(list)
        for entry in self._members:
            parsed = self.parsed[entry]
            for other in sorted(self.candidates(parsed)):
                if other <= entry:
                    continue
                match = compare(parsed, self.parsed[other])
                if match is None:
                    continue
                if match.rule in ACRONYM_RULES:
                    short = entry if len(parsed.core) <= len(self.parsed[other].core) else other
                    by_short[short].append((entry + other - short, match))
                else:
                    forest.link(entry, other, match)
        for short, matches in sorted(by_short.items()):
            self._link_unambiguous(forest, short, matches)
        return forest.groups()

    @staticmethod
    def _link_unambiguous(forest, short, matches):
        """Link an acronym to its organization when one group alone gives it (declared first)."""
        for rule in ("acronym", "initials"):
            chosen = [(other, match) for other, match in matches if match.rule == rule]
            if chosen:
                if len({forest.find(other) for other, _ in chosen}) == 1:
                    for other, match in chosen:
                        forest.link(short, other, match)
                return


def _reading(parsed):
    """What the matcher reads in a name: names that read alike match alike."""
    return parsed.key, parsed.core, parsed.is_acronym, tuple(sorted(parsed.aliases.items()))


def _deletions(word):
    """The word and every spelling of it with one letter left out (a typo's neighbours share one)."""
    return {word, *(word[:position] + word[position + 1 :] for position in range(len(word)))}


def _two_out(core):
    """(the words but two, the two left out) for each pair of words long enough to hold a typo."""
    positions = [position for position, word in enumerate(core) if len(word) >= MIN_TWO_TYPOS_WORD]
    for index, first in enumerate(positions):
        for second in positions[index + 1 :]:
            rest = core[:first] + core[first + 1 : second] + core[second + 1 :]
            yield rest, (core[first], core[second])


class _Forest:
    """Union-find over positions that remembers the links that joined each group."""

    def __init__(self, size):
        self._parent = list(range(size))
        self._links = {}

    def find(self, position):
        """The root of the position's group (halving the path on the way)."""
        while self._parent[position] != position:
            self._parent[position] = self._parent[self._parent[position]]
            position = self._parent[position]
        return position

    def link(self, first, second, match):
        """Join two positions' groups, recording the match that joined them."""
        first, second = self.find(first), self.find(second)
        if first == second:
            return
        if second < first:
            first, second = second, first
        self._parent[second] = first
        kept, merged = self._links.pop(first, []), self._links.pop(second, [])
        if len(kept) < len(merged):
            kept, merged = merged, kept
        kept.extend(merged)
        kept.append(match)
        self._links[first] = kept

    def groups(self):
        """Groups of two or more positions, ordered by their first position."""
        members = defaultdict(list)
        for position in range(len(self._parent)):
            members[self.find(position)].append(position)
        return [
            _group(tuple(positions), self._links[root])
            for root, positions in sorted(members.items(), key=lambda item: item[1][0])
            if len(positions) > 1
        ]


def _group(members, links):
    """A Group with the weakest link's confidence and the distinct reasons, weakest first."""
    links = sorted(links, key=lambda match: match.confidence)
    reasons = list(dict.fromkeys(match.reason for match in links))
    reason = "; ".join(reasons[:MAX_REASONS]) + ("; …" if len(reasons) > MAX_REASONS else "")
    kind = EXACT if all(match.kind == EXACT for match in links) else PROBABLE
    return Group(members=members, kind=kind, confidence=links[0].confidence, reason=reason)
