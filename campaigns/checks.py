"""Deploy checks (`manage.py check --deploy`) for settings that production must not leave at defaults."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def production_services(app_configs, **kwargs):
    warnings = []
    if not settings.REDIS_URL:
        warnings.append(
            Warning(
                "REDIS_URL is not set: tasks (email, PDFs) run inside web requests and rate limits "
                "count per process.",
                hint="Point REDIS_URL at Redis and run a Celery worker (README, Production).",
                id="undersigned.W001",
            )
        )
    if settings.SITE_URL.startswith(("http://127.0.0.1", "http://localhost")):
        warnings.append(
            Warning(
                "SITE_URL is a local address: links in emails to signers would not work.",
                hint="Set SITE_URL to the site's public address, e.g. https://letters.example.org.",
                id="undersigned.W002",
            )
        )
    return warnings
