"""Organization-name matching shared by sign-on, the directory and dedupe.

normalize_name() gives the key stored on each signature: equal keys are certainly one organization.
group_names(), match() and best_matches() go further (acronyms, typos) and say how sure they are.
"""

from .compare import EXACT, PROBABLE, Match, match
from .index import Group, NameIndex, best_matches, group_names
from .normalize import normalize_name, parse_name, sort_key

__all__ = [
    "EXACT",
    "PROBABLE",
    "Group",
    "Match",
    "NameIndex",
    "best_matches",
    "group_names",
    "match",
    "normalize_name",
    "parse_name",
    "sort_key",
]
