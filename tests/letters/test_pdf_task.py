"""Rendering in a worker: artifacts, reuse, idempotent and late tasks, failures, the page, a real worker."""

import hashlib
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from config import celery_app
from letters import rendering as rendering_module
from letters.models import Letter, LetterEvent, Rendering
from letters.pdf_sandbox import RenderError
from letters.rendering import rendering_request, stale_after
from letters.services import letter_change_status, letter_record_version
from letters.tasks import render_letter_pdf

from .pdf_support import FULL_LETTER_IN_ORDER, assert_in_order, make_full_letter, pdf_text, signer


def stored_pdfs():
    folder = settings.MEDIA_ROOT / "renderings"
    return sorted(folder.iterdir()) if folder.exists() else []


def request_and_run(letter, user, capture):
    with capture(execute=True):
        rendering, created = rendering_request(letter=letter, user=user)
    rendering.refresh_from_db()
    return rendering, created


def test_render_request_runs_the_task_and_keeps_an_artifact(
    full_letter, owner, django_capture_on_commit_callbacks
):
    full_letter = letter_change_status(letter=full_letter, user=owner, status="open")
    rendering, created = request_and_run(full_letter, owner, django_capture_on_commit_callbacks)

    assert created
    assert rendering.status == Rendering.Status.DONE
    assert rendering.version == full_letter.current_version()
    assert rendering.signer_count == 6
    assert rendering.requested_by == owner
    assert rendering.started_at <= rendering.finished_at
    assert rendering.options == {
        "page_size": "letter",
        "signer_order": "alphabetical",
        "show_count_line": True,
        "letterhead": "",
        "version": 1,
    }
    assert rendering.html == ""  # the PDF is the record
    [stored] = stored_pdfs()
    assert rendering.file.name == f"renderings/{stored.name}"  # a random name
    content = stored.read_bytes()
    assert rendering.checksum == hashlib.sha256(content).hexdigest()
    assert rendering.page_count == 1
    assert_in_order(pdf_text(content), FULL_LETTER_IN_ORDER)
    assert LetterEvent.objects.filter(letter=full_letter, action="letter.pdf_requested").count() == 1


def test_unchanged_content_reuses_the_stored_artifact(
    full_letter, owner, editor, django_capture_on_commit_callbacks
):
    first, _ = request_and_run(full_letter, owner, django_capture_on_commit_callbacks)
    again, created = request_and_run(full_letter, editor, django_capture_on_commit_callbacks)

    assert not created and again.pk == first.pk
    assert again.requested_at > first.requested_at
    assert len(stored_pdfs()) == 1

    signer(full_letter, "A New Signer Network")
    changed, created = request_and_run(full_letter, owner, django_capture_on_commit_callbacks)
    assert created and changed.pk != first.pk and changed.signer_count == 7
    assert len(stored_pdfs()) == 2
    assert Rendering.objects.current_for(full_letter) == changed


def test_a_task_delivered_twice_leaves_one_artifact(full_letter, owner):
    rendering, _ = rendering_request(letter=full_letter, user=owner)  # on_commit not run: queued

    render_letter_pdf(rendering.pk)
    rendering.refresh_from_db()
    first_checksum = rendering.checksum
    render_letter_pdf(rendering.pk)
    render_letter_pdf.apply(args=[rendering.pk])

    rendering.refresh_from_db()
    assert rendering.status == Rendering.Status.DONE and rendering.checksum == first_checksum
    assert Rendering.objects.count() == 1
    assert len(stored_pdfs()) == 1


def test_a_duplicate_leaves_a_live_attempt_alone_but_takes_over_a_dead_one(full_letter, owner):
    rendering, _ = rendering_request(letter=full_letter, user=owner)
    Rendering.objects.filter(pk=rendering.pk).update(
        status=Rendering.Status.RENDERING, attempt="first-delivery", started_at=timezone.now()
    )

    render_letter_pdf.apply(args=[rendering.pk], task_id="second-delivery")
    rendering.refresh_from_db()
    assert rendering.status == Rendering.Status.RENDERING and stored_pdfs() == []

    # The same message delivered again (its worker died): that attempt takes the row back.
    render_letter_pdf.apply(args=[rendering.pk], task_id="first-delivery")
    rendering.refresh_from_db()
    assert rendering.status == Rendering.Status.DONE and len(stored_pdfs()) == 1

    # Past the hard time limit no attempt can be alive: another delivery takes over.
    stale, _ = rendering_request(letter=make_changed(full_letter), user=owner)
    Rendering.objects.filter(pk=stale.pk).update(
        status=Rendering.Status.RENDERING,
        attempt="dead",
        started_at=timezone.now() - stale_after() - timedelta(seconds=1),
    )
    render_letter_pdf.apply(args=[stale.pk], task_id="new-delivery")
    stale.refresh_from_db()
    assert stale.status == Rendering.Status.DONE and stale.attempt == "new-delivery"


