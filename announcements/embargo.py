"""Nothing of an embargoed item is public before its time.

The embargo is Wagtail's scheduled publishing: an approved revision with a
go-live time. This module holds what the newsroom adds to it: which items
are embargoed now, documents private until a live page carries them, and the
one way a request may read an embargoed item early (``EmbargoedReading``,
which the press area sets for the journalists it trusts). The scheduler that
lifts embargoes, publishing each approved revision once and dating a first
publication at its embargo, is ``announcements.scheduling``.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision

from .models import PartnerPosition, PressRelease, PressReleaseAttachment
from .scheduling import LIFT_LOG_ACTION


def still_to_come(page):
    """The go-live time of ``page`` (or of a revision's object) while it is
    still to come; else None."""
    go_live_at = getattr(page, "go_live_at", None)
    return go_live_at if go_live_at and go_live_at > timezone.now() else None


def embargoed_items():
    """Releases and statements approved and scheduled for their embargo, and
    not public yet: ``{page_id: embargo}``. Between the embargo time and the
    scheduler's run an item stays here, as it stays behind a journalist's
    link: nobody meets a gap in which it is neither."""
    scheduled = {
        int(object_id): embargo
        for object_id, embargo in Revision.page_revisions.filter(
            approved_go_live_at__isnull=False
        ).values_list("object_id", "approved_go_live_at")
    }
    if not scheduled:
        return {}
    types = ContentType.objects.get_for_models(PressRelease, PartnerPosition)
    page_ids = Page.objects.filter(
        pk__in=scheduled, live=False, content_type__in=types.values()
    ).values_list("pk", flat=True)
    return {pk: scheduled[pk] for pk in page_ids}


def lifted_items(since):
    """Releases and statements whose embargo the scheduler lifted since
    ``since`` and still public: ``{page_id: embargo}``."""
    types = ContentType.objects.get_for_models(PressRelease, PartnerPosition)
    lifts = PageLogEntry.objects.filter(
        action=LIFT_LOG_ACTION,
        timestamp__gte=since,
        content_type__in=types.values(),
        page__live=True,
    ).values_list("page_id", "page__go_live_at", "timestamp")
    return {pk: go_live_at or lifted for pk, go_live_at, lifted in lifts}


@dataclass(frozen=True)
class EmbargoedReading:
    """A request reading an embargoed item before its lift, by someone the
    press office trusts: the page is marked EMBARGOED UNTIL, never indexed,
    cached or given its public metadata."""

    until: datetime.datetime
    # The same reading's address in another language (the language links).
    url_in: Callable[[str], str]
    # The address of one of the item's attachments, through the same door.
    document_url: Callable[[int], str]
    # Where this reader gets the item's press kit, when it has one.
    press_kit_url: str = ""
    # The one attachment this request may download, when it serves one.
    document_id: int | None = None

    def start(self, request):
        request.embargoed_reading = self
        return self


def reading_of(request):
    """The ``EmbargoedReading`` this request is, or None (everyone else)."""
    return getattr(request, "embargoed_reading", None)


def document_is_public(document):
    """Only documents that a live page carries (attached, or linked from its
    live text) are served to the public: not those of drafts, of scheduled
    changes to a live release, nor documents attached to nothing yet."""
    page_ids = set(
        PressReleaseAttachment.objects.filter(document=document).values_list(
            "page_id", flat=True
        )
    )
    page_type = ContentType.objects.get_for_model(Page)
    page_ids |= {
        int(object_id)
        for object_id in ReferenceIndex.get_references_to(document)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    }
    return Page.objects.filter(pk__in=page_ids, live=True).exists()


def document_is_readable(document, request):
    """Public documents, and the attachment an embargoed reading opens."""
    reading = reading_of(request)
    return document_is_public(document) or (
        reading is not None and reading.document_id == document.pk
    )
