from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from announcements import api, sitemaps
from announcements.views import robots_txt
from newsroom.health import healthz

# Admin, documents and health checks are outside the language prefix; every
# public page lives under /fr/ or /en/, and / redirects by Accept-Language.
urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v2/", api.router.urls),
    path("sitemap.xml", sitemaps.index, name="sitemap_index"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("healthz", healthz, name="healthz"),
]

if settings.DEBUG:
    from django.urls import re_path
    from django.views.static import serve

    # Images only: documents go through Wagtail's view, which keeps embargoed
    # ones private. Production serves media/images the same way (README).
    urlpatterns += [
        re_path(
            r"^media/(?P<path>(?:images|original_images)/.+)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

urlpatterns += i18n_patterns(
    path("", include("announcements.urls")),
    path("", include("press.urls")),
    path("", include("alerts.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
