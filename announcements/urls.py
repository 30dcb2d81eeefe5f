"""Public, non-page URLs of the newsroom (mounted under each language prefix).

An identifier in an address has its shape checked here: a malformed NCT number
or embargo token is a 404 before any query.
"""

from django.urls import include, path, register_converter
from django.urls.converters import StringConverter
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import alerts, api, calendars, embargo, feeds, press, press_kit, vcards
from .feeds import (
    AnnouncementsFeed,
    PositionsFeed,
    ReleasesFeed,
    TrialFeed,
    feed_view,
)
from .models import AlertSubscription, EmbargoPreviewLink
from .validators import REGISTRY_ID_PATTERN
from .views import CorrectionsView, SearchView, SubscribeView


class RegistryIdConverter(StringConverter):
    regex = REGISTRY_ID_PATTERN


class PreviewTokenConverter(StringConverter):
    regex = EmbargoPreviewLink.TOKEN_PATTERN


class AlertTokenConverter(StringConverter):
    regex = AlertSubscription.TOKEN_PATTERN


class CalendarTokenConverter(StringConverter):
    regex = press.TOKEN_PATTERN


class SignInTokenConverter(StringConverter):
    regex = press.SIGN_IN_TOKEN_PATTERN


register_converter(RegistryIdConverter, "registry_id")
register_converter(AlertTokenConverter, "alert_token")
register_converter(PreviewTokenConverter, "preview_token")
register_converter(CalendarTokenConverter, "calendar_token")
register_converter(SignInTokenConverter, "sign_in_token")

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

# The press area (announcements.press): journalists' own pages, not the admin.
press_patterns = (
    [
        path("", press.index, name="index"),
        path(_("register/"), press.register, name="register"),
        path(_("sign-in/"), press.sign_in_view, name="sign_in"),
        path(
            format_lazy("{}<sign_in_token:token>/", _("sign-in/")),
            press.sign_in_with_link,
            name="sign_in_link",
        ),
        path(_("sign-out/"), press.sign_out, name="sign_out"),
        path("<int:page_id>/", press.item, name="item"),
        path(
            "<int:page_id>/documents/<int:document_id>/",
            press.item_document,
            name="document",
        ),
        path(
            format_lazy("{}<calendar_token:token>.ics", _("calendar/")),
            press.calendar,
            name="calendar",
        ),
    ],
    "press",
)

urlpatterns = [
    path("api/v2/", api.localized_router.urls),
    path(pgettext_lazy("feed path", "rss/"), include(feed_patterns)),
    # The French feeds' first, English addresses, for their subscribers.
    path("rss/", feeds.moved, name="moved_feed"),
    path("rss/releases/", feeds.moved, {"name": "releases"}),
    path("rss/statements/", feeds.moved, {"name": "positions"}),
    path("rss/trials/<registry_id:registry_id>/", feeds.moved, {"name": "trial"}),
    path(_("press/"), include(press_patterns)),
    path(_("calendar.ics"), calendars.site_calendar, name="calendar"),
    path(
        format_lazy("{}<registry_id:registry_id>.ics", _("calendar/")),
        calendars.trial_calendar,
        name="trial_calendar",
    ),
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
    path(_("corrections/"), CorrectionsView.as_view(), name="corrections"),
    path(
        format_lazy("{}<registry_id:registry_id>/", _("corrections/")),
        CorrectionsView.as_view(),
        name="trial_corrections",
    ),
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
