"""A whole letter as one JSON document: exported for backup or another site, imported as a new letter.

The format is documented in docs/letter-format.md; change VERSION with any change to it.
"""

import datetime
import json
import re
from dataclasses import dataclass

from django import forms
from django.db import models, transaction
from django.forms import ModelForm, modelform_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from signatories.forms import OrganizationSignForm, SignFormBase
from signatories.matching import normalize_name
from signatories.models import Signature
from signatories.services import link_signatures

from .forms import AskFormSet, CarbonCopyFormSet, ContactFormSet, LetterForm, RecipientFormSet
from .models import Ask, CarbonCopy, Contact, Letter, LetterVersion, Recipient
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


def _list_of_strings(value):
    if not isinstance(value, list):
        return _expected(_("a list of strings"), value)
    for index, item in enumerate(value):
        if not isinstance(item, str):
            return _("Expected a list of strings, but item %(index)d is %(actual)s.") % {
                "index": index,
                "actual": _json_type_name(item),
            }
    return None


def _object(value):
    return None if isinstance(value, dict) else _expected(_("an object"), value)


def _true_or_false(value):
    return None if isinstance(value, bool) else _expected(_("true or false"), value)


def _whole_number(value):
    if isinstance(value, int) and not isinstance(value, bool):
        return None
    return _expected(_("a whole number"), value)


def _whole_number_or_null(value):
    if value is None or _whole_number(value) is None:
        return None
    return _expected(_("a whole number or null"), value)


def _date_or_null(value):
    if value is None:
        return None
    if not isinstance(value, str):
        return _expected(_("a date as a string, or null"), value)
    if not _ISO_DATE.fullmatch(value):
        return _("Enter the date as YYYY-MM-DD.")
    return None  # whether the day exists is the form's check, with the browser's message


def _datetime_format(value):
    """The message for a string that is not an ISO 8601 date and time with a UTC offset, or None."""
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        return _("Enter a date and time in ISO 8601 format, e.g. 2026-03-01T14:30:00+00:00.")
    if parsed.tzinfo is None:
        return _("Include the UTC offset, e.g. 2026-03-01T14:30:00+00:00.")
    return None


def _aware_datetime(value):
    if not isinstance(value, str):
        return _expected(_("a date and time as a string"), value)
    return _datetime_format(value)


def _aware_datetime_or_null(value):
    if value is None:
        return None
    if not isinstance(value, str):
        return _expected(_("a date and time as a string, or null"), value)
    return _datetime_format(value)


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
    "deadline": _aware_datetime_or_null,
    "requires_approval": _true_or_false,
    "allow_individuals": _true_or_false,
    "sign_fields": _list_of_strings,
    "page_size": _string,
    "signer_order": _string,
    "show_count_line": _true_or_false,
}
_VERSION_TYPES = {"number": _whole_number, "text": _object, "created_at": _aware_datetime}
# The shape of Letter.text_snapshot(), the words signers endorsed: comparing versions relies on it.
_SNAPSHOT_TYPES = {
    "recipients": _list_of_strings,
    "subject": _string,
    "salutation": _string,
    "body": _string,
    "asks": _list,
    "closing": _string,
}
_SNAPSHOT_ASK_TYPES = {"title": _string, "text": _string}
_SIGNATURE_TYPES = {
    "kind": _string,
    "name": _string,
    "status": _string,
    "source": _string,
    "is_lead": _true_or_false,
    "lead_position": _whole_number,
    "is_hidden": _true_or_false,
    "contact_name": _string,
    "title": _string,
    "email": _string,
    "city": _string,
    "state": _string,
    "scope": _string,
    "website": _string,
    "affiliation": _string,
    "authorized_by": _string,
    "authorized_at": _aware_datetime_or_null,
    "consented_at": _aware_datetime_or_null,
    "confirmed_at": _aware_datetime_or_null,
    "letter_version": _whole_number_or_null,
    "notified_of_version": _whole_number_or_null,
    "emails_sent": _whole_number,
    "last_emailed_at": _aware_datetime_or_null,
    "created_at": _aware_datetime,
}
# No form fields: created_at is auto_now_add; letter_version is a number among the file's versions.
_SIGNATURE_SET_BY_HAND = {"created_at", "letter_version"}


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


class _VersionForm(ModelForm):
    number = forms.IntegerField(min_value=1)  # the site numbers versions from 1

    class Meta:
        model = LetterVersion
        fields = ["number"]


