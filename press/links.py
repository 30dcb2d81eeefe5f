"""Journalists' secret links: an embargoed item, its attachments and its
press kit, for those given the link, until the lift; then the public page.

Each reading is logged (``press.access_log``). The links themselves are
``press.models.EmbargoPreviewLink``; the press office grants and revokes them
in the admin (``press.viewsets``). A link works at its item's newsroom's
address only.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve
from wagtail.models import Site

from announcements import press_kit
from announcements.embargo import EmbargoedReading, document_is_public
from announcements.models import PressRelease
from announcements.teams import in_newsroom

from . import access_log
from .models import EmbargoPreviewLink


class Lifted(Exception):
    """The item a journalist's link shows is public now."""

    def __init__(self, page):
        self.page = page


def _approved_for_link(request, token):
    """The link and the approved revision it shows; 404 when either is gone,
    or when the request is not at the item's newsroom.

    Between the embargo time and the scheduler's run the release is not live
    yet: the link keeps showing it. Once it is live, ``Lifted`` is raised."""
    link = (
        EmbargoPreviewLink.objects.usable()
        .filter(token=token)
        .select_related("page")
        .first()
    )
    site = Site.find_for_request(request)
    if link is None or site is None or not in_newsroom(site, link.page):
        raise Http404
    page = link.page.specific
    if page.live:
        raise Lifted(page)
    scheduled = page.scheduled_revision
    if scheduled is None:  # the schedule was cancelled since
        raise Http404
    return link, scheduled


def private(response):
    """Embargoed material: for this reader only, never indexed nor kept."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


def _reading(link, scheduled, document_id=None):
    kit = ""
    if issubclass(link.page.specific_class, PressRelease):
        kit = reverse("embargo_press_kit", args=(link.token,))
    return EmbargoedReading(
        until=scheduled.approved_go_live_at,
        url_in=link.url_in,
        document_url=lambda pk: reverse(
            "embargo_preview_document", args=(link.token, pk)
        ),
        press_kit_url=kit,
        document_id=document_id,
    )


def lifted_document(document_id):
    """An attachment's address once its item is public: its public file,
    whichever door a journalist kept (a link, the press area)."""
    document = get_object_or_404(get_document_model(), pk=document_id)
    if not document_is_public(document):
        raise Http404
    return redirect(document.url)


def kit_response(request, page, approved, **reader):
    """The embargoed press kit of ``approved`` (a release's approved
    revision), logged as a reading by ``reader`` (``link`` or
    ``journalist``) under the kit's file name."""
    if not isinstance(approved, PressRelease):
        raise Http404
    content = press_kit.build(approved, request)
    access_log.record(request, page, document=press_kit.zip_name(approved), **reader)
    return private(press_kit.zip_response(approved, content))


@require_GET
def preview(request, token):
    """An embargoed item for the journalists given this link, marked as such;
    once it is public, its public page."""
    try:
        link, scheduled = _approved_for_link(request, token)
    except Lifted as lifted:
        return redirect(lifted.page.get_url(request=request))
    # The approved text, as it will go live: not a later, unreviewed draft.
    approved = scheduled.as_object()
    _reading(link, scheduled).start(request)
    response = approved.serve(request)
    if hasattr(response, "render"):
        response.render()
    access_log.record(request, link.page, link=link)
    return private(response)


@require_GET
def preview_document(request, token, document_id):
    """An attachment of the release a preview link shows, and nothing else."""
    try:
        link, scheduled = _approved_for_link(request, token)
    except Lifted:
        return lifted_document(document_id)
    attachments = getattr(scheduled.as_object(), "attachments", None)
    if attachments is None or document_id not in {
        attachment.document_id for attachment in attachments.all()
    }:
        raise Http404
    document = get_object_or_404(get_document_model(), pk=document_id)
    _reading(link, scheduled, document_id=document.pk).start(request)
    access_log.record(request, link.page, link=link, document=document)
    return private(serve(request, document.pk, document.filename))


@require_GET
def press_kit_view(request, token):
    """The press kit of the release an embargo link shows: its approved
    revision, marked as embargoed, for those given the link only; once the
    release is live, its public kit."""
    try:
        link, scheduled = _approved_for_link(request, token)
    except Lifted as lifted:
        return redirect("press_kit", release_id=lifted.page.pk)
    _reading(link, scheduled).start(request)
    return kit_response(request, link.page, scheduled.as_object(), link=link)
