"""Signed, single-purpose links for signers: confirm an email, manage (edit or withdraw) a signature."""

from django.core import signing

CONFIRM = "confirm"
MANAGE = "manage"
REVIEW_CHANGE = "review-change"

# How long each kind of link works; a manage link also stops when the letter closes.
MAX_AGE = {
    CONFIRM: 7 * 24 * 3600,
    MANAGE: 365 * 24 * 3600,
    REVIEW_CHANGE: 30 * 24 * 3600,
}


class BadToken(Exception):
    """The link was tampered with, expired, or made for another purpose."""


def make_token(signature, purpose):
    return signing.dumps(
        {"s": signature.pk, "l": str(signature.letter.public_id)}, salt=f"signature.{purpose}"
    )


def read_token(token, purpose):
    """The (signature id, letter public id) a valid token names; BadToken otherwise."""
    try:
        data = signing.loads(token, salt=f"signature.{purpose}", max_age=MAX_AGE[purpose])
    except signing.SignatureExpired as error:
        raise BadToken("expired") from error
    except signing.BadSignature as error:
        raise BadToken("invalid") from error
    return data["s"], data["l"]
