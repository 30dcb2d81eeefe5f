"""The production settings for the two-app-server test: only the static files
change, served by WhiteNoise from the source folders instead of a collected
manifest, so that the test needs no ``collectstatic``."""

from newsroom.settings.production import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "newsroom.storage.UnguessableImageStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
