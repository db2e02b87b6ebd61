"""A target's positions on a letter's asks, counted and said in one sentence.

The wording follows how oversight offices report responses, e.g. "ICE concurred with four of CRCL's
recommendations, partially concurred with five, and non-concurred with 17": numbers one to ten in
words, larger ones in digits; categories with no asks left out.
"""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

# The order positions are counted and said in; the values of AskPosition.Position.
POSITIONS = ["concurred", "partially_concurred", "non_concurred", "no_response"]


def number_word(n):
    """one … ten in words, other numbers in digits (the usual style-guide rule)."""
    words = {
        1: pgettext("count", "one"),
        2: pgettext("count", "two"),
        3: pgettext("count", "three"),
        4: pgettext("count", "four"),
        5: pgettext("count", "five"),
        6: pgettext("count", "six"),
        7: pgettext("count", "seven"),
        8: pgettext("count", "eight"),
        9: pgettext("count", "nine"),
        10: pgettext("count", "ten"),
    }
    return words.get(n, str(n))


def complete_counts(counts, ask_count):
    """Every position with its count; asks that have no recorded position count as no response."""
    complete = {position: counts.get(position, 0) for position in POSITIONS}
    complete["no_response"] += max(ask_count - sum(complete.values()), 0)
    return complete


def _part(position, count):
    n = number_word(count)
    if position == "concurred":
        return _("concurred with %(n)s") % {"n": n}
    if position == "partially_concurred":
        return _("partially concurred with %(n)s") % {"n": n}
    if position == "non_concurred":
        return _("non-concurred with %(n)s") % {"n": n}
    return _("did not respond to %(n)s") % {"n": n}


def _whole(position, total):
    """All asks in one position: "concurred with the ask", "… both asks", "… all 12 asks"."""
    if position == "no_response":
        if total == 1:
            return _("did not respond to the ask")
        if total == 2:
            return _("did not respond to either ask")
        return _("did not respond to any of the %(n)s asks") % {"n": number_word(total)}
    if total == 1:
        asks = _("the ask")
    elif total == 2:
        asks = _("both asks")
    else:
        asks = _("all %(n)s asks") % {"n": number_word(total)}
    if position == "concurred":
        return _("concurred with %(asks)s") % {"asks": asks}
    if position == "partially_concurred":
        return _("partially concurred with %(asks)s") % {"asks": asks}
    return _("non-concurred with %(asks)s") % {"asks": asks}


def _join(parts):
    if len(parts) == 2:
        return _("%(first)s and %(second)s") % {"first": parts[0], "second": parts[1]}
    return _("%(list)s, and %(last)s") % {"list": ", ".join(parts[:-1]), "last": parts[-1]}


def positions_sentence(counts, *, subject=""):
    """One sentence for {position: count}, e.g.
    "ICE concurred with four of the 26 asks, partially concurred with five, and non-concurred with 17."
    """
    subject = subject or _("The target")
    total = sum(counts.get(position, 0) for position in POSITIONS)
    if total == 0:
        return _("%(subject)s responded to a letter without asks.") % {"subject": subject}
    present = [(position, counts[position]) for position in POSITIONS if counts.get(position)]
    if len(present) == 1:
        predicate = _whole(present[0][0], total)
    else:
        (first, first_count), *rest = present
        # The total is named once, with the first category: "four of the 26 asks".
        head = _("%(part)s of the %(total)s asks") % {
            "part": _part(first, first_count),
            "total": number_word(total),
        }
        predicate = _join([head, *(_part(position, count) for position, count in rest)])
    return _("%(subject)s %(predicate)s.") % {"subject": subject, "predicate": predicate}
