"""Varnish in front of the app servers, emptied after each public change.

A ``wagtail.contrib.frontend_cache`` backend (``WAGTAILFRONTENDCACHE``, set
from ``VARNISH_URL``): any purge it is asked for is one ``BAN`` request to
Varnish's purge address, which ``deploy/varnish/newsroom.vcl`` turns into a
ban of every cached object. A publication shows on many addresses (its own
in both languages, listings and their pages, the home page, the trial page,
feeds, the sitemap, calendars, the API, search results), as the app's page
cache knows: it expires everything at once (``announcements.page_cache``),
and so does Varnish.

A ban that fails (Varnish's purge address unreachable or slow) is logged as
an error and never stops the publication; the worker sends it again
(``ban_again``), at the configured address, until Varnish takes it or the
copies it would have banned have expired (``VARNISH_CACHE_SECONDS``).
Every ban bans everything, so through an outage only the newest failure's
retry is sent: an older one finds it waiting and stops, and the worker is
not held (up to ``TIMEOUT_SECONDS`` each) by one retry per change, ahead of
the alerts.
"""

import datetime
import logging

from django.conf import settings
from django.utils import timezone

from wagtail.contrib.frontend_cache.backends.base import BaseBackend
from wagtail.contrib.frontend_cache.utils import get_backends

import requests
from django_tasks import task

from .tasks import BACKEND, retry_delay, retry_later, waiting

logger = logging.getLogger(__name__)
# A publication waits at most this long for Varnish.
TIMEOUT_SECONDS = 5


class VarnishBanBackend(BaseBackend):
    """Bans everything Varnish keeps, whatever the addresses given."""

    def __init__(self, params):
        super().__init__(params)
        self.location = params["LOCATION"].rstrip("/") + "/"

    def purge(self, url):
        self.purge_batch([url])

    def purge_batch(self, urls):
        if not self.ban():
            failed_at = timezone.now()
            ban_again.using(run_after=failed_at + retry_delay(1)).enqueue(
                failed_at.isoformat()
            )

    def ban(self):
        """Sends the ban; whether Varnish took it."""
        try:
            requests.request(
                "BAN", self.location, timeout=TIMEOUT_SECONDS
            ).raise_for_status()
            return True
        except requests.RequestException as error:
            logger.error(
                "Varnish at %s did not ban its copies (%s): the worker tries again",
                self.location,
                error,
            )
            return False


@task(backend=BACKEND)
def ban_again(failed_at, attempt=1):
    """The ban of a public change that Varnish did not take, sent again to
    each Varnish configured now; tried later while one refuses it, until the
    copies it was to ban have expired. A newer failure's retry, waiting,
    bans as much and for longer: this one leaves it to it."""
    failed = datetime.datetime.fromisoformat(failed_at)
    if any(
        datetime.datetime.fromisoformat(newer["args"][0]) > failed
        for newer in waiting(ban_again).values_list("args_kwargs", flat=True)
    ):
        return False
    refused = [
        backend
        for backend in get_backends().values()
        if isinstance(backend, VarnishBanBackend) and not backend.ban()
    ]
    if not refused:
        return True
    expired = failed + datetime.timedelta(seconds=settings.VARNISH_CACHE_SECONDS)
    if timezone.now() >= expired:
        logger.error(
            "Varnish never took the ban of a change made at %s; the copies "
            "it was to ban have expired since",
            failed_at,
        )
        return False
    retry_later(ban_again, attempt, failed_at)
    return False
