"""Import signers from a CSV file: read the file, guess the column mapping, check each row, then save.

Everything up to `signatures_import` is pure (no database): the views parse the upload once, keep the
table in the session, and check the rows again at confirm time against the signers present then.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django import forms
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from letters.models import Letter
from letters.services import log_event

from . import services
from .choices import OUTSIDE_US, US_STATES, Scope
from .forms import validate_web_address
from .models import Signature

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
SNIFF_BYTES = 4 * 1024  # csv.Sniffer is slow on hostile input: a few lines are enough
FORMULA_STARTS = set("=+-@|%")
# Control characters other than tab and line breaks: what a spreadsheet or other binary file contains.
BINARY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class CSVImportError(Exception):
    """The file cannot be read as a table; the message is shown to the user."""


# Reading the file -----------------------------------------------------------------------------------


@dataclass
class Table:
    header: list[str]
    # (spreadsheet row number, cells padded to the header's width); the header is row 1.
    rows: list[tuple[int, list[str]]]

    def as_session(self):
        return {"header": self.header, "rows": [[number, cells] for number, cells in self.rows]}

    @classmethod
    def from_session(cls, data):
        return cls(header=list(data["header"]), rows=[(number, cells) for number, cells in data["rows"]])


def _decode(data):
    """Text of the file: UTF-8 (with or without BOM), else Windows-1252 as older spreadsheets save it."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        break
    else:
        raise CSVImportError(_("The file is not text in a known encoding; save it as CSV (UTF-8)."))
    if BINARY.search(text):
        raise CSVImportError(
            _("The file is not a CSV file (it contains binary data). Export the sheet as CSV and try again.")
        )
    return text


def _dialect(text):
    try:
        return csv.Sniffer().sniff(text[:SNIFF_BYTES], delimiters=",;\t")
    except csv.Error:
        return csv.excel  # one column, or too little text to tell: commas


def _unescape(cell):
    """A cell as typed: exports (ours too) put a quote before text a spreadsheet could take for a formula."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in FORMULA_STARTS else cell


def read_table(data):
    """Parse uploaded bytes into a Table, or raise CSVImportError with a message for the user."""
    if len(data) > MAX_BYTES:
        raise CSVImportError(_("The file is larger than 2 MB; split it into smaller files."))
    text = _decode(data)
    if not text.strip():
        raise CSVImportError(_("The file is empty."))
    records = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), dialect=_dialect(text))
        for number, cells in enumerate(reader, start=1):
            cells = [_unescape(cell.strip()) for cell in cells]
            if any(cells):  # blank lines are skipped but still counted, as a spreadsheet numbers them
                records.append((number, cells))
            if len(records) > MAX_ROWS + 1:
                raise CSVImportError(
                    _("The file has more than %(max)d rows; split it into smaller files.") % {"max": MAX_ROWS}
                )
    except csv.Error as error:
        raise CSVImportError(_("The file could not be read as CSV: %(error)s") % {"error": error}) from error
    if len(records) < 2:
        raise CSVImportError(_("The file needs a header row naming its columns, then one row per signer."))
    width = max(len(cells) for _number, cells in records)
    header = records[0][1] + [""] * width
    header = [
        cell or _("Column %(number)d") % {"number": index + 1} for index, cell in enumerate(header[:width])
    ]
    rows = [(number, cells + [""] * (width - len(cells))) for number, cells in records[1:]]
    return Table(header=header, rows=rows)


# Mapping columns to fields ---------------------------------------------------------------------------

# The fields a column can fill, with header names that usually mean it, best match first. "name" is
# the last alias of both name and contact_name: with an "Organization" column it is the contact's name.
FIELDS = {
    "name": (
        gettext_lazy("Name as listed"),
        [
            "organization name",
            "organization",
            "organisation name",
            "organisation",
            "org name",
            "org",
            "name of organization",
            "organization group",
            "group name",
            "group",
            "name as listed",
            "listed name",
            "signer",
            "signatory",
            "name",
        ],
    ),
    "kind": (gettext_lazy("Signing as"), ["kind", "signing as", "type", "signer type"]),
    "contact_name": (
        gettext_lazy("Contact name"),
        ["contact name", "contact", "contact person", "your name", "full name", "signer name", "name"],
    ),
    "title": (gettext_lazy("Title"), ["title", "your title", "job title", "contact title", "position"]),
    "email": (
        gettext_lazy("Email"),
        ["email", "email address", "e mail", "e mail address", "contact email", "your email"],
    ),
    "city": (gettext_lazy("City"), ["city", "town", "city town"]),
    "state": (gettext_lazy("State"), ["state", "st", "state territory", "us state"]),
    "scope": (gettext_lazy("Scope"), ["scope", "level", "geographic scope", "organization scope"]),
    "website": (
        gettext_lazy("Website"),
        ["website", "web site", "url", "web", "homepage", "web address", "organization website"],
    ),
    "affiliation": (gettext_lazy("Affiliation"), ["affiliation", "organizational affiliation"]),
}
# When no header matches exactly: a word in it that gives the field away, checked in this order
# ("organi*": any word starting so).
KEYWORDS = [
    ("email", "email*"), ("email", "mail"), ("website", "website"), ("website", "url"), ("name", "organi*"),
    ("contact_name", "contact"), ("city", "city"), ("state", "state"), ("scope", "scope"),
    ("affiliation", "affiliation"), ("title", "title"),
]  # fmt: skip


def _key(text):
    """Lowercase words without punctuation: "E-mail Address" and "email address" match."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


