"""The final letter as email: a .eml draft to open in a mail program, the message sent from the app,
and the letter as plain text to paste into an email body."""

import re
from dataclasses import dataclass, field
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from html.parser import HTMLParser

from django.conf import settings
from django.core.mail import EmailMessage as DjangoEmailMessage
from django.template.loader import render_to_string

from .pdf import PdfOptions, count_line, letter_context, pdf_filename
from .services import ListedSigners


@dataclass
class LetterEmail:
    to: list = field(default_factory=list)  # [email.headerregistry.Address]
    cc: list = field(default_factory=list)
    subject: str = ""
    text: str = ""
    attachment: tuple = ()  # (filename, content_type, bytes)

    def to_header(self):
        return [str(address) for address in self.to]

    def cc_header(self):
        return [str(address) for address in self.cc]

    def eml_draft(self):
        """An unsent message (X-Unsent: 1): Outlook and others open it ready to send.

        No From, Date or Message-ID: the mail program adds its own account's when it is sent.
        """
        message = EmailMessage(policy=policy.SMTP)
        if self.to:
            message["To"] = self.to
        if self.cc:
            message["Cc"] = self.cc
        message["Subject"] = self.subject
        message["X-Unsent"] = "1"
        message.set_content(self.text)
        filename, content_type, content = self.attachment
        maintype, subtype = content_type.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
        return message.as_bytes()

    def django_message(self, *, to=None, cc=None, reply_to=()):
        """The message the app sends itself, from DEFAULT_FROM_EMAIL."""
        message = DjangoEmailMessage(
            subject=self.subject,
            body=self.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=self.to_header() if to is None else to,
            cc=self.cc_header() if cc is None else cc,
            reply_to=list(reply_to),
        )
        filename, content_type, content = self.attachment
        message.attach(filename, content, content_type)
        return message


def letter_email(*, rendering, content):
    """The email carrying this rendering's PDF (`content`) to the letter's recipients."""
    letter = rendering.letter
    signers = ListedSigners(letter)
    context = {
        "letter": letter,
        "salutation": letter.salutation_text(),
        "signed_by": count_line(signers),
        "contacts": list(letter.contacts.all()),
    }
    return LetterEmail(
        to=[_address(r.name, r.email) for r in letter.recipients.all() if r.email],
        cc=[_address(c.name, c.email) for c in letter.cc.all() if c.email],
        subject=" ".join(letter.subject.split()) or letter.title,
        text=render_to_string("letters/pdf/cover_email.txt", context).strip() + "\n",
        attachment=(pdf_filename(letter, rendering.version), "application/pdf", content),
    )


def letter_text(letter, options=None):
    """The whole letter as plain text, in the same order and with the same signers as the PDF."""
    options = options or PdfOptions.for_letter(letter)
    context = letter_context(letter, ListedSigners(letter), options)
    context["body"] = html_to_text(str(context["body"]))
    text = render_to_string("letters/pdf/letter.txt", context)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _address(name, email):
    # Header values must be one line; a display name is only text. An international domain goes
    # into the header as punycode, which every mail program reads.
    local, _at, domain = email.rpartition("@")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        pass  # left as typed: Django's EmailField accepted it
    return Address(display_name=" ".join(name.split()), addr_spec=f"{local}@{domain}")


class _TextConverter(HTMLParser):
    """Sanitized body HTML (letters/richtext.py allows only a few tags) to readable plain text."""

    BLOCKS = {"p", "h2", "h3", "h4", "blockquote", "ul", "ol"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.lists = []  # a counter per open list; None for a bulleted one
        self.href = None

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append("\n\n")
        if tag == "br":
            self.parts.append("\n")
        elif tag in {"ol", "ul"}:
            self.lists.append(0 if tag == "ol" else None)
        elif tag == "li":
            if self.lists and self.lists[-1] is not None:
                self.lists[-1] += 1
                marker = f"{self.lists[-1]}. "
            else:
                marker = "- "
            self.parts.append("\n" + marker)
        elif tag == "a":
            self.href = dict(attrs).get("href")
            self.link_start = len(self.parts)

    def handle_endtag(self, tag):
        if tag in {"ol", "ul"} and self.lists:
            self.lists.pop()
        if tag in self.BLOCKS:
            self.parts.append("\n\n")
        elif tag == "a" and self.href:
            text = "".join(self.parts[self.link_start :]).strip()
            if self.href.rstrip("/") not in {text.rstrip("/"), f"mailto:{text}"}:
                self.parts.append(f" ({self.href})")
            self.href = None

    def handle_data(self, data):
        self.parts.append(re.sub(r"\s+", " ", data))

    def text(self):
        lines = [line.strip() for line in "".join(self.parts).split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(body_html):
    converter = _TextConverter()
    converter.feed(body_html)
    converter.close()
    return converter.text()
