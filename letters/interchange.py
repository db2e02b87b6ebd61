"""A whole letter as one JSON document: exported for backup or another site, imported as a new letter.

The format is documented in docs/letter-format.md; change VERSION with any change to it.
"""

import datetime
import json
import re
from dataclasses import dataclass

from django.db import models, transaction
from django.forms import ModelForm, modelform_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from signatories.models import Signature

from .forms import AskFormSet, CarbonCopyFormSet, ContactFormSet, LetterForm, RecipientFormSet
from .models import Ask, CarbonCopy, Contact, Letter, Recipient
from .richtext import sanitize_html
from .services import LetterError, log_event

FORMAT = "undersigned-letter"
VERSION = 1

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# Names of JSON types, for messages like "Expected a list, not a string."
_JSON_TYPE_NAMES = [
    (bool, gettext_lazy("true or false")),  # before int: bool is a subclass of int
    (str, gettext_lazy("a string")),
    (int, gettext_lazy("a number")),
    (float, gettext_lazy("a number")),
    (list, gettext_lazy("a list")),
    (dict, gettext_lazy("an object")),
]


class LetterImportError(LetterError):
    """The file was refused; messages lists every problem found, each starting with its path."""

    def __init__(self, messages):
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))


# Checks of JSON types: each returns a message, or None when the value has the right type.


def _json_type_name(value):
    if value is None:
        return "null"
    return next((name for type_, name in _JSON_TYPE_NAMES if isinstance(value, type_)), type(value).__name__)


def _expected(expected, value):
    return _("Expected %(expected)s, not %(actual)s.") % {
        "expected": expected,
        "actual": _json_type_name(value),
    }


def _string(value):
    return None if isinstance(value, str) else _expected(_("a string"), value)


def _list(value):
    return None if isinstance(value, list) else _expected(_("a list"), value)


def _true_or_false(value):
    return None if isinstance(value, bool) else _expected(_("true or false"), value)


def _whole_number(value):
    if isinstance(value, int) and not isinstance(value, bool):
        return None
    return _expected(_("a whole number"), value)


def _date_or_null(value):
    if value is None:
        return None
    if not isinstance(value, str):
        return _expected(_("a date as a string, or null"), value)
    if not _ISO_DATE.fullmatch(value):
        return _("Enter the date as YYYY-MM-DD.")
    return None  # whether the day exists is the form's check, with the browser's message


def _aware_datetime(value):
    if not isinstance(value, str):
        return _expected(_("a date and time as a string"), value)
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        return _("Enter a date and time in ISO 8601 format, e.g. 2026-03-01T14:30:00+00:00.")
    if parsed.tzinfo is None:
        return _("Include the UTC offset, e.g. 2026-03-01T14:30:00+00:00.")
    return None


# The format: which keys each object holds, with their JSON types, and the form that validates them.

_LETTER_TYPES = {
    "title": _string,
    "status": _string,
    "date": _date_or_null,
    "delivery_line": _string,
    "subject": _string,
    "salutation": _string,
    "body": _string,
    "closing": _string,
    "joined_by_heading": _string,
}
_SIGNATURE_TYPES = {
    "kind": _string,
    "name": _string,
    "status": _string,
    "source": _string,
    "is_lead": _true_or_false,
    "lead_position": _whole_number,
    "created_at": _aware_datetime,
}


def _form_for(model, base_form, fields):
    """The browser's form (same checks, same messages) limited to the fields of the format."""
    return modelform_factory(model, form=base_form, fields=fields)


@dataclass(frozen=True)
class _Part:
    """A list of the letter's ordered parts; the list order is their position."""

    key: str
    model: type[models.Model]
    types: dict
    form: type[ModelForm]


def _part(key, model, fields, base_form):
    types = dict.fromkeys(fields, _string)
    return _Part(key=key, model=model, types=types, form=_form_for(model, base_form, fields))


_PARTS = [
    _part(
        "recipients",
        Recipient,
        ["name", "salutation_name", "title_lines", "organization", "address_lines", "email"],
        RecipientFormSet.form,
    ),
    _part("asks", Ask, ["title", "text"], AskFormSet.form),
    _part("contacts", Contact, ["name", "organization", "email"], ContactFormSet.form),
    _part("cc", CarbonCopy, ["name", "title_lines", "organization", "email"], CarbonCopyFormSet.form),
]
_LetterImportForm = _form_for(Letter, LetterForm, list(_LETTER_TYPES))
# created_at is no form field (auto_now_add); _aware_datetime checks it.
_SignatureImportForm = _form_for(
    Signature, ModelForm, [key for key in _SIGNATURE_TYPES if key != "created_at"]
)
_LIST_TYPES = {**{part.key: _list for part in _PARTS}, "signatures": _list}
_TOP_KEYS = {"format", "version", *_LETTER_TYPES, *_LIST_TYPES}


# Export


def _iso_utc(value):
    return value.astimezone(datetime.UTC).isoformat()


def _export_signature(signature):
    row = {key: getattr(signature, key) for key in _SIGNATURE_TYPES}
    row["created_at"] = _iso_utc(signature.created_at)
    return row


def export_letter(letter):
    """The letter, its parts and all its signatures as one JSON-ready dict."""
    document = {"format": FORMAT, "version": VERSION}
    document.update({key: getattr(letter, key) for key in _LETTER_TYPES})
    document["date"] = letter.date.isoformat() if letter.date else None
    for part in _PARTS:
        rows = part.model.objects.filter(letter=letter).order_by("position", "id")
        document[part.key] = [{key: getattr(row, key) for key in part.types} for row in rows]
    # The model's order (leads by position, then oldest first); import keeps ties in list order.
    signatures = letter.signatures.order_by("-is_lead", "lead_position", "created_at", "id")
    document["signatures"] = [_export_signature(signature) for signature in signatures]
    return document


