"""Public, non-page URLs of the newsroom (mounted under each language prefix).

An identifier in an address has its shape checked here: a malformed NCT number
is a 404 before any query (the press area and alerts check their tokens in
their own URLs).
"""

from django.urls import include, path, register_converter
from django.urls.converters import StringConverter
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import api, calendars, feeds, press_kit, vcards
from .feeds import (
    AnnouncementsFeed,
    PositionsFeed,
    ReleasesFeed,
    TrialFeed,
    feed_view,
)
from .validators import REGISTRY_ID_PATTERN
from .views import CorrectionsView, SearchView, share_card, share_logo


class RegistryIdConverter(StringConverter):
    regex = REGISTRY_ID_PATTERN


register_converter(RegistryIdConverter, "registry_id")

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
    path(_("calendar.ics"), calendars.site_calendar, name="calendar"),
    path(
        format_lazy("{}<registry_id:registry_id>.ics", _("calendar/")),
        calendars.trial_calendar,
        name="trial_calendar",
    ),
    path(_("search/"), SearchView.as_view(), name="search"),
    path("share/<int:page_id>-<int:revision_id>.png", share_card, name="share_card"),
    path("share/logo.png", share_logo, name="share_logo"),
    path(
        _("press-kit/<int:release_id>.zip"),
        press_kit.release_kit,
        name="press_kit",
    ),
    path("vcard/<int:contact_id>.vcf", vcards.contact_vcard, name="contact_vcard"),
    path(_("corrections/"), CorrectionsView.as_view(), name="corrections"),
    path(
        format_lazy("{}<registry_id:registry_id>/", _("corrections/")),
        CorrectionsView.as_view(),
        name="trial_corrections",
    ),
]
