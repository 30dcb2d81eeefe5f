"""Whole public pages kept in Django's cache for anonymous readers.

At an embargo lift readers, journalists and aggregators arrive in the same
minute; most of them ask for the same few pages. ``PageCacheMiddleware``
keeps each public answer (pages, listings, the trial page, search results,
feeds: everything under ``/fr/`` and ``/en/``) whole in the cache, under the
language, the full address and whether it is gzip-compressed, and serves it
again without touching the database.

Exact invalidation: every key holds the **public content version**, one
number in the cache. Any public change (a page published, scheduled and
lifted, unpublished, moved or deleted; an organisation, the institution, a
document, an image, a redirect, a privacy setting or a site changed) takes a
new number once its transaction is committed (``public_content_changed``,
wired in ``signal_handlers``), so the next request, in any process that
shares the cache, misses and builds the page from the new content. The
sitemap keeps its pages under the same number (``sitemaps``). With Redis
(production, ``REDIS_URL``) every gunicorn worker, every app server and the
scheduler's cron job share it; with local memory (development) only one
process sees its own changes, which is why the page cache is off there unless
``PAGE_CACHE_SECONDS`` says otherwise.

Never cached, never served from the cache: logged-in users and anyone with a
session (previews and the admin are under ``/admin/`` anyway), journalists'
embargo links, answers that set a cookie, vary on cookies, or say
``private``/``no-store``/``no-cache``, and anything but a 200.

A cache that fails (Redis down) is logged and skipped: pages are built for
each request, as without a cache, never an error.

Varnish in front (``VARNISH_URL``, ``deploy/varnish/newsroom.vcl``) keeps
the same answers, and only those: each carries ``s-maxage`` (so does the
sitemap), unless the public content version changed while it was built (it
may hold the old content, and the ban may already have been sent). Every
public change bans Varnish's copies once committed, through
``wagtail.contrib.frontend_cache`` (``newsroom.varnish``), just after the
version is replaced.
"""

import datetime
import hashlib
import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import parse_http_date_safe
from django.utils.translation import get_language_from_path

from django_tasks import TaskResultStatus, task

from newsroom.tasks import BACKEND, runs, waiting

from . import embargo
from .content_version import new_version, version

logger = logging.getLogger(__name__)

# Cookies that mean the answer may be someone's own: a session (logged in,
# a page's password given) or messages waiting to be shown.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
NEVER_STORED = re.compile(r"\b(private|no-store|no-cache)\b", re.IGNORECASE)
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
SITEMAP_PATH = "/sitemap"
# The worker's first wait before telling the cache again of a change it
# missed; it doubles up to a minute.
EXPIRY_RETRY_SECONDS = 5


# Invalidation ---------------------------------------------------------------


def public_content_changed(sender=None, **kwargs):
    """Signal handler: public content changed. Once the change is committed,
    so that no request rebuilds a page from the old content under the new
    version; a rolled-back change expires nothing."""
    transaction.on_commit(_expire)


def _expire():
    if not new_version():
        logger.error(
            "Public content changed but the cache could not be told: the worker "
            "tries again until it can (pages may be stale until then)"
        )
        # A new version covers every change before it: through an outage one
        # retry waits, not one per change.
        if not waiting(expire_public_content).exists():
            expire_public_content.using(run_after=_retry_time(1)).enqueue(attempt=2)
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        _purge_frontend_cache()


def _retry_time(attempt):
    delay = min(EXPIRY_RETRY_SECONDS * 2 ** (attempt - 1), 60)
    return timezone.now() + datetime.timedelta(seconds=delay)


@task(backend=BACKEND)
def expire_public_content(attempt=1):
    """A new public content version, after a change the cache did not hear of
    (it failed): tried every few seconds, then every minute, until it takes.
    ``/healthz`` reports the cache as stale meanwhile (``expiry_pending``)."""
    if new_version():
        logger.info("The cache heard of the public change at attempt %s", attempt)
        return
    expire_public_content.using(run_after=_retry_time(attempt)).enqueue(
        attempt=attempt + 1
    )


