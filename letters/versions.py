"""Comparing two versions of a letter's text, line by line."""

import difflib
import re

from django.utils.html import strip_tags

_BLOCK_END = re.compile(r"</(p|h2|h3|h4|li|blockquote)>|<br\s*/?>", re.IGNORECASE)


def text_lines(snapshot):
    """A version's text as plain lines, in the order the letter prints them."""
    lines = [f"To: {name}" for name in snapshot.get("recipients", [])]
    lines += [snapshot.get("subject", ""), snapshot.get("salutation", "")]
    body = _BLOCK_END.sub("\n", snapshot.get("body", ""))
    lines += [" ".join(line.split()) for line in strip_tags(body).splitlines()]
    for number, ask in enumerate(snapshot.get("asks", []), start=1):
        lines.append(f"{number}. {ask['title']} {ask['text']}".strip())
    lines.append(snapshot.get("closing", ""))
    return [line for line in lines if line]


def compare(old, new):
    """[(kind, line)] with kind "same", "removed" or "added"."""
    kinds = {" ": "same", "-": "removed", "+": "added"}
    return [
        (kinds[line[0]], line[2:])
        for line in difflib.ndiff(text_lines(old), text_lines(new))
        if line[0] in kinds
    ]
