"""Workflows of the final letter: ask for a PDF, render it in a worker, send it from the app.

Like services.py, each takes keyword arguments, checks, saves atomically and logs; they live
apart only because services.py is being reworked at the same time.
"""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.services import letter_delivered

from .email_export import letter_email
from .models import Delivery, Letter, Rendering
from .pdf import build_final_letter, pdf_filename, pdf_resources
from .pdf_sandbox import RenderError, RenderOutOfMemory, RenderTimeout, render_isolated
from .services import log_event

logger = logging.getLogger(__name__)


class RenderingError(Exception):
    """A PDF or delivery workflow refused; the message is shown to the user."""


def task_time_limits():
    """(soft, hard) seconds for the render task: past the child's own limit, so that one fires first."""
    return settings.PDF_RENDER_TIMEOUT + 30, settings.PDF_RENDER_TIMEOUT + 60


def stale_after():
    """Past the hard time limit no attempt can still be alive: its row may be taken over."""
    return timedelta(seconds=task_time_limits()[1] + 60)


def rendering_request(*, letter, user, options=None):
    """(rendering, created): the artifact for the letter's content now, reused if already made."""
    final = build_final_letter(letter, options)
    now = timezone.now()
    with transaction.atomic():
        existing = (
            Rendering.objects.select_for_update()
            .filter(letter=letter, content_hash=final.content_hash)
            .exclude(status=Rendering.Status.FAILED)
            .first()
        )
        if existing is not None and existing.is_stale(stale_after(), now):
            _fail(existing, _("The worker rendering it stopped; it was asked for again."))
            existing = None
        if existing is not None:
            existing.requested_at = now
            existing.save(update_fields=["requested_at"])
            log_event(
                letter=letter, actor=user, action="letter.pdf_requested", rendering=existing.pk, reused=True
            )
            return existing, False
        try:
            with transaction.atomic():  # a concurrent identical request may have just won the race
                rendering = Rendering.objects.create(
                    letter=letter,
                    version=final.version,
                    options=final.options,
                    content_hash=final.content_hash,
                    html=final.html,
                    signer_count=final.signer_count,
                    requested_by=user,
                    requested_at=now,
                )
        except IntegrityError:
            winner = Rendering.objects.exclude(status=Rendering.Status.FAILED)
            return winner.get(letter=letter, content_hash=final.content_hash), False
        log_event(
            letter=letter, actor=user, action="letter.pdf_requested", rendering=rendering.pk, reused=False
        )

        from .tasks import render_letter_pdf  # the task module imports this one

        transaction.on_commit(lambda: render_letter_pdf.delay(rendering.pk))
    return rendering, True


def rendering_claim(*, rendering_id, attempt):
    """The rendering, now marked as rendering by `attempt`; None if there is nothing to do.

    Nothing to do: it is finished, or another attempt that may still be alive holds it. The same
    attempt (a message redelivered after its worker died, or a retry) takes it back.
    """
    with transaction.atomic():
        rendering = Rendering.objects.select_for_update().filter(pk=rendering_id).first()
        if rendering is None or rendering.status in Rendering.FINISHED:
            return None
        held_by_other = rendering.status == Rendering.Status.RENDERING and rendering.attempt != attempt
        if held_by_other and not rendering.is_stale(stale_after()):
            return None
        rendering.status = Rendering.Status.RENDERING
        rendering.attempt = attempt
        rendering.started_at = timezone.now()
        rendering.save(update_fields=["status", "attempt", "started_at"])
    return rendering


def rendering_perform(*, rendering_id, attempt=""):
    """Claim, render and store one rendering; a second delivery of the same work does nothing."""
    rendering = rendering_claim(rendering_id=rendering_id, attempt=attempt)
    if rendering is None:
        return None
    try:
        result = render_isolated(
            rendering.html,
            resources=pdf_resources(letterhead=rendering.options.get("letterhead", "")),
            timeout=settings.PDF_RENDER_TIMEOUT,
            memory_mb=settings.PDF_RENDER_MEMORY_MB,
        )
    except RenderError as error:
        rendering_fail(rendering_id=rendering.pk, attempt=attempt, reason=render_error_reason(error))
        return rendering
    return _store(rendering, attempt, result)


def render_error_reason(error):
    """Why a render failed, for staff."""
    if isinstance(error, RenderTimeout):
        return _("Rendering took longer than %(seconds)s seconds and was stopped.") % {
            "seconds": settings.PDF_RENDER_TIMEOUT
        }
    if isinstance(error, RenderOutOfMemory):
        return _("The letter needs more memory than a render is allowed (%(mb)s MB).") % {
            "mb": settings.PDF_RENDER_MEMORY_MB
        }
    if isinstance(error, RenderError):  # its message is written for staff already
        return _("Rendering failed: %(error)s") % {"error": error}
    return _("Rendering failed: %(error)s") % {"error": f"{type(error).__name__}: {error}"}


