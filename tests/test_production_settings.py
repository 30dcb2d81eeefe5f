"""Production settings start only when they are safe, read every variable
the same way, and pass Django's deployment checks with the documented
environment."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "test-only-Vq3xZ8pL1mN4bR7tY0wK2sD5fG9hJ6cE-not-for-production"


def documented_environment():
    """The variables of .env.example, as an operator would copy them."""
    env = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name.strip()] = value.strip()
    return env


def run(code_or_args, **overrides):
    """Runs Python with production settings and the documented environment
    (a strong key in place of the example), changed by ``overrides``; a
    variable given as None is unset."""
    documented = documented_environment()
    env = {k: v for k, v in os.environ.items() if k not in documented}
    env.pop("DATABASE_URL", None)
    # Set by conftest.py for the browser tests; never in production.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    variables = {**documented, "SECRET_KEY": STRONG_KEY, **overrides}
    env.update({k: v for k, v in variables.items() if v is not None})
    env.update(DJANGO_SETTINGS_MODULE="newsroom.settings.production")
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def settings_of(**variables):
    """Imports the production settings and returns the chosen values."""
    code = (
        "import json, newsroom.settings.production as s; print(json.dumps({k: "
        "getattr(s, k, None) for k in ('SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', "
        "'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD', "
        "'SILENCED_SYSTEM_CHECKS', 'ADMINS', 'WAGTAILDOCS_MAX_UPLOAD_SIZE', "
        "'AXES_IPWARE_PROXY_COUNT', 'AXES_IPWARE_META_PRECEDENCE_ORDER', "
        "'VARNISH_CACHE_SECONDS', 'WAGTAILFRONTENDCACHE')}))"
    )
    result = run(code, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_documented_environment_passes_the_deployment_checks():
    """`check --deploy` with .env.example (and a real key) has nothing to say:
    a new warning in production is then noticed at once."""
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "key",
    [
        "change-me",  # the example value
        "s" * 60,  # long but one character
        "Vq3xZ8pL1mN4bR7tY0wK2sD5fG9hJ6cE",  # varied but short
        "django-insecure-" + "Vq3xZ8pL1mN4bR7tY0wK2sD5fG9hJ6cE1234567890",
    ],
)
def test_example_or_weak_secret_key_refuses_to_start(key):
    """Sessions, password resets and embargo links are signed with this key."""
    result = run("import newsroom.settings.production", SECRET_KEY=key)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "url", ["http://localhost", "http://127.0.0.1:8000", "https://localhost/"]
)
def test_a_local_address_for_the_links_in_mails_refuses_to_start(url):
    """Alert, unsubscribe and embargo links would lead readers to their own
    machine: said clearly, at start."""
    result = run("import newsroom.settings.production", WAGTAILADMIN_BASE_URL=url)
    assert result.returncode != 0
    assert "WAGTAILADMIN_BASE_URL" in result.stderr
    assert "public site" in result.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("True", True),
        ("1", True),
        ("yes", True),
        ("on", True),
        ("false", False),
        ("0", False),
        ("NO", False),
        ("off", False),
    ],
)
def test_booleans_read_the_usual_way(value, expected):
    assert settings_of(SECURE_SSL_REDIRECT=value)["SECURE_SSL_REDIRECT"] is expected


def test_unreadable_boolean_names_the_variable():
    """A typo must not quietly switch HTTPS off."""
    result = run(
        "import newsroom.settings.production",
        SECURE_SSL_REDIRECT="ture",
    )
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stderr and "'ture'" in result.stderr


def test_unreadable_number_names_the_variable():
    result = run(
        "import newsroom.settings.production",
        SECURE_HSTS_SECONDS="one year",
    )
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS" in result.stderr


def test_hsts_stays_on_our_host_unless_asked():
    """The hospital's other subdomains are not forced onto HTTPS by default;
    the deploy warnings about it are silenced only while that is so."""
    default = settings_of()
    assert default["SECURE_SSL_REDIRECT"] is True
    assert default["SECURE_HSTS_SECONDS"] == 31536000
    assert default["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert default["SECURE_HSTS_PRELOAD"] is False
    assert sorted(default["SILENCED_SYSTEM_CHECKS"]) == [
        "security.W005",
        "security.W021",
    ]

    opted_in = settings_of(
        SECURE_HSTS_INCLUDE_SUBDOMAINS="yes", SECURE_HSTS_PRELOAD="on"
    )
    assert opted_in["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert opted_in["SECURE_HSTS_PRELOAD"] is True
    assert opted_in["SILENCED_SYSTEM_CHECKS"] == []


def test_admins_come_from_the_environment():
    """Who is mailed about a server error is the operators' choice."""
    chosen = settings_of(
        ADMINS="Service web <web@example.org>, Astreinte <oncall@example.org>"
    )
    assert chosen["ADMINS"] == [
        ["Service web", "web@example.org"],
        ["Astreinte", "oncall@example.org"],
    ]


