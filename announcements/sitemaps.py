"""The sitemap: an index of small, cached sitemap pages.

``/sitemap.xml`` is an index (Django's view, through Wagtail's, which hands
the request to Wagtail's sitemap). It lists ``/sitemap-pages.xml`` page by
page, Wagtail's pages, each page type giving its own entries
(``NewsroomPage.get_sitemap_urls``), and ``/sitemap-views.xml``, the public
pages that are views (the Subscribe page).

Building a sitemap page of a thousand pages takes a second, so the index and
each sitemap page are kept in Django's cache under a key holding the public
content version (``content_version``): any public change (publishing,
unpublishing, moving or deleting a page; a renamed page is published) takes a
new version, so the next request rebuilds what it asks for. A reader that
accepts gzip gets, and the cache keeps, the compressed answer: a sitemap page
of two thousand addresses is not compressed again for each request. When the
cache fails the sitemap is built for each request, as before.
"""

from functools import wraps

from django.core.cache import cache
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.contrib.sitemaps import views as wagtail_views

from . import content_version, languages, page_cache
from .models.announcement import corrections_about
from .models.base import outside_privacy_settings
from .models.lay_summaries import not_a_hidden_trials_summary
from .seo import view_urls

# The server-side copy is dropped at the next publication (see
# ``content_version.new_version``); clients and proxies may keep theirs five minutes.
CLIENT_MAX_AGE = 300
# A backstop only: a cache local to one process (LocMem, the default) never
# hears of a publication made by another process (another gunicorn worker,
# the cron scheduler), so its copies also expire after this long.
CACHE_TIMEOUT = 15 * 60


class PageSitemap(WagtailSitemap):
    # Pages per sitemap page, not URLs: each page gives one URL per language
    # it is offered in, so a sitemap page holds at most about 2,000 URLs
    # (the protocol allows 50,000), small enough to build in about a second.
    limit = 1000

    def items(self):
        """Wagtail's, with the privacy settings and the lay summaries' trials
        read in the same query."""
        return (
            self.get_wagtail_site()
            .root_page.get_descendants(inclusive=True)
            .live()
            .filter(outside_privacy_settings(), not_a_hidden_trials_summary())
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def get_latest_lastmod(self):
        """For the index, in one query rather than by loading every page."""
        return (
            self.items()
            .order_by()
            .aggregate(
                latest=Max(Coalesce("last_published_at", "latest_revision_created_at"))
            )["latest"]
        )


class ViewSitemap(WagtailSitemap):
    """The public pages that are views, in both languages, with the
    alternates their ``<head>`` declares (``seo.view_metadata``): the
    Subscribe page, the corrections and each corrected trial's corrections.
    Wagtail's sitemap for the request's site, not its pages."""

    def lastmod(self, item):
        return None

    def get_latest_lastmod(self):
        return None

    def items(self):
        trials = sorted(
            {
                correction.page.trial.registry_id
                for correction in corrections_about(site=self.get_wagtail_site())
                if correction.page.public_trial
            }
        )
        return [
            ("subscribe", ()),
            ("corrections", ()),
            *(("trial_corrections", (registry_id,)) for registry_id in trials),
        ]

    def get_urls(self, page=1, site=None, protocol=None):
        self.paginator.page(page)  # a page past the last one is not found
        base = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        urls = []
        for name, args in self.items():
            alternates = view_urls(name, lambda path: base + path, args)
            links = [
                {"lang_code": code, "location": url} for code, url in alternates.items()
            ]
            links.append(
                {"lang_code": "x-default", "location": alternates[languages.DEFAULT]}
            )
            urls += [
                {"item": name, "location": url, "alternates": links}
                for url in alternates.values()
            ]
        return urls


SITEMAPS = {"pages": PageSitemap, "views": ViewSitemap}


def _cache_key(request):
    page = request.GET.get("p", "1")
    if not page.isdigit():
        return None  # not a sitemap page: the view answers 404
    current = content_version.version()
    if current is None:
        return None  # the cache fails: built for this request
    encoding = "gzip" if page_cache.accepts_gzip(request) else "plain"
    # Host and scheme, not the reader's language: the sitemap is the same in
    # every language.
    return (
        f"sitemap:{current}:{encoding}:{request.scheme}://{request.get_host()}"
        f"{request.path}?p={int(page)}"
    )


# Django's own compression, applied before the copy is kept (the site-wide
# GZipMiddleware leaves an answer that is already compressed alone).
_compress = GZipMiddleware(lambda request: None).process_response


def cached(view):
    """Serve ``view``'s answer from the cache; build it when it is missing
    or when the cache fails."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key = _cache_key(request)
        hit = cache.get(key) if key else None
        if hit is not None:
            content, headers = hit
            return HttpResponse(content, headers=headers)
        response = view(request, *args, **kwargs)
        if key and response.status_code == 200:
            response.render()
            response = _compress(request, response)
            cache.set(key, (response.content, dict(response.items())), CACHE_TIMEOUT)
        return response

    return wrapper


@require_safe
@cache_control(public=True, max_age=CLIENT_MAX_AGE)
@cached
def index(request):
    return wagtail_views.index(request, SITEMAPS, sitemap_url_name="sitemap")


@require_safe
@cache_control(public=True, max_age=CLIENT_MAX_AGE)
@cached
def sitemap(request, section):
    return wagtail_views.sitemap(request, SITEMAPS, section=section)
