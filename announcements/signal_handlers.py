"""Wires the newsroom's rules to Django's and Wagtail's signals."""

from django.db.models.signals import post_save, pre_delete, pre_save

from wagtail.models import Page

from . import feeds, redirects
from .models import AnnouncementPage
from .models.base import NewsroomPage


def register():
    for kind in AnnouncementPage.page_types():
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
