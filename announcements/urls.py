"""Public, non-page URLs of the newsroom (mounted under each language prefix)."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import embargo
from .feeds import (
    AnnouncementsFeed,
    PositionsFeed,
    ReleasesFeed,
    TrialFeed,
    feed_view,
)
from .views import SearchView, SubscribeView

feed_patterns = (
    [
        path("", feed_view(AnnouncementsFeed()), name="announcements"),
        path("releases/", feed_view(ReleasesFeed()), name="releases"),
        path("statements/", feed_view(PositionsFeed()), name="positions"),
        path(
            "trials/<str:registry_id>/",
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
    path("embargo/<str:token>/", embargo.preview, name="embargo_preview"),
    path(
        "embargo/<str:token>/documents/<int:document_id>/",
        embargo.preview_document,
        name="embargo_preview_document",
    ),
]
