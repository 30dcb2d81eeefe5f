from django.http import Http404
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .embargo import document_is_embargoed
from .models import EmbargoPreviewLink, Organisation


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
    if document_is_embargoed(document):
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
