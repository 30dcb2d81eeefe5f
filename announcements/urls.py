"""Public, non-page URLs of the newsroom (mounted under each language prefix).

An identifier in an address has its shape checked here: a malformed NCT number
or embargo token is a 404 before any query.
"""

from django.urls import include, path, register_converter
from django.urls.converters import StringConverter
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import alerts, api, embargo, feeds, press_kit, vcards
from .feeds import (
    AnnouncementsFeed,
    PositionsFeed,
    ReleasesFeed,
    TrialFeed,
    feed_view,
)
from .models import AlertSubscription, EmbargoPreviewLink
from .validators import REGISTRY_ID_PATTERN
from .views import SearchView, SubscribeView


class RegistryIdConverter(StringConverter):
    regex = REGISTRY_ID_PATTERN


class PreviewTokenConverter(StringConverter):
    regex = EmbargoPreviewLink.TOKEN_PATTERN


class AlertTokenConverter(StringConverter):
    regex = AlertSubscription.TOKEN_PATTERN


register_converter(RegistryIdConverter, "registry_id")
register_converter(AlertTokenConverter, "alert_token")
register_converter(PreviewTokenConverter, "preview_token")

# Feed addresses are in the site's language: /fr/flux/communiques/,
# /en/rss/releases/.
feed_patterns = (
    [
        path("", feed_view(AnnouncementsFeed()), name="announcements"),
        path("feed.xsl", feeds.stylesheet, name="stylesheet"),
        path(
            pgettext_lazy("feed path", "releases/"),
            feed_view(ReleasesFeed()),
            name="releases",
        ),
        path(
            pgettext_lazy("feed path", "statements/"),
            feed_view(PositionsFeed()),
            name="positions",
        ),
        path(
            pgettext_lazy("feed path", "trials/<registry_id:registry_id>/"),
            feed_view(TrialFeed()),
            name="trial",
        ),
    ],
    "feeds",
)

urlpatterns = [
    path("api/v2/", api.localized_router.urls),
    path(pgettext_lazy("feed path", "rss/"), include(feed_patterns)),
    # The French feeds' first, English addresses, for their subscribers.
    path("rss/", feeds.moved, name="moved_feed"),
    path("rss/releases/", feeds.moved, {"name": "releases"}),
    path("rss/statements/", feeds.moved, {"name": "positions"}),
    path("rss/trials/<registry_id:registry_id>/", feeds.moved, {"name": "trial"}),
    path(_("subscribe/"), SubscribeView.as_view(), name="subscribe"),
    path(_("search/"), SearchView.as_view(), name="search"),
    path(
        pgettext_lazy("alerts path", "alerts/"),
        alerts.subscribe,
        name="alert_subscribe",
    ),
    path(
        pgettext_lazy("alerts path", "alerts/confirm/<alert_token:token>/"),
        alerts.confirm,
        name="alert_confirm",
    ),
    path(
        pgettext_lazy("alerts path", "alerts/stop/<alert_token:token>/"),
        alerts.unsubscribe,
        name="alert_unsubscribe",
    ),
    path(
        _("press-kit/<int:release_id>.zip"),
        press_kit.release_kit,
        name="press_kit",
    ),
    path("vcard/<int:contact_id>.vcf", vcards.contact_vcard, name="contact_vcard"),
    path("embargo/<preview_token:token>/", embargo.preview, name="embargo_preview"),
    path(
        "embargo/<preview_token:token>/documents/<int:document_id>/",
        embargo.preview_document,
        name="embargo_preview_document",
    ),
    path(
        "embargo/<preview_token:token>/press-kit.zip",
        press_kit.embargoed_release_kit,
        name="embargo_press_kit",
    ),
]
