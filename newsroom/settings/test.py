"""Test settings: fast hashing, no manifest, local memory cache."""

from .dev import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
MEDIA_ROOT = BASE_DIR / "media-test"  # noqa: F405
