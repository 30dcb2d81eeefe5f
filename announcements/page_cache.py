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

A caching proxy or CDN in front (``FRONTEND_CACHE_PURGE_URL``, off by
default) is asked through ``wagtail.contrib.frontend_cache`` to purge the
changed page's addresses and the entry points (home, section pages, feeds,
sitemap) after each public change.
"""

import hashlib
import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe
from django.utils.translation import get_language_from_path

from . import embargo, languages
from .content_version import new_version, version

logger = logging.getLogger(__name__)

# Cookies that mean the answer may be someone's own: a session (logged in,
# a page's password given) or messages waiting to be shown.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
NEVER_STORED = re.compile(r"\b(private|no-store|no-cache)\b", re.IGNORECASE)
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


# Invalidation ---------------------------------------------------------------


def public_content_changed(sender=None, instance=None, **kwargs):
    """Signal handler: public content changed. Once the change is committed,
    so that no request rebuilds a page from the old content under the new
    version; a rolled-back change expires nothing."""
    urls = _page_urls(instance)
    transaction.on_commit(lambda: _expire(urls))


def _expire(page_urls=()):
    new_version()
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        _purge_frontend_cache(page_urls)


def _page_urls(instance):
    """The addresses of a changed page, read while it still has them (a
    deleted page has none after the commit)."""
    alternate_urls = getattr(instance, "alternate_urls", None)
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None) or alternate_urls is None:
        return ()
    try:
        return tuple(alternate_urls().values())
    except Exception:
        return ()  # a page without an address: nothing of it to purge


def _purge_frontend_cache(page_urls):
    """Purge the proxy's copies of the changed page and the entry points."""
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
    from wagtail.models import Site

    urls = set(page_urls)
    try:
        for site in Site.objects.select_related("root_page"):
            base = site.root_url.rstrip("/")
            home = site.root_page.specific
            urls.add(f"{base}{reverse('sitemap_index')}")
            for code in languages.CODES:
                with translation.override(code):
                    urls.update(
                        page.full_url
                        for page in [home, *home.get_children().live()]
                        if page.full_url
                    )
                    urls.update(
                        f"{base}{reverse(name)}"
                        for name in (
                            "feeds:announcements",
                            "feeds:releases",
                            "feeds:positions",
                        )
                    )
        purge_urls_from_cache(sorted(urls))
    except Exception:
        logger.warning("Could not purge the front-end cache", exc_info=True)


# Serving --------------------------------------------------------------------


def _cache_key(request):
    """The key of this request's answer, or None when it must not be cached."""
    if request.method not in ("GET", "HEAD") or settings.PAGE_CACHE_SECONDS <= 0:
        return None
    language = get_language_from_path(request.path_info)
    if not language:
        return None  # admin, documents, sitemap, health: not public pages
    if request.path_info.startswith(f"/{language}/embargo/"):
        return None  # journalists' embargo links and their attachments
    if any(name in request.COOKIES for name in PERSONAL_COOKIES):
        return None
    if "HTTP_AUTHORIZATION" in request.META:
        return None
    current = version()
    if current is None:
        return None
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
    vary = {
        header.strip().lower() for header in response.get("Vary", "").split(",")
    } - {"", "accept-encoding", "sec-fetch-dest"}
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
    """Serves public pages and feeds from the cache for anonymous readers.

    Placed outside ``GZipMiddleware``: what is stored is the compressed
    answer, keyed by whether the reader accepts gzip.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = _cache_key(request)
        if key is not None:
            hit = cache.get(key)
            if hit is not None:
                return _from_cache(request, hit)
        response = self.get_response(request)
        if key is not None and request.method == "GET":
            if _storable(request, response):
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
                cache.set(
                    key,
                    (response.content, dict(response.items())),
                    settings.PAGE_CACHE_SECONDS,
                )
        return response