def make_changed(letter):
    signer(letter, f"Another Coalition {Rendering.objects.count()}")
    return letter


def test_a_late_render_of_an_older_version_never_replaces_a_newer_one(full_letter, owner):
    full_letter = letter_change_status(letter=full_letter, user=owner, status="open")
    older, _ = rendering_request(letter=full_letter, user=owner)  # version 1, still queued

    Letter.objects.filter(pk=full_letter.pk).update(subject="RE: A sharper subject")
    full_letter.refresh_from_db()
    assert letter_record_version(letter=full_letter, user=owner).number == 2
    newer, _ = rendering_request(letter=full_letter, user=owner)
    render_letter_pdf(newer.pk)
    render_letter_pdf(older.pk)  # finishes last

    older.refresh_from_db()
    assert older.status == Rendering.Status.DONE and older.version.number == 1
    assert Rendering.objects.current_for(full_letter) == newer
    assert "RE: A sharper subject" in pdf_text(Rendering.objects.get(pk=newer.pk).file.read())


def test_within_a_version_the_newest_request_is_current_whatever_finishes_last(full_letter, owner):
    first, _ = rendering_request(letter=full_letter, user=owner)
    second, _ = rendering_request(letter=make_changed(full_letter), user=owner)
    render_letter_pdf(second.pk)
    render_letter_pdf(first.pk)

    assert Rendering.objects.current_for(full_letter) == second


def test_a_render_over_its_time_limit_fails_with_a_reason(
    full_letter, owner, client, settings, django_capture_on_commit_callbacks
):
    settings.PDF_RENDER_TIMEOUT = 0.01
    rendering, _ = request_and_run(full_letter, owner, django_capture_on_commit_callbacks)

    assert rendering.status == Rendering.Status.FAILED
    assert rendering.error == "Rendering took longer than 0.01 seconds and was stopped."
    assert rendering.finished_at is not None and not rendering.file
    client.force_login(owner)
    page = client.get(reverse("letters:pdf", args=[full_letter.pk])).content.decode()
    assert "Rendering took longer than 0.01 seconds and was stopped." in page
    status = client.get(reverse("letters:pdf_status", args=[full_letter.pk, rendering.pk])).json()
    assert status["status"] == "failed" and status["finished"] and "0.01 seconds" in status["error"]

    # A failed render does not block asking again.
    settings.PDF_RENDER_TIMEOUT = 60
    again, created = request_and_run(full_letter, owner, django_capture_on_commit_callbacks)
    assert created and again.status == Rendering.Status.DONE


def test_a_renderer_error_fails_with_its_reason(full_letter, owner, monkeypatch):
    def broken(*args, **kwargs):
        raise RenderError("WeasyPrint failed: ValueError: bad CSS")

    monkeypatch.setattr(rendering_module, "render_isolated", broken)
    rendering, _ = rendering_request(letter=full_letter, user=owner)
    render_letter_pdf(rendering.pk)

    rendering.refresh_from_db()
    assert rendering.status == Rendering.Status.FAILED
    assert rendering.error == "Rendering failed: WeasyPrint failed: ValueError: bad CSS"


