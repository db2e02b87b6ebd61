"""The letter's signatures as a CSV file for spreadsheets, safe against formula injection."""

import io

from defusedcsv import csv
from django.utils.text import slugify
from django.utils.translation import gettext as _


def _cell(value):
    # defusedcsv quotes cells starting with = + - @ | %; a leading tab or carriage return can also
    # start a formula in some spreadsheets, so those get the same quote.
    if isinstance(value, str) and value.startswith(("\t", "\r")):
        return "'" + value
    return value


def _iso(moment):
    return moment.isoformat() if moment else ""


def csv_download(filename, rows):
    """(filename, content_type, bytes) of the rows, every cell safe to open in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    # The byte-order mark makes Excel read the file as UTF-8; the importer here accepts it too.
    return filename, "text/csv; charset=utf-8", ("\ufeff" + out.getvalue()).encode()


def signatures_csv(letter, signatures):
    """(filename, content_type, bytes) of the signatures, one row each."""
    rows = [[
        _("Name"), _("Kind"), _("Status"), _("Lead"), _("Contact name"), _("Title"), _("Email"),
        _("City"), _("State"), _("Scope"), _("Website"), _("Affiliation"), _("Signed at"),
        _("Confirmed at"), _("Letter version"),
    ]]  # fmt: skip
    for signature in signatures:
        version = signature.letter_version
        rows.append([
            signature.name, signature.get_kind_display(), signature.get_status_display(),
            _("yes") if signature.is_lead else "", signature.contact_name, signature.title,
            signature.email, signature.city, signature.state, signature.get_scope_display(),
            signature.website, signature.affiliation, _iso(signature.created_at),
            _iso(signature.confirmed_at), version.number if version else "",
        ])  # fmt: skip
    return csv_download(f"{slugify(letter.title) or 'letter'}-signatures.csv", rows)
