"""Public, non-page URLs of the newsroom (mounted under each language prefix).

An identifier in an address has its shape checked here: a malformed NCT number
or embargo token is a 404 before any query.
"""

from django.urls import include, path, register_converter
from django.urls.converters import StringConverter
from django.utils.translation import gettext_lazy as _

from . import embargo
from .feeds import (
    AnnouncementsFeed,
    PositionsFeed,
    ReleasesFeed,
    TrialFeed,
    feed_view,
)
from .models import EmbargoPreviewLink
from .validators import REGISTRY_ID_PATTERN
from .views import CorrectionsView, SearchView, SubscribeView


class RegistryIdConverter(StringConverter):
    regex = REGISTRY_ID_PATTERN


class PreviewTokenConverter(StringConverter):
    regex = EmbargoPreviewLink.TOKEN_PATTERN


register_converter(RegistryIdConverter, "registry_id")
register_converter(PreviewTokenConverter, "preview_token")

feed_patterns = (
    [
        path("", feed_view(AnnouncementsFeed()), name="announcements"),
        path("releases/", feed_view(ReleasesFeed()), name="releases"),
        path("statements/", feed_view(PositionsFeed()), name="positions"),
        path(
            "trials/<registry_id:registry_id>/",
            feed_view(TrialFeed()),
            name="trial",
        ),
    ],
    "feeds",
)

urlpatterns = [
    path("rss/", include(feed_patterns)),
    path(_("subscribe/"), SubscribeView.as_view(), name="subscribe"),
    path(_("search/"), SearchView.as_view(), name="search"),
    path(_("corrections/"), CorrectionsView.as_view(), name="corrections"),
    path("embargo/<preview_token:token>/", embargo.preview, name="embargo_preview"),
    path(
        "embargo/<preview_token:token>/documents/<int:document_id>/",
        embargo.preview_document,
        name="embargo_preview_document",
    ),
]
