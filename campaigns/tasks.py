import logging
import smtplib

from celery import shared_task
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from .emails import send_follow_up_invitation
from .models import FollowUpInvitation, OutgoingEmail

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=50,
    time_limit=60,
)
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


INVITATION_BATCH = 100


@shared_task(acks_late=True, soft_time_limit=110, time_limit=120)
def send_follow_up_invitations(follow_up_id):
    """Email the next batch of queued invitations to a follow-up, then queue the task for the rest.

    Each invitation is claimed under a row lock and marked sent in the transaction that queues its
    email, so a redelivered or concurrent task skips it: every signer gets one email."""
    with transaction.atomic():
        batch = list(
            FollowUpInvitation.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(follow_up_id=follow_up_id, status=FollowUpInvitation.Status.QUEUED)
            .select_related("signature", "follow_up__original", "follow_up__follow_up")
            .order_by("id")[:INVITATION_BATCH]
        )
        for invitation in batch:
            send_follow_up_invitation(invitation=invitation)
        FollowUpInvitation.objects.filter(pk__in=[i.pk for i in batch]).update(
            status=FollowUpInvitation.Status.SENT, sent_at=timezone.now()
        )
    if len(batch) == INVITATION_BATCH:
        transaction.on_commit(lambda: send_follow_up_invitations.delay(follow_up_id))
    logger.info("Queued %s follow-up invitations for %s", len(batch), follow_up_id)
    return len(batch)
