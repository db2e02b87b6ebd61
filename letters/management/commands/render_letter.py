from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from letters.models import Letter
from letters.pdf import PdfOptions, render_letter
from letters.pdf_sandbox import RenderError


class Command(BaseCommand):
    help = (
        "Render a letter as it stands now to PDF, with the same renderer and limits as the worker. "
        "Nothing is stored in the app."
    )

    def add_arguments(self, parser):
        parser.add_argument("letter_id", type=int, metavar="LETTER", help="The letter's id.")
        parser.add_argument("--out", metavar="FILE.pdf", help="Where to write (default: <title>.pdf).")
        parser.add_argument("--page-size", choices=Letter.PageSize.values, help="Default: the letter's.")
        parser.add_argument(
            "--signer-order", choices=Letter.SignerOrder.values, help="Default: the letter's."
        )

    def handle(self, *args, letter_id, out, page_size, signer_order, **options):
        try:
            letter = Letter.objects.select_related("campaign").get(pk=letter_id)
        except Letter.DoesNotExist:
            raise CommandError(_("There is no letter with id %(id)d.") % {"id": letter_id}) from None
        pdf_options = PdfOptions.for_letter(letter, page_size=page_size, signer_order=signer_order)
        try:
            filename, _content_type, content = render_letter(letter, pdf_options)
        except RenderError as error:
            raise CommandError(_("Rendering failed: %(error)s") % {"error": error}) from error
        path = Path(out or filename)
        try:
            path.write_bytes(content)
        except OSError as error:
            message = _("Cannot write %(file)s: %(error)s") % {"file": path, "error": error}
            raise CommandError(message) from error
        self.stdout.write(_("Wrote %(file)s (%(size)d bytes).") % {"file": path, "size": len(content)})
