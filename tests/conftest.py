import pytest
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache

from campaigns.models import Membership
from config import celery_app

from .factories import CampaignFactory, LetterFactory, MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    """Uploads and rendered PDFs go to a folder of the test's own, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters live in the cache (Redis in CI): each test starts from zero."""
    cache.clear()


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker in a thread, taking tasks from the configured broker (Redis in CI)."""
    celery_app.conf.task_always_eager = False
    with start_worker(celery_app, perform_ping_check=False, pool="solo", shutdown_timeout=10) as worker:
        yield worker
    celery_app.conf.task_always_eager = True


@pytest.fixture(autouse=True)
def _tasks_run_eagerly():
    """Tasks run in-process unless a test starts a real worker (see tests/test_celery_worker.py)."""
    celery_app.conf.task_always_eager = True
    yield


@pytest.fixture
def campaign(db):
    return CampaignFactory(name="Fair Transit", slug="fair-transit")


@pytest.fixture
def owner(campaign):
    user = UserFactory(username="owner")
    MembershipFactory(campaign=campaign, user=user, role=Membership.Role.OWNER)
    return user


@pytest.fixture
def editor(campaign):
    user = UserFactory(username="editor")
    MembershipFactory(campaign=campaign, user=user, role=Membership.Role.EDITOR)
    return user


@pytest.fixture
def viewer(campaign):
    user = UserFactory(username="viewer")
    MembershipFactory(campaign=campaign, user=user, role=Membership.Role.VIEWER)
    return user


@pytest.fixture
def outsider(db):
    """Staff of another campaign."""
    user = UserFactory(username="outsider")
    MembershipFactory(user=user, role=Membership.Role.OWNER)
    return user


@pytest.fixture
def letter(campaign, owner):
    return LetterFactory(campaign=campaign, title="Keep the buses running", created_by=owner)


@pytest.fixture
def open_letter(letter):
    """A letter open for sign-on, with its first text version."""
    from letters.services import letter_change_status

    return letter_change_status(letter=letter, user=None, status="open")
