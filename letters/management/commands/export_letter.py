import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from letters.interchange import export_letter
from letters.models import Letter


class Command(BaseCommand):
    help = "Write one letter, its parts, versions and signatures as JSON (format: docs/letter-format.md)."

    def add_arguments(self, parser):
        parser.add_argument("letter_id", type=int, help="The letter's id.")
        parser.add_argument("--out", metavar="FILE", help="Write to FILE instead of standard output.")

    def handle(self, *args, letter_id, out, **options):
        try:
            letter = Letter.objects.get(pk=letter_id)
        except Letter.DoesNotExist:
            raise CommandError(_("There is no letter with id %(id)d.") % {"id": letter_id}) from None
        text = json.dumps(export_letter(letter), indent=2, ensure_ascii=False)
        if out is None:
            self.stdout.write(text)
            return
        try:
            Path(out).write_text(text + "\n", encoding="utf-8")
        except OSError as error:
            message = _("Cannot write %(file)s: %(error)s") % {"file": out, "error": error}
            raise CommandError(message) from error