def expiry_pending():
    """Is a public change still waiting for the cache to hear of it?"""
    return runs(
        expire_public_content, TaskResultStatus.READY, TaskResultStatus.RUNNING
    ).exists()


def _purge_frontend_cache():
    """Varnish's copies go too: its backend bans everything it keeps
    (``newsroom.varnish``), for a change shows on more pages than its own."""
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    try:
        purge_urls_from_cache([f"{settings.WAGTAILADMIN_BASE_URL}/"])
    except Exception:
        logger.error("Could not purge the front-end cache", exc_info=True)


# Serving --------------------------------------------------------------------


def _public(request):
    """Does every anonymous reader get the same answer to this request, if
    the answer says so (``_storable``)? Public pages, listings, feeds and
    search, under ``/fr/`` or ``/en/``, and the sitemap; never the admin
    (outside the prefixes) nor journalists' embargo links."""
    if request.method not in ("GET", "HEAD"):
        return False
    if any(name in request.COOKIES for name in PERSONAL_COOKIES):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    path = request.path_info
    if path.startswith(SITEMAP_PATH):
        return True
    language = get_language_from_path(path)
    # Journalists' embargo links and their attachments.
    return bool(language) and not path.startswith(f"/{language}/embargo/")


def _cache_key(request, current):
    """The key of this request's answer under the version ``current``, or
    None when the page cache does not keep it."""
    if current is None:
        return None
    language = get_language_from_path(request.path_info)
    if not language:
        return None  # the sitemap keeps its own pages (``sitemaps``)
    gzip = accepts_gzip(request)
    # A feed opened in a browser is a page about the feed (feeds.feed_view).
    browser = request.headers.get("Sec-Fetch-Dest") == "document"
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return (
        f"page:{current}:{language}:{'gzip' if gzip else 'plain'}:"
        f"{'browser' if browser else 'other'}:{digest}"
    )


def accepts_gzip(request):
    return bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))


def _storable(request, response):
    """Only what every anonymous reader would get."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if NEVER_STORED.search(response.get("Cache-Control", "")):
        return False
    same_for_all = {"", "accept-encoding", "sec-fetch-dest"}
    if request.path_info.startswith(SITEMAP_PATH):
        # LocaleMiddleware's, outside the language prefixes: the sitemap is
        # the same in every language (``sitemaps``).
        same_for_all.add("accept-language")
    vary = {
        header.strip().lower() for header in response.get("Vary", "").split(",")
    } - same_for_all
    if vary:
        return False  # Cookie, Accept-Language, *: not the same for everyone
    if embargo.reading_of(request) is not None:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _from_cache(request, hit):
    content, headers = hit
    response = HttpResponse(content, headers=headers)
    response = get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
        response=response,
    )
    if request.method == "HEAD":
        response.content = b""
    return response


class PageCacheMiddleware:
    """Serves public pages and feeds from the cache for anonymous readers,
    and lets Varnish keep them.

    Placed outside the compression middleware: what is stored is the compressed
    answer, keyed by whether the reader accepts gzip.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        public = _public(request)
        sharing = public and settings.VARNISH_CACHE_SECONDS > 0
        caching = public and settings.PAGE_CACHE_SECONDS > 0
        current = version() if sharing or caching else None
        key = _cache_key(request, current) if caching else None
        hit = cache.get(key) if key is not None else None
        if hit is not None:
            response = _from_cache(request, hit)
            storable = True
        else:
            response = self.get_response(request)
            storable = (sharing or caching) and _storable(request, response)
            if key is not None and request.method == "GET" and storable:
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
                cache.set(
                    key,
                    (response.content, dict(response.items())),
                    settings.PAGE_CACHE_SECONDS,
                )
        if sharing and storable and version() == current:
            patch_cache_control(response, s_maxage=settings.VARNISH_CACHE_SECONDS)
        return response
