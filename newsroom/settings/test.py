"""Test settings: fast hashing, no manifest, local memory cache.

The login lockout is off here because Django's ``Client.login`` authenticates
without a request, which django-axes refuses; ``tests/test_login_lockout.py``
switches it on to test it.
"""

from .dev import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
MEDIA_ROOT = BASE_DIR / "media-test"  # noqa: F405
AXES_ENABLED = False
# The page cache is off as in development: a test's changes are never
# committed, so they would not expire it. tests/test_page_cache.py and the
# embargo tests turn it on (the ``page_cache_on`` fixture) and commit.
PAGE_CACHE_SECONDS = 0
