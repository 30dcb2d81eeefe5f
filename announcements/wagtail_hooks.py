from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .embargo import document_is_readable
from .feeds import WITHDRAWN
from .models import EmbargoPreviewLink, Organisation
from .review import ReviewedIndexPage, is_publisher, is_reviewed
from .scheduling import FAILED_ACTION, FAILED_ACTION_LABEL


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "kind", "website"]
    list_filter = ["kind"]
    search_fields = ["name_fr", "name_en"]


register_snippet(OrganisationViewSet)


@hooks.register("before_serve_document")
def keep_embargoed_documents_private(document, request):
    # Editors and reviewers may open them; the public gets a 404 until the
    # release they belong to is live.
    if request.user.has_perm("wagtailadmin.access_admin"):
        return None
    if not document_is_readable(document, request):
        raise Http404
    return None


class EmbargoPreviewLinkViewSet(ModelViewSet):
    """Secret links journalists use to read an embargoed item early.
    Deleting a link revokes it at once."""

    model = EmbargoPreviewLink
    icon = "link"
    menu_label = _("Embargo links")
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["page", "label", "expires_at", "french_link", "english_link"]
    copy_view_enabled = False
    inspect_view_enabled = False


@hooks.register("register_admin_viewset")
def register_embargo_links():
    return EmbargoPreviewLinkViewSet("embargo_links")


@hooks.register("before_edit_page")
@hooks.register("before_create_page")
def publish_only_through_review(request, *args):
    """Anyone but a publisher who clicks "publish" on a release, statement or
    trial saves a draft instead, so nothing they wrote is lost; it goes
    public through review (``announcements.review``)."""
    if request.method != "POST" or not request.POST.get("action-publish"):
        return None
    model = args[-1] if isinstance(args[-1], type) else args[0]
    if is_reviewed(model) and not is_publisher(request.user):
        data = request.POST.copy()
        del data["action-publish"]
        request.POST = data
    return None


@hooks.register("construct_page_action_menu")
def hide_direct_publish(menu_items, request, context):
    page = context.get("page")
    parent = context.get("parent_page")
    reviewed = (page is not None and is_reviewed(page)) or (
        page is None
        and parent is not None
        and isinstance(parent.specific, ReviewedIndexPage)
    )
    if reviewed and not is_publisher(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


@hooks.register("before_bulk_action")
def bulk_publish_only_through_review(request, action_type, objects, action):
    """The bulk "Publish" door: refused, with the reason, for any release,
    statement or trial the user may not publish outside review."""
    if action_type != "publish" or is_publisher(request.user):
        return None
    refused = [page for page in objects if is_reviewed(page)]
    if not refused:
        return None
    messages.error(
        request,
        _(
            "Not published: %(titles)s. Releases, statements and trial records "
            "go public through their review; only publishers publish them directly."
        )
        % {"titles": ", ".join(str(page.title) for page in refused)},
    )
    return redirect(request.GET.get("next") or reverse("wagtailadmin_explore_root"))


@hooks.register("register_log_actions")
def register_scheduling_log_actions(actions):
    actions.register_action(
        WITHDRAWN, _("Withdrawn"), _("Withdrawn from the public site")
    )

    # A scheduled publication that failed shows in the page's history, with why.
    @actions.register_action(FAILED_ACTION)
    class ScheduledPublicationFailed(LogFormatter):
        label = FAILED_ACTION_LABEL

        def format_message(self, log_entry):
            return _("Scheduled publication failed, still scheduled: %(reason)s") % {
                "reason": log_entry.data.get("reason", "")
            }
