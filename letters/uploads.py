"""Files stored for letters: random names, and the checks a letterhead upload must pass."""

import uuid
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

LETTERHEAD_MAX_BYTES = 2 * 1024 * 1024
# A 2 MB PNG can still decode to a huge bitmap; the PDF renderer would have to hold it.
LETTERHEAD_MAX_PIXELS = 6000 * 6000
LETTERHEAD_FORMATS = {"PNG": ".png", "JPEG": ".jpg"}


def stored_suffix(filename):
    """The file's extension, lowercase, with .jpeg spelled .jpg."""
    suffix = PurePosixPath(filename).suffix.lower()
    return ".jpg" if suffix == ".jpeg" else suffix


def letterhead_upload_to(instance, filename):
    """letterheads/<random>.png: the name says nothing of the letter or the uploaded file's name."""
    return f"letterheads/{uuid.uuid4().hex}{stored_suffix(filename)}"


def rendering_upload_to(instance, filename):
    return f"renderings/{uuid.uuid4().hex}.pdf"


def validate_letterhead(file):
    """A PNG or JPEG image of at most 2 MB whose content matches its extension."""
    if getattr(file, "_committed", False):
        return  # already stored (checked when uploaded): saving the letter again must not re-read it
    if file.size > LETTERHEAD_MAX_BYTES:
        raise ValidationError(_("The letterhead must be at most 2 MB."), code="too_large")
    suffix = stored_suffix(file.name)
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format, (width, height) = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(_("Upload a PNG or JPEG image."), code="not_an_image") from None
    finally:
        file.seek(0)
    if image_format not in LETTERHEAD_FORMATS or suffix not in {".png", ".jpg"}:
        raise ValidationError(_("Upload a PNG or JPEG image."), code="wrong_type")
    if LETTERHEAD_FORMATS[image_format] != suffix:
        raise ValidationError(_("The file's content does not match its extension."), code="wrong_type")
    if width * height > LETTERHEAD_MAX_PIXELS:
        raise ValidationError(_("The letterhead image is too large in pixels."), code="too_many_pixels")