def test_unreadable_admins_names_the_variable():
    result = run("import newsroom.settings.production", ADMINS="Web team")
    assert result.returncode != 0
    assert "ADMINS" in result.stderr


def test_proxy_and_upload_limits_come_from_the_environment():
    chosen = settings_of(
        WAGTAILDOCS_MAX_UPLOAD_SIZE="1048576",
        AXES_IPWARE_PROXY_COUNT="1",
        AXES_IPWARE_META_PRECEDENCE_ORDER="HTTP_X_REAL_IP",
    )
    assert chosen["WAGTAILDOCS_MAX_UPLOAD_SIZE"] == 1048576
    assert chosen["AXES_IPWARE_PROXY_COUNT"] == 1
    assert chosen["AXES_IPWARE_META_PRECEDENCE_ORDER"] == ["HTTP_X_REAL_IP"]


def test_without_a_proxy_only_the_socket_address_counts():
    """X-Forwarded-For is read only when a proxy is declared to write it."""
    chosen = settings_of(
        AXES_IPWARE_PROXY_COUNT=None, AXES_IPWARE_META_PRECEDENCE_ORDER=None
    )
    assert chosen["AXES_IPWARE_PROXY_COUNT"] is None
    assert chosen["AXES_IPWARE_META_PRECEDENCE_ORDER"] == ["REMOTE_ADDR"]


def test_varnish_keeps_pages_only_when_the_app_can_ban_it():
    """With VARNISH_URL, public pages may be kept an hour and every public
    change bans Varnish's copies; without it, no answer lets a shared cache
    keep it."""
    chosen = settings_of(VARNISH_URL="http://10.0.0.5:6082")
    assert chosen["VARNISH_CACHE_SECONDS"] == 3600
    assert chosen["WAGTAILFRONTENDCACHE"] == {
        "varnish": {
            "BACKEND": "newsroom.varnish.VarnishBanBackend",
            "LOCATION": "http://10.0.0.5:6082",
        }
    }
    assert (
        settings_of(VARNISH_URL="http://10.0.0.5:6082", VARNISH_CACHE_SECONDS="600")[
            "VARNISH_CACHE_SECONDS"
        ]
        == 600
    )
    without = settings_of(VARNISH_URL=None)
    assert without["VARNISH_CACHE_SECONDS"] == 0
    assert without["WAGTAILFRONTENDCACHE"] is None


def test_documents_are_limited_to_20_mb_by_default():
    defaults = settings_of(WAGTAILDOCS_MAX_UPLOAD_SIZE=None)
    assert defaults["WAGTAILDOCS_MAX_UPLOAD_SIZE"] == 20 * 1024 * 1024


def test_every_variable_read_is_documented():
    """`.env.example` lists every variable base.py reads."""
    base = (ROOT / "newsroom" / "settings" / "base.py").read_text()
    read = set(re.findall(r'_env_(?:str|bool|int|list)\(\s*"([A-Z_]+)"', base))
    read.add("DATABASE_URL")  # dj_database_url.config()
    assert read - set(documented_environment()) == set()