class _SignatureForm(ModelForm):
    """A website is checked as the sign-on form checks it: http or https, https if none is given."""

    website = OrganizationSignForm.base_fields["website"]
    clean_website = SignFormBase.clean_website


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
_SignatureImportForm = _form_for(
    Signature, _SignatureForm, [key for key in _SIGNATURE_TYPES if key not in _SIGNATURE_SET_BY_HAND]
)
_LIST_TYPES = {**{part.key: _list for part in _PARTS}, "versions": _list, "signatures": _list}
_TOP_KEYS = {"format", "version", *_LETTER_TYPES, *_LIST_TYPES}


# Export


def _iso_utc(value):
    return value.astimezone(datetime.UTC).isoformat()


def _json_value(value):
    if isinstance(value, datetime.datetime):  # before date: a datetime is a date
        return _iso_utc(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _export_row(obj, keys):
    return {key: _json_value(getattr(obj, key)) for key in keys}


def _in_order(obj, keys):
    return {**{key: obj[key] for key in keys if key in obj}, **obj}


def _export_version(version):
    row = _export_row(version, _VERSION_TYPES)
    # In the documented order of keys on every database: PostgreSQL's jsonb keeps them in its own.
    asks = [_in_order(ask, _SNAPSHOT_ASK_TYPES) for ask in version.text.get("asks", [])]
    row["text"] = _in_order({**version.text, "asks": asks}, _SNAPSHOT_TYPES)
    return row


def _export_signature(signature):
    row = _export_row(signature, _SIGNATURE_TYPES)
    row["letter_version"] = signature.letter_version.number if signature.letter_version else None
    return row


def export_letter(letter):
    """The letter, its parts, its versions and all its signatures as one JSON-ready dict."""
    document = {"format": FORMAT, "version": VERSION, **_export_row(letter, _LETTER_TYPES)}
    for part in _PARTS:
        rows = part.model.objects.filter(letter=letter).order_by("position", "id")
        document[part.key] = [_export_row(row, part.types) for row in rows]
    versions = letter.versions.order_by("number")
    document["versions"] = [_export_version(version) for version in versions]
    # The model's order (leads by position, then oldest first); import keeps ties in list order.
    signatures = letter.signatures.select_related("letter_version").order_by(
        "-is_lead", "lead_position", "created_at", "id"
    )
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
    """A form per item, None where the item is no object or its keys are wrong (and errors says so)."""
    items = data.get(key)
    if not isinstance(items, list):
        return []  # the top-level check has reported it
    forms = []
    for index, item in enumerate(items):
        path = f"{key}[{index}]"
        if not isinstance(item, dict):
            errors.append(_at(path, _expected(_("an object"), item)))
            forms.append(None)
            continue
        errors.extend(_unknown_keys(item, types, path=path))
        forms.append(_validated_form(item, types=types, form_class=form_class, path=path, errors=errors))
    return forms


def _object_problems(obj, types, *, path):
    if not isinstance(obj, dict):
        return [_at(path, _expected(_("an object"), obj))]
    return _unknown_keys(obj, types, path=path) + _check_keys(obj, types, path=path)


def _snapshot_problems(text, *, path):
    errors = _object_problems(text, _SNAPSHOT_TYPES, path=path)
    asks = text.get("asks")
    for index, ask in enumerate(asks if isinstance(asks, list) else []):
        errors.extend(_object_problems(ask, _SNAPSHOT_ASK_TYPES, path=f"{path}.asks[{index}]"))
    return errors


def _version_problems(items):
    """The text of each version, and version numbers given twice (the database allows one of each)."""
    errors, seen = [], set()
    for index, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            continue  # reported with the forms
        if isinstance(item.get("text"), dict):
            errors.extend(_snapshot_problems(item["text"], path=f"versions[{index}].text"))
        number = item.get("number")
        if _whole_number(number) is None:
            if number in seen:
                message = _("Version %(number)d appears twice.") % {"number": number}
                errors.append(_at(f"versions[{index}].number", message))
            seen.add(number)
    return errors


def _version_numbers(items):
    items = items if isinstance(items, list) else []
    return {
        item["number"]
        for item in items
        if isinstance(item, dict) and _whole_number(item.get("number")) is None
    }


def _missing_versions(signature_forms, data):
    """Signatures that name a version the file does not hold."""
    numbers = _version_numbers(data.get("versions"))
    errors = []
    for index, form in enumerate(signature_forms):
        for key in ["letter_version", "notified_of_version"]:
            number = None if form is None else data["signatures"][index][key]
            if number is not None and number not in numbers:
                message = _('There is no version %(number)d in "versions".') % {"number": number}
                errors.append(_at(f"signatures[{index}].{key}", message))
    return errors


def _duplicate_signers(signature_forms):
    """Signers the database's one-place-per-signer constraints would refuse, named by their path."""
    errors, organizations, emails = [], {}, {}
    for index, form in enumerate(signature_forms):
        if form is None or form.errors or form.cleaned_data["status"] not in Signature.ACTIVE_STATUSES:
            continue
        signature, path = form.cleaned_data, f"signatures[{index}]"
        if signature["kind"] == Signature.Kind.ORGANIZATION:
            # As signature_one_per_organization: one active signature per normalized name.
            first = organizations.setdefault(normalize_name(signature["name"]), index)
            if first != index:
                message = _('"%(name)s" appears twice among active signatures (also signatures[%(first)d]).')
                errors.append(_at(f"{path}.name", message % {"name": signature["name"], "first": first}))
        elif signature["email"]:
            # As signature_one_per_individual_email: one active individual per address, in any case.
            first = emails.setdefault(signature["email"].lower(), index)
            if first != index:
                message = _(
                    '"%(email)s" appears twice among active individual signatures '
                    "(also signatures[%(first)d])."
                )
                errors.append(_at(f"{path}.email", message % {"email": signature["email"], "first": first}))
    return errors


def _validate(data):
    """(letter form, {part key: forms}, version forms, signature forms), all valid, or LetterImportError."""
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
    version_forms = _validated_list(
        data, key="versions", types=_VERSION_TYPES, form_class=_VersionForm, errors=errors
    )
    errors.extend(_version_problems(data.get("versions")))
    signature_forms = _validated_list(
        data, key="signatures", types=_SIGNATURE_TYPES, form_class=_SignatureImportForm, errors=errors
    )
    errors.extend(_missing_versions(signature_forms, data))
    errors.extend(_duplicate_signers(signature_forms))
    if errors:
        raise LetterImportError(errors)
    return letter_form, part_forms, version_forms, signature_forms


def _save_parts(letter, part_forms):
    for part in _PARTS:
        rows = []
        for position, form in enumerate(part_forms[part.key]):
            row = form.save(commit=False)
            row.letter, row.position = letter, position
            rows.append(row)
        part.model.objects.bulk_create(rows)


def _restore_created_at(model, objects, rows):
    """auto_now_add overwrote created_at on insert; put back the times from the file."""
    for obj, row in zip(objects, rows, strict=True):
        obj.created_at = datetime.datetime.fromisoformat(row["created_at"])
    model.objects.bulk_update(objects, ["created_at"], batch_size=500)


def _save_versions(letter, version_forms, rows):
    """The versions by number. created_by stays empty: user accounts do not travel with the file."""
    versions = []
    for form, row in zip(version_forms, rows, strict=True):
        version = form.save(commit=False)
        version.letter = letter
        # Shown only as plain text so far; sanitized like the letter's body for any page that renders it.
        version.text = {**row["text"], "body": sanitize_html(row["text"]["body"])}
        versions.append(version)
    LetterVersion.objects.bulk_create(versions)
    _restore_created_at(LetterVersion, versions, rows)
    return {version.number: version for version in versions}


def _save_signatures(letter, signature_forms, rows, versions):
    signatures = []
    for form, row in zip(signature_forms, rows, strict=True):
        signature = form.save(commit=False)
        signature.letter = letter
        signature.set_name(signature.name)
        signature.letter_version = versions.get(row["letter_version"])  # None stays None
        signatures.append(signature)
    # Inserted in file order, so equal created_at times keep their order by id.
    Signature.objects.bulk_create(signatures)
    _restore_created_at(Signature, signatures, rows)
    # The directory is this site's own: imported signers join it by name, like any new signer.
    link_signatures([s for s in signatures if s.is_active()])
    return signatures


def import_letter(data, *, campaign, user):
    """A new letter in campaign from an exported document: checks it all, then writes all or nothing."""
    if user is not None and not campaign.can_edit(user):
        raise LetterImportError(
            [_("%(user)s may not add letters to %(campaign)s.") % {"user": user, "campaign": campaign}]
        )
    letter_form, part_forms, version_forms, signature_forms = _validate(data)
    with transaction.atomic():
        letter = letter_form.save(commit=False)
        letter.campaign, letter.created_by = campaign, user
        letter.body = sanitize_html(letter.body)  # LetterForm does it too; this keeps it if the form changes
        letter.save()  # a new row, so a fresh public_id
        _save_parts(letter, part_forms)
        versions = _save_versions(letter, version_forms, data["versions"])
        signatures = _save_signatures(letter, signature_forms, data["signatures"], versions)
        log_event(
            letter=letter,
            actor=user,
            action="letter.imported",
            version=VERSION,
            **{part.key: len(part_forms[part.key]) for part in _PARTS},
            versions=len(versions),
            signatures=len(signatures),
        )
    return letter