def test_an_unexpected_error_still_ends_in_failed(full_letter, owner, monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("surprise")

    monkeypatch.setattr(rendering_module, "render_isolated", broken)
    rendering, _ = rendering_request(letter=full_letter, user=owner)
    with pytest.raises(KeyError):  # raised where the task runs (in development: the request)
        render_letter_pdf.apply(args=[rendering.pk], throw=True)

    rendering.refresh_from_db()
    assert rendering.status == Rendering.Status.FAILED
    assert rendering.error == "Rendering failed: KeyError: 'surprise'"


@pytest.fixture
def eager_retries():
    """Eager tasks run their retries in place only when errors are not propagated."""
    propagates = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = propagates


def test_out_of_retries_ends_in_failed(full_letter, owner, monkeypatch, eager_retries):
    def always(content):
        raise OSError("disk gone")

    monkeypatch.setattr(rendering_module, "ContentFile", always)
    rendering, _ = rendering_request(letter=full_letter, user=owner)
    result = render_letter_pdf.apply(args=[rendering.pk])

    assert result.failed()
    rendering.refresh_from_db()
    assert rendering.status == Rendering.Status.FAILED
    assert rendering.error == "Rendering failed: OSError: disk gone"


def test_transient_storage_errors_are_retried(full_letter, owner, monkeypatch, eager_retries):
    real_save = rendering_module.ContentFile
    failures = []

    def flaky(content):
        if len(failures) < 2:
            failures.append(1)
            raise OSError("disk briefly unavailable")
        return real_save(content)

    monkeypatch.setattr(rendering_module, "ContentFile", flaky)
    rendering, _ = rendering_request(letter=full_letter, user=owner)
    render_letter_pdf.apply(args=[rendering.pk])

    rendering.refresh_from_db()
    assert len(failures) == 2
    assert rendering.status == Rendering.Status.DONE and len(stored_pdfs()) == 1


def test_task_is_acknowledged_late_retried_with_backoff_and_time_limited():
    assert render_letter_pdf.acks_late and render_letter_pdf.reject_on_worker_lost
    assert render_letter_pdf.autoretry_for == (OSError,) and render_letter_pdf.retry_backoff
    assert render_letter_pdf.soft_time_limit < render_letter_pdf.time_limit
    assert render_letter_pdf.soft_time_limit > settings.PDF_RENDER_TIMEOUT  # the child is stopped first


# The page and its endpoints


@pytest.fixture
def done_rendering(full_letter, owner):
    rendering, _ = rendering_request(letter=full_letter, user=owner)
    render_letter_pdf(rendering.pk)
    rendering.refresh_from_db()
    return rendering


def test_render_button_queues_and_the_page_follows_it(client, editor, full_letter):
    client.force_login(editor)
    response = client.post(reverse("letters:pdf_render", args=[full_letter.pk]))  # on_commit not run

    assert response.status_code == 302 and response["Location"] == reverse(
        "letters:pdf", args=[full_letter.pk]
    )
    rendering = Rendering.objects.get()
    assert rendering.status == Rendering.Status.QUEUED and rendering.requested_by == editor
    page = client.get(response["Location"]).content.decode()
    status_url = reverse("letters:pdf_status", args=[full_letter.pk, rendering.pk])
    assert f'data-status-url="{status_url}"' in page and "js/render.js" in page
    assert client.get(status_url).json() == {
        "id": rendering.pk,
        "status": "queued",
        "status_label": "Queued",
        "finished": False,
        "error": "",
    }

    render_letter_pdf(rendering.pk)
    status = client.get(status_url).json()
    assert status["status"] == "done" and status["finished"] and status["page_count"] == 1
    assert status["download_url"] == reverse("letters:pdf_download", args=[full_letter.pk, rendering.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Current PDF" in page and status["download_url"] in page and "data-status-url" not in page


def test_earlier_renders_stay_downloadable(client, viewer, full_letter, done_rendering, owner):
    newer, _ = rendering_request(letter=make_changed(full_letter), user=owner)
    render_letter_pdf(newer.pk)
    client.force_login(viewer)

    for rendering in (done_rendering, newer):
        response = client.get(reverse("letters:pdf_download", args=[full_letter.pk, rendering.pk]))
        content = b"".join(response.streaming_content)
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="keep-the-buses-running.pdf"'
        assert hashlib.sha256(content).hexdigest() == Rendering.objects.get(pk=rendering.pk).checksum
    assert "Another Coalition" not in pdf_text(done_rendering.file.read())


def test_viewer_downloads_but_cannot_render_or_send(client, viewer, full_letter, done_rendering):
    client.force_login(viewer)
    pk, rid = full_letter.pk, done_rendering.pk

    assert client.get(reverse("letters:pdf", args=[pk])).status_code == 200
    assert client.get(reverse("letters:pdf_download", args=[pk, rid])).status_code == 200
    assert client.get(reverse("letters:pdf_eml", args=[pk, rid])).status_code == 200
    assert client.get(reverse("letters:text", args=[pk])).status_code == 200
    assert client.get(reverse("letters:pdf_status", args=[pk, rid])).status_code == 200
    assert client.post(reverse("letters:pdf_render", args=[pk])).status_code == 403
    assert client.post(reverse("letters:pdf_send", args=[pk, rid])).status_code == 403
    assert Rendering.objects.count() == 1
    page = client.get(reverse("letters:pdf", args=[pk])).content.decode()
    assert "Render PDF" not in page and "Send now" not in page


def test_outsider_gets_404_everywhere(client, outsider, full_letter, done_rendering):
    client.force_login(outsider)
    pk, rid = full_letter.pk, done_rendering.pk
    for name, args in [
        ("letters:pdf", [pk]),
        ("letters:pdf_status", [pk, rid]),
        ("letters:pdf_download", [pk, rid]),
        ("letters:pdf_eml", [pk, rid]),
        ("letters:text", [pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    assert client.post(reverse("letters:pdf_render", args=[pk])).status_code == 404
    assert client.post(reverse("letters:pdf_send", args=[pk, rid])).status_code == 404


def test_a_rendering_of_another_letter_is_not_found_under_this_one(
    client, owner, full_letter, done_rendering
):
    from ..factories import LetterFactory

    other = LetterFactory(campaign=full_letter.campaign)
    client.force_login(owner)
    response = client.get(reverse("letters:pdf_download", args=[other.pk, done_rendering.pk]))
    assert response.status_code == 404


def test_anonymous_is_sent_to_login(client, full_letter, done_rendering):
    url = reverse("letters:pdf_download", args=[full_letter.pk, done_rendering.pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    response = client.post(reverse("letters:pdf_render", args=[full_letter.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_render_and_send_refuse_get(client, owner, full_letter, done_rendering):
    client.force_login(owner)
    assert client.get(reverse("letters:pdf_render", args=[full_letter.pk])).status_code == 405
    assert (
        client.get(reverse("letters:pdf_send", args=[full_letter.pk, done_rendering.pk])).status_code == 405
    )


def test_an_unfinished_rendering_cannot_be_downloaded(client, owner, full_letter):
    rendering, _ = rendering_request(letter=full_letter, user=owner)
    client.force_login(owner)
    response = client.get(reverse("letters:pdf_download", args=[full_letter.pk, rendering.pk]))
    assert response.status_code == 404


def test_preview_links_to_the_pdf_page(client, owner, full_letter):
    client.force_login(owner)
    page = client.get(reverse("letters:preview", args=[full_letter.pk])).content.decode()
    assert reverse("letters:pdf", args=[full_letter.pk]) in page


# A real worker


def test_a_real_worker_renders_the_pdf_through_the_broker(celery_worker, campaign, owner):
    from ..factories import LetterFactory

    letter = make_full_letter(LetterFactory(campaign=campaign, title="Keep the buses running"))
    rendering, created = rendering_request(letter=letter, user=owner)  # autocommit: queued now

    deadline = time.monotonic() + 60
    while rendering.status in Rendering.IN_PROGRESS and time.monotonic() < deadline:
        time.sleep(0.2)
        rendering.refresh_from_db()

    assert created and rendering.status == Rendering.Status.DONE, rendering.error
    assert_in_order(pdf_text(rendering.file.read()), FULL_LETTER_IN_ORDER)

    # Delivered again through the broker: still one artifact.
    render_letter_pdf.delay(rendering.pk).get(timeout=30)
    assert Rendering.objects.filter(letter=letter).count() == 1
    assert len(stored_pdfs()) == 1


def test_asking_again_replaces_a_request_whose_worker_is_gone(full_letter, owner, editor):
    lost, _ = rendering_request(letter=full_letter, user=owner)  # its message never ran
    Rendering.objects.filter(pk=lost.pk).update(
        created_at=timezone.now() - stale_after() - timedelta(seconds=1)
    )

    again, created = rendering_request(letter=full_letter, user=editor)

    lost.refresh_from_db()
    assert created and again.pk != lost.pk
    assert lost.status == Rendering.Status.FAILED
    assert lost.error == "The worker rendering it stopped; it was asked for again."
    render_letter_pdf(lost.pk)  # the lost message turns up after all: nothing happens
    lost.refresh_from_db()
    assert lost.status == Rendering.Status.FAILED and stored_pdfs() == []
