"""Production settings come from the environment; with DEBUG off the deploy checks are clean."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Set by the test run itself (pytest-env, the browser tests), never in production.
DROPPED_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "SITE_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in DROPPED_VARIABLES}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_reports_nothing_with_debug_off():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="k3y-" + "x7Qp2vLm9Rt4Zs8Wn" * 4,
        ALLOWED_HOSTS="letters.example.org",
        REDIS_URL="redis://127.0.0.1:6379/0",
        SITE_URL="https://letters.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_deploy_check_warns_of_development_defaults():
    result = manage(
        "check",
        "--deploy",
        DEBUG="false",
        SECRET_KEY="k3y-" + "x7Qp2vLm9Rt4Zs8Wn" * 4,
        ALLOWED_HOSTS="letters.example.org",
        REDIS_URL="",
        SITE_URL="http://127.0.0.1:8000",
    )
    assert "undersigned.W001" in result.stderr + result.stdout
    assert "undersigned.W002" in result.stderr + result.stdout


def test_secret_key_is_required_with_debug_off():
    result = manage("check", DEBUG="false")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr
