"""Files staff upload to a campaign: random stored names and the checks an upload must pass."""

import uuid

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from letters.uploads import stored_suffix

RESPONSE_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024

# Extension → (content type served, the bytes such a file starts with). Checking the first bytes
# keeps an HTML page or a script renamed to .pdf out of the store.
RESPONSE_DOCUMENT_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".doc": ("application/msword", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
}


def response_document_upload_to(instance, filename):
    """responses/<random>.<ext>: the stored name says nothing of the letter or of the uploaded name."""
    return f"responses/{uuid.uuid4().hex}{stored_suffix(filename)}"


def response_document_content_type(filename):
    return RESPONSE_DOCUMENT_TYPES.get(stored_suffix(filename), ("application/octet-stream", ()))[0]


def validate_response_document(file):
    """A PDF, Word document, PNG or JPEG of at most 10 MB whose first bytes match its extension."""
    if getattr(file, "_committed", False):
        return  # already stored (checked when uploaded): editing the response must not re-read it
    if file.size > RESPONSE_DOCUMENT_MAX_BYTES:
        raise ValidationError(_("The document must be at most 10 MB."), code="too_large")
    kind = RESPONSE_DOCUMENT_TYPES.get(stored_suffix(file.name))
    if kind is None:
        raise ValidationError(_("Upload a PDF, DOC, DOCX, PNG or JPEG file."), code="wrong_type")
    file.seek(0)
    start = file.read(16)
    file.seek(0)
    if not start.startswith(kind[1]):
        raise ValidationError(_("The file's content does not match its extension."), code="wrong_type")
