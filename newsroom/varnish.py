"""Varnish in front of the app servers, emptied after each public change.

A ``wagtail.contrib.frontend_cache`` backend (``WAGTAILFRONTENDCACHE``, set
from ``VARNISH_URL``): any purge it is asked for is one ``BAN`` request to
Varnish's purge address, which ``deploy/varnish/newsroom.vcl`` turns into a
ban of every cached object. A publication shows on many addresses (its own
in both languages, listings and their pages, the home page, the trial page,
feeds, the sitemap, calendars, the API, search results), as the app's page
cache knows: it expires everything at once (``announcements.page_cache``),
and so does Varnish.

A ban that fails (Varnish down or slow) is logged as an error and never
stops the publication: Varnish then serves what it has until its copies
expire (``VARNISH_CACHE_SECONDS``).
"""

import http.client
import logging
import urllib.request

from wagtail.contrib.frontend_cache.backends.base import BaseBackend

logger = logging.getLogger(__name__)
# A publication waits at most this long for Varnish.
TIMEOUT_SECONDS = 5


class BanRequest(urllib.request.Request):
    def get_method(self):
        return "BAN"


class VarnishBanBackend(BaseBackend):
    """Bans everything Varnish keeps, whatever the addresses given."""

    def __init__(self, params):
        super().__init__(params)
        self.location = params["LOCATION"].rstrip("/") + "/"

    def purge(self, url):
        self.purge_batch([url])

    def purge_batch(self, urls):
        try:
            with urllib.request.urlopen(  # noqa: S310 (the configured address)
                BanRequest(self.location), timeout=TIMEOUT_SECONDS
            ):
                pass
        except (OSError, http.client.HTTPException) as error:
            logger.error(
                "Varnish at %s did not ban its copies (%s): it serves them "
                "until they expire",
                self.location,
                error,
            )
