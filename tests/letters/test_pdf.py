"""The final letter's PDF: every part in order, layout options, metadata, safety, limits, the command."""

import io
import logging
import os
import random
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from letters.email_export import letter_text
from letters.models import Letter
from letters.pdf import (
    MEDIA_SCHEME,
    STATIC_SCHEME,
    PdfOptions,
    build_final_letter,
    pdf_resources,
    render_final_letter,
)
from letters.pdf_sandbox import RenderError, RenderTimeout, SafeURLFetcher, render_isolated
from signatories.models import Signature

from ..factories import SignatureFactory
from .pdf_support import (
    FULL_LETTER_IN_ORDER,
    assert_in_order,
    edit_form_data,
    pdf_pages,
    pdf_text,
    signer,
)

STYLESHEET = STATIC_SCHEME + "css/letter-pdf.css"


@pytest.fixture
def http_server():
    """A local web server that counts the requests it gets: the renderer must send it none."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(302)  # and were a request to arrive, it would be sent on to a file
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()


def render(letter, **options):
    final = build_final_letter(letter, PdfOptions.for_letter(letter, **options) if options else None)
    return render_final_letter(final)


def test_every_part_of_the_letter_in_order(full_letter):
    result = render(full_letter)

    text = pdf_text(result.pdf)
    assert_in_order(text, [*FULL_LETTER_IN_ORDER, "Page 1 of 1"])
    assert result.requested == [STYLESHEET] and result.refused == []


def test_subject_is_bold_and_signers_are_in_two_columns(full_letter):
    for index in range(40):
        signer(full_letter, f"Coalition {index:02d}")
    result = render(full_letter)

    reader = PdfReader(io.BytesIO(result.pdf))
    fonts, columns = {}, set()

    def visit(text, cm, tm, font, size):
        if text.strip() and font:
            fonts[text.strip()] = font["/BaseFont"]
        if text.startswith("Coalition"):
            columns.add(round(tm[4] * cm[0] + cm[4]))

    reader.pages[0].extract_text(visitor_text=visit)
    reader.pages[-1].extract_text(visitor_text=visit)
    assert "Bold" in fonts["RE: End solitary confinement in ICE detention"]
    assert "Bold" not in fonts["Dear President Biden and Secretary Mayorkas:"]
    assert len(columns) == 2


def test_no_signer_name_is_split_across_a_page_or_a_column(letter):
    random.seed(5)
    words = "Alliance Coalition Center Justice Immigrant Rights Project Legal Services Network".split()
    for index in range(160):  # long names that wrap, over several pages
        middle = " ".join(random.choice(words) for _ in range(random.randint(1, 9)))
        signer(letter, f"S{index:03d}a {middle} S{index:03d}z")
    result = render(letter)

    reader = PdfReader(io.BytesIO(result.pdf))
    where = {}  # "S012a" -> (page, x of the line)
    for number, page in enumerate(reader.pages):

        def visit(text, cm, tm, font, size, number=number):
            for token in text.split():
                if token[:1] == "S" and token[-1:] in "az" and len(token) == 5:
                    where[token] = (number, tm[4] * cm[0] + cm[4])

        page.extract_text(visitor_text=visit)
    assert len(reader.pages) >= 3
    assert len(where) == 320
    for index in range(160):
        (start_page, start_x), (end_page, end_x) = where[f"S{index:03d}a"], where[f"S{index:03d}z"]
        assert start_page == end_page, f"S{index:03d} split across pages"
        assert 0 <= end_x - start_x < 30, f"S{index:03d} split across columns"  # a wrapped line is indented


def test_metadata_and_tagged_accessible_pdf(full_letter):
    result = render(full_letter)

    reader = PdfReader(io.BytesIO(result.pdf))
    assert reader.metadata.title == "RE: End solitary confinement in ICE detention"
    assert (
        reader.metadata.author
        == "Harvard Immigration and Refugee Clinical Program, Physicians for Human Rights"
    )
    assert reader.metadata.subject == (
        "Letter to The Honorable Joseph R. Biden; The Honorable Alejandro Mayorkas"
    )
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-us"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert b"pdfuaid:part" in root["/Metadata"].get_data()


def test_page_size_letter_or_a4(full_letter):
    letter_size = PdfReader(io.BytesIO(render(full_letter).pdf)).pages[0].mediabox
    a4_size = PdfReader(io.BytesIO(render(full_letter, page_size="a4").pdf)).pages[0].mediabox

    assert (round(letter_size.width), round(letter_size.height)) == (612, 792)
    assert (round(a4_size.width), round(a4_size.height)) == (595, 842)


def test_count_line_only_where_staff_want_one(full_letter):
    Letter.objects.filter(pk=full_letter.pk).update(show_count_line=False)
    full_letter.refresh_from_db()

    assert "5 organizations and 1 individual" not in pdf_text(render(full_letter).pdf)


def test_signers_grouped_national_then_state_and_local(full_letter):
    signer(full_letter, "Zeta Local Network", scope="local", state="NY")
    text = pdf_text(render(full_letter, signer_order="scope").pdf)

    assert_in_order(
        text,
        [
            "Joined by:",
            "National organizations",
            "Acacia Center for Justice",
            "The Advocates for Human Rights",
            "State and local organizations",
            "Al Otro Lado",
            "Zeta Local Network",
        ],
    )


def test_signer_orders_by_signing_and_by_state(full_letter):
    signer(full_letter, "Zeta Local Network", scope="local", state="NY")
    signer(full_letter, "Beta Unplaced Group")

    by_signing = letter_text(full_letter, PdfOptions.for_letter(full_letter, signer_order="signing"))
    by_state = letter_text(full_letter, PdfOptions.for_letter(full_letter, signer_order="state"))

    assert_in_order(
        by_signing,
        [
            "Joined by:",
            "Al Otro Lado",
            "The Advocates for Human Rights",
            "Acacia Center for Justice",
            "Zeta Local Network",
            "Beta Unplaced Group",
        ],
    )
    assert_in_order(
        by_state,
        ["California\nAl Otro Lado", "New York\nZeta Local Network", "Other\nAcacia Center", "Beta Unplaced"],
    )


def test_letterhead_uploaded_by_staff_is_printed(client, owner, letter):
    image = io.BytesIO()
    Image.new("RGB", (600, 120), "navy").save(image, "PNG")
    client.force_login(owner)
    data = edit_form_data(letter, subject="RE: With a letterhead")
    data["letterhead"] = SimpleUploadedFile("logo.png", image.getvalue(), content_type="image/png")
    response = client.post(reverse("letters:edit", args=[letter.pk]), data)
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.letterhead.name.startswith("letterheads/") and "logo" not in letter.letterhead.name

    result = render(letter)

    assert result.requested == [STYLESHEET, MEDIA_SCHEME + letter.letterhead.name]
    page = PdfReader(io.BytesIO(result.pdf)).pages[0]
    assert [image.image.size for image in page.images] == [(600, 120)]


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("logo.png", b"not an image at all", "Upload a PNG or JPEG image."),
        ("logo.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "Upload a PNG or JPEG image."),
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (2 * 1024 * 1024), "at most 2 MB"),
    ],
)
def test_letterhead_must_be_a_small_png_or_jpeg(client, owner, letter, filename, content, message):
    client.force_login(owner)
    data = edit_form_data(letter)
    data["letterhead"] = SimpleUploadedFile(filename, content)
    response = client.post(reverse("letters:edit", args=[letter.pk]), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    letter.refresh_from_db()
    assert not letter.letterhead


# Safety: user content cannot make the renderer read a file or reach a host.


def test_signer_named_like_an_image_tag_is_printed_as_text_and_nothing_is_fetched(full_letter):
    signer(full_letter, '<img src="file:///etc/passwd">')
    signer(full_letter, '<link rel="attachment" href="file:///etc/passwd">')

    result = render(full_letter)

    text = pdf_text(result.pdf)
    assert '<img src="file:///etc/passwd">' in text
    assert '<link rel="attachment" href="file:///etc/passwd">' in text
    assert "root:x:0:0" not in text
    assert result.requested == [STYLESHEET]  # the fetcher was never even asked
    assert b"/EmbeddedFile" not in result.pdf


def test_addresses_sneaked_into_the_body_are_not_fetched(full_letter, http_server):
    base, hits = http_server
    # Written to the database directly, past the form's sanitizing: rendering sanitizes again.
    Letter.objects.filter(pk=full_letter.pk).update(
        body=(
            f'<p>Before <img src="{base}/pixel.png"> after.</p>'
            f'<p style="background: url({base}/style-attribute)">Styled.</p>'
            f"<style>body {{ background: url({base}/style-element) }}</style>"
            f'<link rel="stylesheet" href="{base}/sheet.css"><link rel="attachment" href="file:///etc/passwd">'
            f'<p>A <a href="{base}/linked">link</a> stays a link.</p>'
        )
    )
    full_letter.refresh_from_db()

    result = render(full_letter)

    assert hits == []
    assert result.requested == [STYLESHEET]
    assert_in_order(pdf_text(result.pdf), ["Before after.", "Styled.", "A link stays a link."])


def test_the_fetcher_refuses_files_hosts_and_redirects_even_in_raw_html(http_server, caplog):
    base, hits = http_server
    hostile = f"""<html lang="en"><head><title>t</title>
      <link rel="stylesheet" href="{base}/sheet.css">
      <link rel="attachment" href="file:///etc/passwd">
      <style>body {{ background: url({base}/background) }}
        p {{ background: url(file:///etc/hostname) }}</style>
      </head><body><p>Hostile</p><img src="file:///etc/passwd" alt="x"><img src="{base}/redirect" alt="y">
      <img src="https://127.0.0.1:1/tls" alt="z"></body></html>"""

    with caplog.at_level(logging.WARNING, logger="letters.pdf_sandbox"):
        result = render_isolated(hostile, resources={}, timeout=30)

    assert hits == []
    assert set(result.refused) == {
        f"{base}/sheet.css",
        "file:///etc/passwd",
        f"{base}/background",
        "file:///etc/hostname",
        f"{base}/redirect",
        "https://127.0.0.1:1/tls",
    }
    assert set(result.requested) == set(result.refused)
    assert "Hostile" in pdf_text(result.pdf)
    assert b"/EmbeddedFile" not in result.pdf
    assert f"PDF renderer refused to fetch {base}/sheet.css" in caplog.text


def test_the_fetcher_serves_only_what_it_was_given():
    fetcher = SafeURLFetcher({"undersigned-static:css/a.css": ("text/css", b"p {}")})

    assert fetcher.fetch("undersigned-static:css/a.css").read() == b"p {}"
    for url in [
        "undersigned-static:css/../a.css",
        "undersigned-static:css/b.css",
        "file:///etc/passwd",
        "data:,x",
    ]:
        with pytest.raises(ValueError, match="Not an allowed resource"):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 4


def test_only_letterheads_are_read_from_media():
    with pytest.raises(ValueError, match="Not a letterhead"):
        pdf_resources(letterhead="renderings/someone-elses.pdf")
    with pytest.raises(ValueError, match="Not a letterhead"):
        pdf_resources(letterhead="letterheads/../../settings.py")


# Limits: a hostile or huge letter fails cleanly; the calling process carries on.


def test_a_render_over_its_time_limit_is_stopped(full_letter):
    final = build_final_letter(full_letter)

    with pytest.raises(RenderTimeout, match="longer than 0.01 seconds"):
        render_isolated(final.html, resources=final.resources(), timeout=0.01)


def test_a_render_over_its_memory_cap_fails_cleanly(letter):
    names = [f"Organization number {index}" for index in range(8000)]
    Signature.objects.bulk_create(SignatureFactory.build(letter=letter, name=name) for name in names)
    final = build_final_letter(letter)

    # The cap counts memory beyond what the worker had, and free heap it already had is reused first:
    # 8,000 names need far more than any heap the rest of the test run leaves free (CSV imports).
    with pytest.raises(RenderError):
        render_isolated(final.html, resources=final.resources(), memory_mb=1)
    # and this process carries on rendering
    assert "RE: A test subject" in pdf_text(render_isolated("<p>RE: A test subject</p>").pdf)


# The command


def test_render_letter_command_writes_the_pdf(full_letter, tmp_path):
    out = tmp_path / "letter.pdf"
    stdout = io.StringIO()

    call_command("render_letter", str(full_letter.pk), "--out", str(out), "--page-size", "a4", stdout=stdout)

    assert f"Wrote {out}" in stdout.getvalue()
    assert_in_order(pdf_text(out.read_bytes()), FULL_LETTER_IN_ORDER)
    assert round(PdfReader(out).pages[0].mediabox.width) == 595


def test_render_letter_command_unknown_letter(db):
    with pytest.raises(CommandError, match="There is no letter with id 999999"):
        call_command("render_letter", "999999", "--out", "/tmp/never.pdf")


def test_signer_count_in_body_counts_listed_signers(full_letter):
    signer(full_letter, "Hidden Group", is_hidden=True)
    signer(full_letter, "Withdrawn Group", status=Signature.Status.WITHDRAWN)

    pages = pdf_pages(render(full_letter).pdf)

    assert "The undersigned 6 organizations" in pages[0]
    assert "Hidden Group" not in " ".join(pages)


def test_a_stored_letterhead_is_not_checked_again_on_each_save(client, owner, letter, settings):
    image = io.BytesIO()
    Image.new("RGB", (60, 20), "navy").save(image, "JPEG")
    client.force_login(owner)
    data = edit_form_data(letter)
    data["letterhead"] = SimpleUploadedFile("logo.jpeg", image.getvalue())
    assert client.post(reverse("letters:edit", args=[letter.pk]), data).status_code == 302
    letter.refresh_from_db()
    assert letter.letterhead.name.endswith(".jpg")
    (settings.MEDIA_ROOT / letter.letterhead.name).unlink()  # lost from storage

    response = client.post(reverse("letters:edit", args=[letter.pk]), edit_form_data(letter, subject="RE: x"))

    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.subject == "RE: x"


def test_children_that_answered_are_reaped_later_not_left_as_zombies():
    from letters import pdf_sandbox

    pids = set()
    for _ in range(3):
        render_isolated('<html lang="en"><p>One more</p></html>')
        pids |= pdf_sandbox._exiting
    for _ in range(200):
        pdf_sandbox._reap_exited()  # what the next render does first
        if not pdf_sandbox._exiting:
            break
        time.sleep(0.01)
    assert len(pids) >= 3 and not pdf_sandbox._exiting
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