def _word_matches(word, keyword):
    return word.startswith(keyword[:-1]) if keyword.endswith("*") else word == keyword


def guess_mapping(header):
    """{field: column index} from the header names; each column used at most once."""
    simple = [_key(cell) for cell in header]
    mapping, used = {}, set()
    for name, (_label, aliases) in FIELDS.items():
        for alias in aliases:
            index = next((i for i, cell in enumerate(simple) if cell == alias and i not in used), None)
            if index is not None:
                mapping[name] = index
                used.add(index)
                break
    for name, word in KEYWORDS:
        if name in mapping:
            continue
        for index, cell in enumerate(simple):
            if index not in used and any(_word_matches(cell_word, word) for cell_word in cell.split()):
                mapping[name] = index
                used.add(index)
                break
    return mapping


def map_rows(table, mapping):
    """Each row as {field: text} under the chosen mapping; unmapped fields are blank."""
    return [
        (number, {name: cells[mapping[name]] if name in mapping else "" for name in FIELDS})
        for number, cells in table.rows
    ]


# Checking each row -----------------------------------------------------------------------------------


# Codes and full names; the lazy "Outside the US" label is spelled out below instead.
STATES = {_key(code): code for code, _name in US_STATES}
STATES.update({_key(name): code for code, name in US_STATES if isinstance(name, str)})
STATES.update(
    {
        "washington dc": "DC", "washington d c": "DC", "virgin islands": "VI", "us virgin islands": "VI",
        "outside us": OUTSIDE_US, "outside the us": OUTSIDE_US, "outside the usa": OUTSIDE_US,
    }
)  # fmt: skip
KINDS = {
    "organization": Signature.Kind.ORGANIZATION, "organisation": Signature.Kind.ORGANIZATION,
    "org": Signature.Kind.ORGANIZATION, "group": Signature.Kind.ORGANIZATION,
    "individual": Signature.Kind.INDIVIDUAL, "person": Signature.Kind.INDIVIDUAL,
}  # fmt: skip
SCOPES = {"statewide": Scope.STATE, "nationwide": Scope.NATIONAL, "regional": Scope.LOCAL}


def _choice(value, table, choices):
    """The stored value for a value or label typed in any case, or None."""
    key = _key(value)
    if key in table:
        return table[key]
    return next((stored for stored, label in choices if key in {_key(stored), _key(str(label))}), None)


def _max_length(name):
    return Signature._meta.get_field(name).max_length


class ImportRowForm(forms.Form):
    """One row of the file; the same rules as the sign-on form, with spreadsheet spellings accepted."""

    name = forms.CharField(
        max_length=_max_length("name"),
        error_messages={
            "required": gettext_lazy("The name is blank."),
            "max_length": gettext_lazy("The name is longer than %(limit_value)d characters."),
        },
    )
    kind = forms.CharField(required=False)
    contact_name = forms.CharField(required=False, max_length=_max_length("contact_name"))
    title = forms.CharField(required=False, max_length=_max_length("title"))
    email = forms.EmailField(required=False, max_length=_max_length("email"))
    city = forms.CharField(required=False, max_length=_max_length("city"))
    state = forms.CharField(required=False)
    scope = forms.CharField(required=False)
    website = forms.URLField(required=False, max_length=_max_length("website"), assume_scheme="https")
    affiliation = forms.CharField(required=False, max_length=_max_length("affiliation"))

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        if not kind:
            return Signature.Kind.ORGANIZATION
        found = _choice(kind, KINDS, Signature.Kind.choices)
        if found is None:
            raise forms.ValidationError(
                _("Unknown kind “%(value)s”: use organization or individual."), params={"value": kind}
            )
        return found

    def clean_state(self):
        state = self.cleaned_data["state"]
        if not state:
            return ""
        key = _key(state)
        found = STATES.get(key) or STATES.get(key.replace(" ", ""))  # "N.Y." is NY
        if found is None:
            raise forms.ValidationError(_("Unknown state “%(value)s”."), params={"value": state})
        return found

    def clean_scope(self):
        scope = self.cleaned_data["scope"]
        if not scope:
            return ""
        found = _choice(scope, SCOPES, Scope.choices)
        if found is None:
            raise forms.ValidationError(
                _("Unknown scope “%(value)s”: use national, state or local."), params={"value": scope}
            )
        return found

    def clean_website(self):
        return validate_web_address(self.cleaned_data["website"])

    def problems(self):
        """The row's errors as short sentences naming the field."""
        return [
            " ".join(str(message) for message in messages)
            if name == "name"
            else f"{FIELDS[name][0]}: {' '.join(str(message) for message in messages)}"
            for name, messages in self.errors.items()
        ]


