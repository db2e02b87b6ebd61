"""The final letter: print HTML built from the database, and its PDF.

build_final_letter() fixes what will be printed (HTML, options, the resources it may load, a hash
of all of it); render_final_letter() turns that into a PDF in an isolated child process
(letters/pdf_sandbox.py); render_letter() does both, returning (filename, content_type, bytes).
"""

import hashlib
import json
import mimetypes
import os
from dataclasses import dataclass
from pathlib import PurePosixPath

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from signatories.choices import US_STATES, Scope
from signatories.matching import sort_key

from .models import Letter
from .pdf_sandbox import PDF_OPTIONS, render_isolated
from .services import ListedSigners

# Bump when a change to the renderer (not visible in the HTML) should invalidate stored PDFs.
RENDERER_VERSION = f"1/weasyprint-{weasyprint.__version__}/{PDF_OPTIONS['pdf_variant']}"
CONTENT_TYPE = "application/pdf"

# The only URLs the renderer will load, through letters.pdf_sandbox.SafeURLFetcher.
STATIC_SCHEME = "undersigned-static:"
MEDIA_SCHEME = "undersigned-media:"
PDF_STATIC_FILES = ["css/letter-pdf.css"]
CSS_PAGE_SIZES = {Letter.PageSize.LETTER: "letter", Letter.PageSize.A4: "A4"}


@dataclass(frozen=True)
class PdfOptions:
    page_size: str = Letter.PageSize.LETTER
    signer_order: str = Letter.SignerOrder.ALPHABETICAL
    show_count_line: bool = False

    @classmethod
    def for_letter(cls, letter, **overrides):
        """The letter's own PDF settings, with any given ones in their place."""
        values = {
            "page_size": letter.page_size,
            "signer_order": letter.signer_order,
            "show_count_line": letter.show_count_line,
        }
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)

    def as_dict(self):
        return {
            "page_size": str(self.page_size),
            "signer_order": str(self.signer_order),
            "show_count_line": bool(self.show_count_line),
        }


@dataclass(frozen=True)
class FinalLetter:
    """Everything that decides the PDF's content, fixed at the moment it was asked for."""

    html: str
    options: dict  # PdfOptions.as_dict() plus the letterhead's storage name
    content_hash: str
    signer_count: int
    version: object = None  # the LetterVersion current when it was built

    def resources(self):
        return pdf_resources(letterhead=self.options.get("letterhead", ""))


def build_final_letter(letter, options=None):
    """The letter as it stands now, in its final HTML, with what else decides its PDF."""
    options = options or PdfOptions.for_letter(letter)
    version = letter.current_version()
    signers = ListedSigners(letter)
    letterhead = letter.letterhead.name if letter.letterhead else ""
    html = render_to_string("letters/pdf/letter.html", letter_context(letter, signers, options, letterhead))
    # The version is part of the hash: text that returns to an earlier wording is a new version,
    # and its PDF belongs to that version.
    stored_options = {
        **options.as_dict(),
        "letterhead": letterhead,
        "version": version.number if version else None,
    }
    return FinalLetter(
        html=html,
        options=stored_options,
        content_hash=content_hash(html, stored_options, pdf_resources(letterhead=letterhead)),
        signer_count=signers.count,
        version=version,
    )


def content_hash(html, options, resources):
    """sha256 over the HTML, the options, the bytes of every resource and the renderer version."""
    digest = hashlib.sha256()
    digest.update(RENDERER_VERSION.encode())
    digest.update(json.dumps(options, sort_keys=True).encode())
    for url, (content_type, body) in sorted(resources.items()):
        digest.update(f"\n{url} {content_type} {hashlib.sha256(body).hexdigest()}".encode())
    digest.update(b"\n")
    digest.update(html.encode())
    return digest.hexdigest()


def render_final_letter(final, *, timeout=None, memory_mb=None):
    """The PDF of a FinalLetter, rendered in a child process under a time limit and a memory cap."""
    return render_isolated(
        final.html,
        resources=final.resources(),
        timeout=timeout or settings.PDF_RENDER_TIMEOUT,
        memory_mb=memory_mb or settings.PDF_RENDER_MEMORY_MB,
    )


def render_letter(letter, options=None):
    """(filename, content_type, bytes) of the letter as it stands now."""
    final = build_final_letter(letter, options)
    result = render_final_letter(final)
    return pdf_filename(letter), CONTENT_TYPE, result.pdf


