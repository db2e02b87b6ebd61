import logging
import smtplib

from celery import Task, shared_task
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from .emails import send_follow_up_invitation, send_sent_notice
from .models import FollowUpInvitation, OutgoingEmail, SentNotice

logger = logging.getLogger(__name__)


class SendEmailTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """Out of retries: mark the email failed, with the reason, and drop its one-time links."""
        OutgoingEmail.objects.filter(pk=args[0], status=OutgoingEmail.Status.QUEUED).update(
            status=OutgoingEmail.Status.FAILED, error=str(exc)[:2000], text="", html=""
        )


# Every task that talks to the SMTP server: redelivered if the worker dies, retried with backoff.
SMTP_TASK_OPTIONS = {
    "acks_late": True,
    "autoretry_for": (smtplib.SMTPException, OSError),
    "retry_backoff": True,
    "max_retries": 5,
    "soft_time_limit": 50,
    "time_limit": 60,
}


@shared_task(base=SendEmailTask, **SMTP_TASK_OPTIONS)
def send_email(email_id):
    """Send one queued email; a second delivery of the same task finds it sent and stops."""
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status != OutgoingEmail.Status.QUEUED:
            return
        message = EmailMultiAlternatives(email.subject, email.text, to=[email.to])
        if email.html:
            message.attach_alternative(email.html, "text/html")
        # Sending inside the lock: a concurrent duplicate waits, then sees SENT.
        message.send()
        email.status = OutgoingEmail.Status.SENT
        email.sent_at = timezone.now()
        # The bodies may hold one-time links (password reset, confirmation); keep only metadata.
        email.text = email.html = ""
        email.save(update_fields=["status", "sent_at", "text", "html"])
    logger.info("Sent email %s", email_id)


EMAIL_BATCH = 100


def _send_batch(rows, send):
    """Email the next EMAIL_BATCH queued rows (oldest first) and mark them sent; returns how many.

    Each row is claimed under a row lock and marked sent in the transaction that queues its email,
    so a redelivered or concurrent task skips it: everyone gets one email."""
    with transaction.atomic():
        batch = list(
            rows.select_for_update(skip_locked=True, of=("self",))
            .filter(status="queued")
            .order_by("id")[:EMAIL_BATCH]
        )
        for row in batch:
            send(row)
        rows.model.objects.filter(pk__in=[row.pk for row in batch]).update(
            status="sent", sent_at=timezone.now()
        )
    return len(batch)


@shared_task(acks_late=True, soft_time_limit=110, time_limit=120)
def send_follow_up_invitations(follow_up_id):
    """Email the next batch of invitations to a follow-up, then queue the task again for the rest."""
    rows = FollowUpInvitation.objects.filter(follow_up_id=follow_up_id).select_related(
        "signature", "follow_up__original", "follow_up__follow_up"
    )
    count = _send_batch(rows, lambda invitation: send_follow_up_invitation(invitation=invitation))
    if count == EMAIL_BATCH:
        transaction.on_commit(lambda: send_follow_up_invitations.delay(follow_up_id))
    logger.info("Queued %s follow-up invitations for %s", count, follow_up_id)
    return count


@shared_task(acks_late=True, soft_time_limit=110, time_limit=120)
def send_sent_notices(letter_id):
    """Tell the next batch of signers that their letter was sent, then queue the task for the rest."""
    rows = SentNotice.objects.filter(letter_id=letter_id).select_related("signature", "letter")
    count = _send_batch(rows, lambda notice: send_sent_notice(notice=notice))
    if count == EMAIL_BATCH:
        transaction.on_commit(lambda: send_sent_notices.delay(letter_id))
    logger.info("Queued %s sent notices for letter %s", count, letter_id)
    return count
