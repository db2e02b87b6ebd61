import logging
import smtplib

from celery import shared_task
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from .models import OutgoingEmail

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
