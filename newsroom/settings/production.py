"""Production: refuses to start without its secrets, says which is missing.

The environment is read in ``base.py``; this module only checks what it
found and switches production behaviour on.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    ALLOWED_HOSTS,
    SECRET_KEY,
    SECURE_HSTS_INCLUDE_SUBDOMAINS,
    SECURE_HSTS_PRELOAD,
    SENTRY_DSN,
    SENTRY_ENVIRONMENT,
    WAGTAILADMIN_BASE_URL,
)

DEBUG = False

# WAGTAILADMIN_BASE_URL is the address in links the newsroom sends out
# (journalists' embargo links, notification e-mails).
_missing = [
    name
    for name, value in (
        ("SECRET_KEY", SECRET_KEY),
        ("ALLOWED_HOSTS", ALLOWED_HOSTS),
        ("WAGTAILADMIN_BASE_URL", WAGTAILADMIN_BASE_URL),
    )
    if not value
]
if _missing:
    raise ImproperlyConfigured(
        "Production settings need these environment variables: "
        + ", ".join(_missing)
        + " (see .env.example)."
    )
# Readers follow these links from their mail: a local address is a mistake.
if urlsplit(WAGTAILADMIN_BASE_URL).hostname in ("localhost", "127.0.0.1", "::1"):
    raise ImproperlyConfigured(
        f"WAGTAILADMIN_BASE_URL is {WAGTAILADMIN_BASE_URL}: every link in the "
        "newsroom's e-mails (alerts, unsubscribe, embargo links) would lead "
        "readers there. Set it to the public site's address, e.g. "
        "https://newsroom.example.org."
    )

# The same rule as Django's `check --deploy` (security.W009), enforced at start:
# the key signs sessions, password resets and journalists' embargo links.
if (
    SECRET_KEY == "change-me"  # noqa: S105 (the placeholder in .env.example)
    or SECRET_KEY.startswith("django-insecure-")
    or len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "SECRET_KEY is the example value or too weak: use at least 50 random "
        "characters, for example the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True

# HSTS for subdomains and preloading are off unless asked for (see base.py):
# their deploy warnings are then a decision, not an oversight.
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]

if SENTRY_DSN:
    from newsroom.error_reports import start_sentry

    start_sentry(SENTRY_DSN, SENTRY_ENVIRONMENT)
