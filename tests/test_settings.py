"""The settings module: production fails loudly on a missing value and passes check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "MIEVAL_ENV": "production",
    "SECRET_KEY": "x" * 30 + "-a-long-random-test-key-for-the-deploy-check-only",
    "ALLOWED_HOSTS": "mieval.example.org",
    "DATABASE_URL": "sqlite:////tmp/mieval-deploy-check.sqlite3",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # A production process: nothing the test session set for itself (the browser tests allow
    # the ORM inside Playwright's event loop) may leak into it.
    leave_out = {*PRODUCTION, "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG"}
    clean = {k: v for k, v in os.environ.items() if k not in leave_out}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_a_required_value(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert f"The environment variable {missing} must be set in production." in result.stderr


def test_passwords_are_hashed_with_argon2(settings):
    from django.contrib.auth.hashers import make_password

    assert make_password("s3cret-pass").startswith("argon2$")


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_it_was_given():
    from django.db import connection

    url = os.environ.get("DATABASE_URL", "sqlite://")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
