"""A real Celery worker executes tasks through the configured broker (Redis in CI)."""

from django.conf import settings

from campaigns.emails import queue_email
from campaigns.models import OutgoingEmail
from campaigns.tasks import send_email
from config import celery_app


def test_broker_is_redis_when_configured():
    if settings.REDIS_URL:
        assert celery_app.connection_for_write().transport_cls == "redis"
        assert celery_app.conf.broker_url.startswith("redis://")


def test_worker_sends_queued_email(celery_worker, mailoutbox):
    email = queue_email(
        to="signer@example.org",
        template="password_reset",
        context={"protocol": "https", "domain": "example.org", "uid": "MQ", "token": "abc-123"},
    )
    result = send_email.delay(email.pk)
    result.get(timeout=30)

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert [m.to for m in mailoutbox] == [["signer@example.org"]]
    assert "https://example.org/accounts/reset/MQ/abc-123/" in mailoutbox[0].body

    # Delivered again (acks_late can redeliver): nothing is sent twice.
    send_email.delay(email.pk).get(timeout=30)
    assert len(mailoutbox) == 1
