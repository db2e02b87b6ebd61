"""Shared by the PDF, task and email-export tests: a letter with every part, and the PDF's text."""

import datetime
import io

from pypdf import PdfReader

from letters.models import Letter
from signatories.models import Signature

from ..factories import (
    AskFactory,
    CarbonCopyFactory,
    ContactFactory,
    RecipientFactory,
    SignatureFactory,
)


def pdf_pages(content):
    """Text of each page, whitespace collapsed (a name wrapped over two lines reads as one)."""
    reader = PdfReader(io.BytesIO(content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def pdf_text(content):
    return " ".join(pdf_pages(content))


def assert_in_order(text, parts):
    positions = []
    start = 0
    for part in parts:
        position = text.find(part, start)
        assert position != -1, f"{part!r} not found after position {start} in: {text[start : start + 400]!r}"
        positions.append(position)
        start = position + len(part)
    return positions


def signer(letter, name, **fields):
    signature = SignatureFactory(letter=letter, name=name, **fields)
    return signature


def make_full_letter(letter):
    """Every part of a real sign-on letter (after /work/shared/seeds/000_*), with a few signers."""
    Letter.objects.filter(pk=letter.pk).update(
        date=datetime.date(2024, 2, 29),
        delivery_line="Delivered via e-mail",
        subject="RE: End solitary confinement in ICE detention",
        body=(
            "<p>The undersigned {{ signer_count }} organizations write today with an urgent call to action: "
            "<strong>DHS must end the practice of solitary confinement.</strong> A new "
            '<a href="https://example.org/report">report</a> details the harm.</p>'
            "<p>It is far past time to end it.</p>"
        ),
        closing="Sincerely,",
        joined_by_heading="Joined by:",
        allow_individuals=True,
        show_count_line=True,
    )
    letter.refresh_from_db()
    RecipientFactory(
        letter=letter,
        name="The Honorable Joseph R. Biden",
        salutation_name="President Biden",
        title_lines="President of the United States",
        organization="The White House",
        address_lines="1600 Pennsylvania Ave. NW\nWashington, DC 20500",
        email="president@example.gov",
        position=0,
    )
    RecipientFactory(
        letter=letter,
        name="The Honorable Alejandro Mayorkas",
        salutation_name="Secretary Mayorkas",
        title_lines="Secretary, U.S. Department of Homeland Security",
        address_lines="2707 Martin Luther King Jr. Ave. SE\nWashington, DC 20528",
        email="secretary@example.gov",
        position=1,
    )
    AskFactory(
        letter=letter, title="End solitary confinement", text="Publicly, in all facilities.", position=0
    )
    AskFactory(letter=letter, title="Release the data", text="Every placement, every year.", position=1)
    ContactFactory(
        letter=letter, name="Pat Doe", organization="Physicians for Human Rights", email="pat@example.org"
    )
    CarbonCopyFactory(
        letter=letter,
        name="Ms. Shoba Sivaprasad Wadhia",
        title_lines="Officer for Civil Rights and Civil Liberties",
        email="crcl@example.gov",
    )
    signer(letter, "Physicians for Human Rights", is_lead=True, lead_position=1)
    signer(letter, "Harvard Immigration and Refugee Clinical Program", is_lead=True, lead_position=0)
    signer(letter, "Al Otro Lado", scope="state", state="CA")
    signer(letter, "The Advocates for Human Rights", scope="national")
    signer(letter, "Acacia Center for Justice", scope="national")
    signer(
        letter,
        "Jordan Smith",
        kind=Signature.Kind.INDIVIDUAL,
        title="Professor",
        affiliation="State University",
    )
    return letter


FULL_LETTER_IN_ORDER = [
    "February 29, 2024",
    "Delivered via e-mail",
    "The Honorable Joseph R. Biden President of the United States The White House 1600 Pennsylvania Ave. NW "
    "Washington, DC 20500",
    "The Honorable Alejandro Mayorkas Secretary, U.S. Department of Homeland Security",
    "RE: End solitary confinement in ICE detention",
    "Dear President Biden and Secretary Mayorkas:",
    "The undersigned 6 organizations write today with an urgent call to action",
    "It is far past time to end it.",
    "1. End solitary confinement Publicly, in all facilities.",
    "2. Release the data Every placement, every year.",
    "Sincerely,",
    "Harvard Immigration and Refugee Clinical Program",
    "Physicians for Human Rights",
    "Joined by:",
    "Acacia Center for Justice",
    "The Advocates for Human Rights",
    "Al Otro Lado",
    "Individuals (affiliations for identification purposes only):",
    "Jordan Smith, Professor, State University",
    "5 organizations and 1 individual",
    "For questions, please contact:",
    "Pat Doe, Physicians for Human Rights, pat@example.org",
    "CC: Ms. Shoba Sivaprasad Wadhia, Officer for Civil Rights and Civil Liberties",
]


def edit_form_data(letter, **fields):
    """POST data for the letter's edit page, with every formset empty."""
    data = {
        "title": letter.title,
        "closing": "Sincerely,",
        "joined_by_heading": "Joined by:",
        "page_size": "letter",
        "signer_order": "alphabetical",
        **fields,
    }
    for prefix in ["recipients", "asks", "leads", "contacts", "cc"]:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data