@dataclass
class RowCheck:
    OK, DUPLICATE, ERROR = "ok", "duplicate", "error"

    number: int
    values: dict
    outcome: str
    problems: list[str] = field(default_factory=list)
    signature: Signature | None = None

    def cells(self):
        """The row's values in the order of FIELDS, for the preview table."""
        return [self.values.get(name, "") for name in FIELDS]


def check_rows(rows, *, taken_names, taken_emails):
    """Check mapped rows against the letter's active signers and each other.

    taken_names: normalized names of active organization signatures; taken_emails: lowercase emails of
    active individual signatures: the two things the database keeps unique per letter.
    """
    # key -> the row number that took it, or None for a signer already on the letter
    taken = {("name", name): None for name in taken_names} | {
        ("email", email): None for email in taken_emails
    }
    checks = []
    for number, values in rows:
        form = ImportRowForm(values)
        if not form.is_valid():
            checks.append(RowCheck(number, values, RowCheck.ERROR, form.problems()))
            continue
        signature = Signature(**form.cleaned_data)
        signature.set_name(signature.name)
        if signature.kind == Signature.Kind.ORGANIZATION:
            key = ("name", signature.normalized_name)
        else:
            key = ("email", signature.email.lower()) if signature.email else None
        if key in taken:
            first = taken[key]
            problem = (
                _("Duplicate of a signer already on the letter; it will be skipped.")
                if first is None
                else _("Duplicate of row %(number)d; it will be skipped.") % {"number": first}
            )
            checks.append(RowCheck(number, form.cleaned_data, RowCheck.DUPLICATE, [problem]))
            continue
        if key is not None:
            taken[key] = number
        checks.append(RowCheck(number, form.cleaned_data, RowCheck.OK, signature=signature))
    return checks


@dataclass
class ImportSummary:
    checks: list[RowCheck]

    def _with(self, outcome):
        return [check for check in self.checks if check.outcome == outcome]

    @property
    def ok(self):
        return self._with(RowCheck.OK)

    @property
    def duplicates(self):
        return self._with(RowCheck.DUPLICATE)

    @property
    def errors(self):
        return self._with(RowCheck.ERROR)


# Saving ----------------------------------------------------------------------------------------------


def taken_keys(letter):
    """The normalized names and emails that active signatures already hold on the letter."""
    active = letter.signatures.filter(status__in=Signature.ACTIVE_STATUSES)
    names = active.filter(kind=Signature.Kind.ORGANIZATION).values_list("normalized_name", flat=True)
    emails = active.filter(kind=Signature.Kind.INDIVIDUAL).exclude(email="").values_list("email", flat=True)
    return set(names), {email.lower() for email in emails}


def signatures_preview(*, letter, rows):
    """What importing the mapped rows would do now; saves nothing."""
    names, emails = taken_keys(letter)
    return ImportSummary(check_rows(rows, taken_names=names, taken_emails=emails))


def signatures_import(*, letter, user, rows):
    """Save the valid, new rows as accepted signers, all or none. Returns the ImportSummary."""
    services.ensure_signers_can_change(letter)
    try:
        with transaction.atomic():
            # One import per letter at a time: the duplicate check below stays true until commit.
            letter = Letter.objects.select_for_update().get(pk=letter.pk)
            summary = signatures_preview(letter=letter, rows=rows)
            version = letter.current_version()
            signatures = [check.signature for check in summary.ok]
            for signature in signatures:
                signature.letter = letter
                signature.status = Signature.Status.ACCEPTED
                signature.source = Signature.Source.IMPORT
                signature.letter_version = version
            Signature.objects.bulk_create(signatures)
            services.link_signatures(signatures)  # each organization gets its directory entry
            if signatures:
                log_event(letter=letter, actor=user, action="signers.imported", count=len(signatures))
    except IntegrityError as error:
        # A signer used the public form for one of these names while we saved.
        raise services.SignatureError(
            _("Someone signed the letter while the file was being imported; nothing was saved. Try again.")
        ) from error
    return summary