def rendering_fail(*, rendering_id, attempt=None, reason):
    """Mark an unfinished rendering failed (if `attempt` is given, only while that attempt holds it)."""
    with transaction.atomic():
        rendering = Rendering.objects.select_for_update().filter(pk=rendering_id).first()
        if rendering is None or rendering.status in Rendering.FINISHED:
            return rendering
        if attempt is not None and rendering.attempt != attempt:
            return rendering
        _fail(rendering, reason)
    logger.warning("PDF rendering %s failed: %s", rendering_id, reason)
    return rendering


def _fail(rendering, reason):
    rendering.status = Rendering.Status.FAILED
    rendering.error = reason[:2000]
    rendering.finished_at = timezone.now()
    rendering.save(update_fields=["status", "error", "finished_at"])


def _store(rendering, attempt, result):
    checksum = hashlib.sha256(result.pdf).hexdigest()
    # The file is written first (storage may raise OSError: the task retries); the row then
    # points at it only if this attempt still holds the rendering.
    name = rendering.file.field.generate_filename(rendering, "letter.pdf")
    name = rendering.file.storage.save(name, ContentFile(result.pdf))
    with transaction.atomic():
        current = Rendering.objects.select_for_update().get(pk=rendering.pk)
        if current.status != Rendering.Status.RENDERING or current.attempt != attempt:
            rendering.file.storage.delete(name)  # taken over meanwhile: the other attempt's file stands
            return current
        current.file.name = name
        current.checksum = checksum
        current.page_count = result.page_count
        current.status = Rendering.Status.DONE
        current.finished_at = timezone.now()
        current.html = ""  # the PDF is the record now; the HTML can be large
        current.save(update_fields=["file", "checksum", "page_count", "status", "finished_at", "html"])
    logger.info(
        "Rendered PDF %s: %d pages, %d bytes in %.1f s, peak memory %d MB",
        rendering.pk,
        result.page_count,
        len(result.pdf),
        result.render_seconds,
        result.peak_rss_kb // 1024,
    )
    return current


def rendering_file(*, rendering):
    """(filename, content_type, bytes) of a finished rendering."""
    if rendering.status != Rendering.Status.DONE:
        raise RenderingError(_("This PDF is not ready."))
    with rendering.file.open("rb") as file:
        content = file.read()
    return pdf_filename(rendering.letter, rendering.version), "application/pdf", content


RESEND_GUARD = timedelta(minutes=10)


def delivery_request(*, rendering, user):
    """Queue the letter, with this PDF attached, to be emailed to its recipients (cc: the cc list)."""
    if rendering.status != Rendering.Status.DONE:
        raise RenderingError(_("Only a finished PDF can be sent."))
    email = letter_email(rendering=rendering, content=rendering_file(rendering=rendering)[2])
    if not email.to:
        raise RenderingError(_("None of the recipients has an email address."))
    letter = rendering.letter
    with transaction.atomic():
        # A double click, or two staff at once, must not email the officials twice.
        Letter.objects.select_for_update().filter(pk=letter.pk).first()
        recent = timezone.now() - RESEND_GUARD
        if (
            rendering.deliveries.exclude(status=Delivery.Status.FAILED)
            .filter(created_at__gte=recent)
            .exists()
        ):
            raise RenderingError(_("This PDF was sent a moment ago; wait a few minutes to send it again."))
        delivery = Delivery.objects.create(
            letter=letter,
            rendering=rendering,
            to=email.to_header(),
            cc=email.cc_header(),
            subject=email.subject,
            sent_by=user,
        )
        log_event(letter=letter, actor=user, action="letter.delivery_queued", delivery=delivery.pk)

        from .tasks import send_letter_delivery

        transaction.on_commit(lambda: send_letter_delivery.delay(delivery.pk))
    return delivery


def delivery_send(*, delivery_id):
    """Send one queued delivery; a second delivery of the same task does not email again."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("rendering__letter")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status == Delivery.Status.FAILED:
            return delivery
        # Already SENT: a retry after the email went still finishes the steps below.
        if delivery.status == Delivery.Status.QUEUED:
            rendering = delivery.rendering
            email = letter_email(rendering=rendering, content=rendering_file(rendering=rendering)[2])
            reply_to = [delivery.sent_by.email] if delivery.sent_by and delivery.sent_by.email else []
            # Sending inside the lock: a concurrent duplicate waits, then sees SENT.
            email.django_message(to=delivery.to, cc=delivery.cc, reply_to=reply_to).send()
            delivery.status = Delivery.Status.SENT
            delivery.sent_at = timezone.now()
            delivery.delivered_on = timezone.localdate(delivery.sent_at)
            delivery.save(update_fields=["status", "sent_at", "delivered_on"])
            log_event(
                letter=delivery.letter,
                actor=delivery.sent_by,
                action="letter.delivered",
                delivery=delivery.pk,
            )
    # Outside the lock and its transaction: the email is gone, and nothing after it may undo that.
    letter_delivered(letter=delivery.letter, user=delivery.sent_by)
    return delivery


def delivery_fail(*, delivery_id, reason):
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is not None and delivery.status == Delivery.Status.QUEUED:
            delivery.status = Delivery.Status.FAILED
            delivery.error = reason[:2000]
            delivery.save(update_fields=["status", "error"])
    return delivery