def pdf_filename(letter, version=None):
    name = slugify(letter.title) or "letter"
    if version is not None:
        name += f"-v{version.number}"
    return f"{name}.pdf"


def pdf_resources(*, letterhead=""):
    """{url: (content_type, bytes)}: the project's PDF static files and this letter's letterhead."""
    resources = {}
    for path in PDF_STATIC_FILES:
        found = finders.find(path) or os.path.join(str(settings.STATIC_ROOT), path)
        with open(found, "rb") as file:
            resources[STATIC_SCHEME + path] = ("text/css", file.read())
    if letterhead:
        # Only names this app gave (letterheads/<random>.png); anything else is not ours to read.
        if not letterhead.startswith("letterheads/") or ".." in PurePosixPath(letterhead).parts:
            raise ValueError(f"Not a letterhead: {letterhead}")
        with default_storage.open(letterhead, "rb") as file:
            body = file.read()
        content_type = mimetypes.guess_type(letterhead)[0] or "application/octet-stream"
        resources[MEDIA_SCHEME + letterhead] = (content_type, body)
    return resources


def signer_sections(signers, order):
    """[(heading or "", [signatures])] of the non-lead organizations, in the requested order."""
    organizations = signers.organizations
    if order == Letter.SignerOrder.SIGNING:
        return _nonempty([("", _by_signing(organizations))])
    if order == Letter.SignerOrder.SCOPE:
        national = [s for s in organizations if s.scope == Scope.NATIONAL]
        state_local = [s for s in organizations if s.scope in (Scope.STATE, Scope.LOCAL)]
        other = [s for s in organizations if not s.scope]
        if not national and not state_local:
            return _nonempty([("", other)])
        return _nonempty(
            [
                (_("National organizations"), national),
                (_("State and local organizations"), state_local),
                (_("Other organizations"), other),
            ]
        )
    if order == Letter.SignerOrder.STATE:
        names = dict(US_STATES)
        groups = {}
        for signature in organizations:
            groups.setdefault(signature.state, []).append(signature)
        sections = sorted(
            ((str(names.get(code, code)), group) for code, group in groups.items() if code),
            key=lambda section: sort_key(section[0]),
        )
        return _nonempty([*sections, (_("Other"), groups.get("", []))])
    return _nonempty([("", organizations)])


def count_line(signers):
    organizations = signers.organization_count
    individuals = len(signers.individuals)
    org_text = ngettext("%(count)d organization", "%(count)d organizations", organizations) % {
        "count": organizations
    }
    ind_text = ngettext("%(count)d individual", "%(count)d individuals", individuals) % {"count": individuals}
    if organizations and individuals:
        return _("%(organizations)s and %(individuals)s") % {
            "organizations": org_text,
            "individuals": ind_text,
        }
    return org_text if organizations else ind_text if individuals else ""


def letter_context(letter, signers, options, letterhead=""):
    """What the final letter templates (PDF and plain text) print."""
    recipients = list(letter.recipients.all())
    leads = signers.leads
    individuals = signers.individuals
    if options.signer_order == Letter.SignerOrder.SIGNING:
        individuals = _by_signing(individuals)
    author = ", ".join(s.name for s in leads) or letter.campaign.name
    return {
        "language": settings.LANGUAGE_CODE,
        "title": letter.subject or letter.title,
        "author": author,
        "description": _("Letter to %(recipients)s") % {"recipients": "; ".join(r.name for r in recipients)}
        if recipients
        else letter.title,
        "stylesheet_url": STATIC_SCHEME + PDF_STATIC_FILES[0],
        "page_size": CSS_PAGE_SIZES.get(options.page_size, "letter"),
        "letterhead_url": MEDIA_SCHEME + letterhead if letterhead else "",
        "letter": letter,
        "recipients": recipients,
        "salutation": letter.salutation_text(),
        "body": letter.rendered_body(signers.count),
        "asks": list(letter.asks.all()),
        "leads": leads,
        "sections": signer_sections(signers, options.signer_order),
        "individuals": individuals,
        "count_line": count_line(signers) if options.show_count_line else "",
        "contacts": list(letter.contacts.all()),
        "cc": list(letter.cc.all()),
    }


def _by_signing(signatures):
    return sorted(signatures, key=lambda s: (s.created_at, s.pk))


def _nonempty(sections):
    return [(heading, group) for heading, group in sections if group]