# Import: check everything, then write everything.


def _join(path, key):
    return f"{path}.{key}" if path else key


def _at(path, message):
    return f"{path}: {message}" if path else message


def _check_header(data):
    """Refuse at once what is not a letter file of a known version: nothing else in it can be trusted."""
    if not isinstance(data, dict):
        raise LetterImportError(
            [_("A letter file holds one JSON object, not %(actual)s.") % {"actual": _json_type_name(data)}]
        )
    if data.get("format") != FORMAT:
        message = _('Expected "%(format)s": this is not an Undersigned letter file.') % {"format": FORMAT}
        raise LetterImportError([_at("format", message)])
    if "version" not in data:
        raise LetterImportError([_at("version", _("This key is missing."))])
    version = data["version"]
    if type(version) is not int or version != VERSION:  # type(): True == 1 and 1.0 == 1
        message = _("Version %(version)s is not supported; this site reads version %(supported)d.") % {
            "version": json.dumps(version)[:40],
            "supported": VERSION,
        }
        raise LetterImportError([_at("version", message)])


def _check_keys(obj, types, *, path):
    """Messages for keys of obj that are missing or hold the wrong JSON type."""
    errors = []
    for key, check in types.items():
        if key not in obj:
            errors.append(_at(_join(path, key), _("This key is missing.")))
        elif (message := check(obj[key])) is not None:
            errors.append(_at(_join(path, key), message))
    return errors


def _unknown_keys(obj, known, *, path):
    # Refused rather than ignored: a misspelt key would otherwise silently lose its value.
    return [_at(_join(path, key), _("Unknown key.")) for key in sorted(obj.keys() - set(known))]


def _validated_form(obj, *, types, form_class, path, errors):
    """The bound form for obj, or None when its keys are already wrong; appends the messages to errors."""
    problems = _check_keys(obj, types, path=path)
    if problems:
        errors.extend(problems)
        return None
    form = form_class(data={key: obj[key] for key in types})
    for field, messages in form.errors.items():
        field_path = path if field == "__all__" else _join(path, field)
        errors.extend(_at(field_path, message) for message in messages)
    return form


def _validated_list(data, *, key, types, form_class, errors):
    items = data.get(key)
    if not isinstance(items, list):
        return []  # the top-level check has reported it
    forms = []
    for index, item in enumerate(items):
        path = f"{key}[{index}]"
        if not isinstance(item, dict):
            errors.append(_at(path, _expected(_("an object"), item)))
            continue
        errors.extend(_unknown_keys(item, types, path=path))
        forms.append(_validated_form(item, types=types, form_class=form_class, path=path, errors=errors))
    return forms


def _validate(data):
    """(letter form, {part key: forms}, signature forms), all valid, or LetterImportError listing all."""
    _check_header(data)
    errors = _unknown_keys(data, _TOP_KEYS, path="")
    errors.extend(_check_keys(data, _LIST_TYPES, path=""))
    letter_form = _validated_form(
        data, types=_LETTER_TYPES, form_class=_LetterImportForm, path="", errors=errors
    )
    part_forms = {
        part.key: _validated_list(data, key=part.key, types=part.types, form_class=part.form, errors=errors)
        for part in _PARTS
    }
    signature_forms = _validated_list(
        data, key="signatures", types=_SIGNATURE_TYPES, form_class=_SignatureImportForm, errors=errors
    )
    if errors:
        raise LetterImportError(errors)
    return letter_form, part_forms, signature_forms


def _save_parts(letter, part_forms):
    for part in _PARTS:
        rows = []
        for position, form in enumerate(part_forms[part.key]):
            row = form.save(commit=False)
            row.letter, row.position = letter, position
            rows.append(row)
        part.model.objects.bulk_create(rows)


def _save_signatures(letter, signature_forms, rows):
    signatures = []
    for form in signature_forms:
        signature = form.save(commit=False)
        signature.letter = letter
        signature.set_name(signature.name)
        signatures.append(signature)
    # Inserted in file order, so equal created_at times keep their order by id.
    Signature.objects.bulk_create(signatures)
    # auto_now_add overwrote created_at on insert; put back the times from the file.
    for signature, row in zip(signatures, rows, strict=True):
        signature.created_at = datetime.datetime.fromisoformat(row["created_at"])
    Signature.objects.bulk_update(signatures, ["created_at"], batch_size=500)
    return signatures


def import_letter(data, *, campaign, user):
    """A new letter in campaign from an exported document: checks it all, then writes all or nothing."""
    if user is not None and not campaign.can_edit(user):
        raise LetterImportError(
            [_("%(user)s may not add letters to %(campaign)s.") % {"user": user, "campaign": campaign}]
        )
    letter_form, part_forms, signature_forms = _validate(data)
    with transaction.atomic():
        letter = letter_form.save(commit=False)
        letter.campaign, letter.created_by = campaign, user
        letter.body = sanitize_html(letter.body)  # LetterForm does it too; this keeps it if the form changes
        letter.save()  # a new row, so a fresh public_id
        _save_parts(letter, part_forms)
        signatures = _save_signatures(letter, signature_forms, data["signatures"])
        log_event(
            letter=letter,
            actor=user,
            action="letter.imported",
            version=VERSION,
            **{part.key: len(part_forms[part.key]) for part in _PARTS},
            signatures=len(signatures),
        )
    return letter
