import logging

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.utils.translation import gettext as _

from campaigns.tasks import SMTP_TASK_OPTIONS

from . import rendering

logger = logging.getLogger(__name__)

SOFT_TIME_LIMIT, TIME_LIMIT = rendering.task_time_limits()


class RenderTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """Out of retries, or an unexpected error: the page must not show "rendering" forever."""
        rendering.rendering_fail(
            rendering_id=args[0] if args else kwargs["rendering_id"],
            reason=rendering.render_error_reason(exc),
        )


@shared_task(
    base=RenderTask,
    bind=True,
    # Acknowledged only once done; a worker that dies mid-render has the message delivered again.
    acks_late=True,
    reject_on_worker_lost=True,
    # OSError: storage or a pipe hiccup. Rendering errors are not retried; they fail cleanly.
    autoretry_for=(OSError,),
    retry_backoff=2,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=4,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=TIME_LIMIT,
)
def render_letter_pdf(self, rendering_id):
    """Render one requested PDF; delivered twice (or late), it finds the work claimed or done."""
    try:
        rendering.rendering_perform(rendering_id=rendering_id, attempt=self.request.id or "")
    except SoftTimeLimitExceeded:
        rendering.rendering_fail(
            rendering_id=rendering_id, reason=_("Rendering took too long and was stopped.")
        )
    except OSError:
        raise  # retried (autoretry_for); on_failure marks the rendering failed once out of retries
    except Exception as error:
        # Marked here, not only in on_failure, which eager mode (development) skips.
        rendering.rendering_fail(rendering_id=rendering_id, reason=rendering.render_error_reason(error))
        raise


class DeliveryTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        rendering.delivery_fail(
            delivery_id=args[0] if args else kwargs["delivery_id"],
            reason=f"{type(exc).__name__}: {exc}",
        )


@shared_task(base=DeliveryTask, **SMTP_TASK_OPTIONS)
def send_letter_delivery(delivery_id):
    rendering.delivery_send(delivery_id=delivery_id)
