import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from letters.interchange import LetterImportError, import_letter

# Enough to fix a file by; a file wrong throughout would otherwise bury the first lines.
MAX_LISTED_PROBLEMS = 50


class Command(BaseCommand):
    help = "Add a letter to a campaign from a JSON file written by export_letter; prints the new letter's id."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON file (format: docs/letter-format.md).")
        parser.add_argument("--campaign", required=True, metavar="SLUG", help="The campaign to add it to.")
        parser.add_argument("--user", metavar="USERNAME", help="Recorded as the letter's creator.")

    def handle(self, *args, file, campaign, user, **options):
        data = _read_json(file)
        campaign = _get_campaign(campaign)
        user = _get_user(user) if user else None
        try:
            letter = import_letter(data, campaign=campaign, user=user)
        except LetterImportError as error:
            raise CommandError(_problems(file, error.messages)) from None
        self.stdout.write(str(letter.pk))


def _read_json(file):
    try:
        text = Path(file).read_text(encoding="utf-8")
    except OSError as error:
        raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": file, "error": error}) from None
    except UnicodeDecodeError:
        raise CommandError(_("%(file)s is not UTF-8 text.") % {"file": file}) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CommandError(
            _("%(file)s is not valid JSON: %(reason)s at line %(line)d, column %(column)d.")
            % {"file": file, "reason": error.msg, "line": error.lineno, "column": error.colno}
        ) from None


def _get_campaign(slug):
    try:
        return Campaign.objects.get(slug=slug)
    except Campaign.DoesNotExist:
        raise CommandError(_('There is no campaign with the slug "%(slug)s".') % {"slug": slug}) from None


def _get_user(username):
    User = get_user_model()
    try:
        return User.objects.get(**{User.USERNAME_FIELD: username})
    except User.DoesNotExist:
        raise CommandError(_('There is no user "%(username)s".') % {"username": username}) from None


def _problems(file, messages):
    """One message listing the file's problems, at most MAX_LISTED_PROBLEMS of them."""
    lines = [_("%(file)s was not imported; nothing was written:") % {"file": file}]
    lines += [f"  - {message}" for message in messages[:MAX_LISTED_PROBLEMS]]
    if len(messages) > MAX_LISTED_PROBLEMS:
        lines.append(_("  … and %(count)d more.") % {"count": len(messages) - MAX_LISTED_PROBLEMS})
    return "\n".join(lines)
