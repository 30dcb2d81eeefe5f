"""Wires the newsroom's rules to Django's and Wagtail's signals."""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import alerts, feeds, redirects, sitemaps
from .models import AnnouncementPage
from .models.base import NewsroomPage


def register():
    for kind in AnnouncementPage.page_types():
        # E-mail alerts go out when an item first goes live.
        page_published.connect(
            alerts.on_published,
            sender=kind,
            dispatch_uid=f"newsroom-alerts-{kind.__name__}",
        )
        pre_delete.connect(
            feeds.note_withdrawal,
            sender=kind,
            dispatch_uid=f"newsroom-withdrawn-{kind.__name__}",
        )
    # Wagtail saves moved pages as plain ``Page`` objects.
    for page_type in (Page, *NewsroomPage.page_types()):
        pre_save.connect(
            redirects.note_translated_paths,
            sender=page_type,
            dispatch_uid=f"newsroom-note-paths-{page_type.__name__}",
        )
        post_save.connect(
            redirects.redirect_old_translated_paths,
            sender=page_type,
            dispatch_uid=f"newsroom-redirects-{page_type.__name__}",
        )
        # What the sitemap lists changes when a page goes live (a renamed
        # page included), is withdrawn or moves; Wagtail sends these with
        # the page's own type.
        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(
                sitemaps.expire_cached_sitemap,
                sender=page_type,
                dispatch_uid=f"newsroom-sitemap-{page_type.__name__}",
            )
    # Deleting a page of any type deletes its ``Page`` row.
    post_delete.connect(
        sitemaps.expire_cached_sitemap,
        sender=Page,
        dispatch_uid="newsroom-sitemap-deleted-Page",
    )
    # A privacy setting hides a page and its subtree; a site's host or root
    # page changes every URL.
    for model in (PageViewRestriction, Site):
        for signal in (post_save, post_delete):
            signal.connect(
                sitemaps.expire_cached_sitemap,
                sender=model,
                dispatch_uid=f"newsroom-sitemap-{model.__name__}",
            )
