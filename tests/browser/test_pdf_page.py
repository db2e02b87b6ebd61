"""Browser test: Render PDF, and the page follows the worker until it offers the download, no reload."""

from playwright.sync_api import expect

from letters.models import Rendering
from signatories.models import Signature

from ..factories import SignatureFactory


def test_render_pdf_updates_the_page_without_a_reload(
    logged_in_page, live_server, letter, celery_worker, settings, tmp_path
):
    names = [f"Organization number {index}" for index in range(1500)]  # takes the worker a moment
    Signature.objects.bulk_create(SignatureFactory.build(letter=letter, name=name) for name in names)
    page = logged_in_page
    page.goto(f"{live_server.url}/letters/{letter.pk}/pdf/")
    expect(page.get_by_text("No PDF has been made of this letter yet.")).to_be_visible()

    page.get_by_role("button", name="Render PDF").click()
    status = page.locator(".js-render-status")
    expect(status).to_contain_text("The PDF is being made by a worker")
    page.evaluate("window.sameDocument = true")

    expect(status.get_by_role("link", name="Download PDF")).to_be_visible(timeout=60_000)
    expect(status).to_contain_text("Done")
    assert page.evaluate("window.sameDocument") is True  # updated in place, not reloaded
    rendering = Rendering.objects.get()
    assert rendering.status == Rendering.Status.DONE
    href = status.get_by_role("link", name="Download PDF").get_attribute("href")
    assert href == f"/letters/{letter.pk}/pdf/{rendering.pk}/download/"
