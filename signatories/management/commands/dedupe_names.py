"""Group the lines of a file that name the same organization, with the matcher the app uses."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from signatories.matching import group_names


class Command(BaseCommand):
    help = (
        "Read one organization name per line (UTF-8) and print JSON: a list of groups, each the 0-based "
        "line numbers of names judged to be the same organization, e.g. [[0, 3], [5, 6, 9]]. Names found "
        "once are left out; blank lines count as lines but are never grouped."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a text file with one name per line")

    def handle(self, *args, path, **options):
        groups = group_names(_read_lines(Path(path)))
        self.stdout.write(json.dumps([list(group.members) for group in groups]))


def _read_lines(path):
    """The file's lines as text, numbered like an editor numbers them (a final newline ends the last)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise CommandError(f"No such file: {path}") from error
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror or error}") from error
    try:
        # utf-8-sig: a spreadsheet's byte-order mark is not part of the first name.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CommandError(f"{path} is not UTF-8 text (byte {error.start} cannot be decoded).") from error
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
