"""Nothing of an embargoed item is public before its time.

The embargo is Wagtail's scheduled publishing: an approved revision with a
go-live time. This module holds what the newsroom adds to it: documents stay
private until a live page carries them, and journalists read the approved
text through a secret link. The scheduler that lifts embargoes, publishing
each approved revision once and dating a first publication at its embargo, is
``announcements.scheduling``.
"""

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET

from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve
from wagtail.models import Page, ReferenceIndex

from . import access_log
from .models import EmbargoPreviewLink, PressReleaseAttachment


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


class Lifted(Exception):
    """The item a journalist's link shows is public now."""

    def __init__(self, page):
        self.page = page


def _approved_for_link(token):
    """The link and the approved revision it shows; 404 when either is gone.

    Between the embargo time and the scheduler's run the release is not live
    yet: the link keeps showing it. Once it is live, ``Lifted`` is raised."""
    link = (
        EmbargoPreviewLink.objects.usable()
        .filter(token=token)
        .select_related("page")
        .first()
    )
    if link is None:
        raise Http404
    page = link.page.specific
    if page.live:
        raise Lifted(page)
    scheduled = page.scheduled_revision
    if scheduled is None:  # the schedule was cancelled since
        raise Http404
    return link, scheduled


def _no_store(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def preview(request, token):
    """An embargoed item for the journalists given this link, marked as such;
    once it is public, its public page."""
    try:
        link, scheduled = _approved_for_link(token)
    except Lifted as lifted:
        return redirect(lifted.page.get_url(request=request))
    # The approved text, as it will go live: not a later, unreviewed draft.
    approved = scheduled.as_object()
    request.embargo_preview = {"link": link, "until": scheduled.approved_go_live_at}
    response = approved.serve(request)
    if hasattr(response, "render"):
        response.render()
    access_log.record(request, link.page, link=link)
    return _no_store(response)


@require_GET
def preview_document(request, token, document_id):
    """An attachment of the release a preview link shows, and nothing else."""
    try:
        link, scheduled = _approved_for_link(token)
    except Lifted:
        document = get_object_or_404(get_document_model(), pk=document_id)
        if not document_is_public(document):
            raise Http404 from None
        return redirect(document.url)
    attachments = getattr(scheduled.as_object(), "attachments", None)
    if attachments is None or document_id not in {
        attachment.document_id for attachment in attachments.all()
    }:
        raise Http404
    document = get_object_or_404(get_document_model(), pk=document_id)
    request.embargo_preview_document = document.pk
    access_log.record(request, link.page, link=link, document=document)
    return _no_store(serve(request, document.pk, document.filename))


def document_is_readable(document, request):
    """Public documents, and the attachment a journalist's preview link opens."""
    return document_is_public(document) or (
        getattr(request, "embargo_preview_document", None) == document.pk
    )
