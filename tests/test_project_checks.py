"""The project is consistent: system checks pass, no migration is missing,
and production refuses to start without its secrets."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

from django.core.management import call_command

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Strong enough for check --deploy: 50+ characters, many distinct.
STRONG_KEY = "test-only-Vq3xZ8pL1mN4bR7tY0wK2sD5fG9hJ6cE-not-for-production"


def test_system_checks_pass():
    call_command("check", "--fail-level", "WARNING", stdout=StringIO())


def test_no_missing_migrations(db):
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def _start_production(env):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
        **env,
    }
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "WAGTAILADMIN_BASE_URL"):
        if env.get(name) is None:
            env.pop(name, None)
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_names_the_missing_settings():
    result = _start_production(
        {"SECRET_KEY": None, "ALLOWED_HOSTS": None, "WAGTAILADMIN_BASE_URL": None}
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "ALLOWED_HOSTS" in result.stderr

    result = _start_production(
        {"SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": None, "WAGTAILADMIN_BASE_URL": None}
    )
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr and "SECRET_KEY," not in result.stderr


def test_production_starts_with_its_settings():
    result = _start_production(
        {
            "SECRET_KEY": STRONG_KEY,
            "ALLOWED_HOSTS": "example.org",
            "WAGTAILADMIN_BASE_URL": "https://news.example.org",
        }
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "catalogue",
    [
        ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po",
        ROOT / "press" / "locale" / "fr" / "LC_MESSAGES" / "django.po",
    ],
    ids=["project", "press"],
)
def test_french_catalogue_is_complete(catalogue):
    """Every interface string has its French translation, none left fuzzy
    (the project's catalogue, and an app's own)."""
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", os.devnull, str(catalogue)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "translated message" in result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr
