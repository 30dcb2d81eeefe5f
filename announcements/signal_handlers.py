"""Wires the newsroom's rules to Django's and Wagtail's signals."""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.search.backends import get_search_backend
from wagtail.signals import page_published, page_unpublished, post_page_move

from django_tasks import task

from newsroom.tasks import BACKEND, enqueue_on_commit

from . import feeds, page_cache, redirects
from .models import (
    AnnouncementPage,
    GlossaryTerm,
    Institution,
    LaySummary,
    Organisation,
    RegistrySnapshot,
    Trial,
)
from .models.base import NewsroomPage


def register():
    for kind in (*AnnouncementPage.page_types(), LaySummary):
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
        # Public content changes when a page goes live (a translation edit or
        # a renamed page is a publication, the scheduler's embargo lift too),
        # is withdrawn or moves; Wagtail sends these with the page's own type.
        # Every cached page, feed and sitemap page then expires.
        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(
                page_cache.public_content_changed,
                sender=page_type,
                dispatch_uid=f"newsroom-public-{page_type.__name__}",
            )
    # Deleting a page of any type deletes its ``Page`` row.
    post_delete.connect(
        page_cache.public_content_changed,
        sender=Page,
        dispatch_uid="newsroom-public-deleted-Page",
    )
    # What live pages show of other things: organisations (names, logos), the
    # institution heading every page, a trial's registry record (read from
    # ClinicalTrials.gov, public as the registry is), documents and images they carry,
    # the glossary's definitions on lay summaries; privacy settings hide a
    # subtree; redirects lead old addresses; a site's host or root page
    # changes every URL.
    for model in (
        Organisation,
        GlossaryTerm,
        Institution,
        RegistrySnapshot,
        get_document_model(),
        get_image_model(),
        Redirect,
        PageViewRestriction,
        Site,
    ):
        for signal in (post_save, post_delete):
            signal.connect(
                page_cache.public_content_changed,
                sender=model,
                dispatch_uid=f"newsroom-public-{model.__name__}",
            )
    # A lay summary is its parent trial's, wherever it is moved.
    post_page_move.connect(
        lay_summary_moved, sender=LaySummary, dispatch_uid="newsroom-lay-summary-moved"
    )
    # Items are found by their trial's words only while the trial is live.
    for signal in (page_published, page_unpublished):
        signal.connect(trial_changed, sender=Trial, dispatch_uid="newsroom-trial-words")


def lay_summary_moved(sender, instance, parent_page_after, **kwargs):
    LaySummary.objects.filter(pk=instance.pk).update(trial_id=parent_page_after.pk)


REINDEX_BATCH = 500


def trial_changed(sender, instance, **kwargs):
    """A trial went live, changed or was withdrawn: its items are indexed
    again (``AnnouncementPage.public_trial_words``), off the request."""
    enqueue_on_commit(reindex_items_of, instance.pk)


@task(backend=BACKEND)
def reindex_items_of(trial_id):
    """Index again the releases and statements about a trial, in batches."""
    backend = get_search_backend()
    for kind in AnnouncementPage.page_types():
        batch = []
        items = kind.objects.filter(trial_id=trial_id).select_related("trial")
        for item in items.iterator(chunk_size=REINDEX_BATCH):
            batch.append(item)
            if len(batch) == REINDEX_BATCH:
                backend.add_bulk(kind, batch)
                batch = []
        if batch:
            backend.add_bulk(kind, batch)
