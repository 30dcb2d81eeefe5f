"""The press office's side of the press area, in the Wagtail admin.

- "Journalists": the review queue (pending requests first), with Approve,
  Refuse and Revoke, each confirmed and mailed to the journalist; the
  edit form opens every embargoed item or some, item by item.
- "Embargoed readings": the access log, per release or statement, read-only
  for everyone (an investigation's evidence is not edited).
- "Embargo links": secret links journalists use to read an embargoed item
  early; editors ask for one, communications reviewers and publishers grant
  and revoke them. Revoking or deleting a link stops it at once.

Communications reviewers and publishers hold these permissions
(``announcements.roles``); ``press.wagtail_hooks`` registers them. Each
listing, form, decision and export shows and acts on the user's own
newsrooms only (``teams.sites_of``): another newsroom's journalist, reading
or link is not found (``InOwnNewsrooms``).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic import CreateView, DeleteView, EditView
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import ListingButton
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy

import django_filters

from announcements.teams import pages_in, sites_of
from newsroom.exports import SafeExportIndexView

from .models import (
    GRANT_PERMISSION,
    AccessLog,
    EmbargoPreviewLink,
    Journalist,
)
from .views import send_decision

Status = Journalist.Status
# The journalists' viewset's name, and its URL namespace.
JOURNALISTS = "journalists"


def yes_or_no(name):
    """A column's accessor saying yes or no in the editor's language (Wagtail
    shows a boolean as "True")."""
    return lambda instance: gettext("Yes") if getattr(instance, name) else gettext("No")


def own(queryset, user):
    """What of ``queryset`` (journalists, readings, links) belongs to the
    newsrooms ``user`` works in; everything for a superuser, readings of a
    page and journalist both gone included."""
    if user.is_superuser:
        return queryset
    return queryset.in_newsrooms(sites_of(user))


class OwnListing:
    """A listing (and its exports) of the user's newsrooms' rows."""

    def get_base_queryset(self):
        return own(super().get_base_queryset(), self.request.user)


class OwnObject:
    """An edit or delete view: another newsroom's row is a 404."""

    def get_queryset(self):
        return own(self.model._default_manager.all(), self.request.user)


class OwnBaseObject:
    """A history or usage view: another newsroom's row is a 404."""

    def get_base_object_queryset(self):
        return own(super().get_base_object_queryset(), self.request.user)


class OwnEditView(OwnObject, EditView):
    pass


class OwnDeleteView(OwnObject, DeleteView):
    pass


class OwnHistoryView(OwnBaseObject, HistoryView):
    pass


class OwnUsageView(OwnBaseObject, UsageView):
    pass


class InOwnNewsrooms:
    """A viewset whose every view stops at the user's newsrooms (its index
    view is an ``OwnListing``)."""

    edit_view_class = OwnEditView
    delete_view_class = OwnDeleteView
    history_view_class = OwnHistoryView
    usage_view_class = OwnUsageView


# name: (label, the statuses it applies to, the status it sets, confirmation)
DECISIONS = {
    "approve": (
        _("Approve"),
        (Status.PENDING, Status.REFUSED, Status.REVOKED),
        Status.APPROVED,
        _(
            "Approve %(journalist)s? They receive an e-mail with a sign-in link "
            "and read the embargoed items you open to them."
        ),
    ),
    "refuse": (
        _("Refuse"),
        (Status.PENDING,),
        Status.REFUSED,
        _("Refuse %(journalist)s? They are told by e-mail."),
    ),
    "revoke": (
        _("Revoke access"),
        (Status.APPROVED,),
        Status.REVOKED,
        _(
            "Revoke the access of %(journalist)s? They are signed out at once, "
            "their calendar stops and they are told by e-mail."
        ),
    ),
}


class JournalistIndexView(OwnListing, generic.IndexView):
    def get_list_buttons(self, instance):
        buttons = super().get_list_buttons(instance)
        if not self.permission_policy.user_has_permission(self.request.user, "change"):
            return buttons
        for name, (label, applies_to, _status, _text) in DECISIONS.items():
            if instance.status in applies_to:
                buttons.insert(
                    0,
                    ListingButton(
                        label,
                        url=reverse(f"{JOURNALISTS}:{name}", args=(instance.pk,)),
                        priority=0,
                    ),
                )
        return buttons


def decision_view(viewset, name):
    label, applies_to, new_status, confirmation = DECISIONS[name]

    def view(request, pk):
        if not viewset.permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        journalist = get_object_or_404(own(Journalist.objects, request.user), pk=pk)
        index = reverse(viewset.get_url_name("index"))
        if journalist.status not in applies_to:
            return redirect(index)
        if new_status == Status.APPROVED and journalist.email_confirmed_at is None:
            # Nobody reads embargoed items through an address they have not
            # shown they receive mail at.
            messages.error(
                request,
                gettext(
                    "%(journalist)s cannot be approved: their address %(email)s "
                    "is not confirmed. They confirm it by registering again "
                    "with this address on the press area's registration page."
                )
                % {"journalist": journalist, "email": journalist.email},
            )
            return redirect(index)
        if request.method == "POST":
            journalist.status = new_status
            journalist.reviewed_at = timezone.now()
            journalist.reviewed_by = request.user
            ended = journalist.end_access() if new_status == Status.REVOKED else []
            journalist.save(
                update_fields=["status", "reviewed_at", "reviewed_by", *ended]
            )
            send_decision(journalist)
            messages.success(
                request,
                gettext("%(journalist)s: %(status)s. They have been told by e-mail.")
                % {
                    "journalist": journalist,
                    "status": journalist.get_status_display(),
                },
            )
            return redirect(index)
        return TemplateResponse(
            request,
            "press/admin/journalist_decision.html",
            {
                "page_title": f"{label}: {journalist}",
                "header_icon": "user",
                "journalist": journalist,
                "label": label,
                "confirmation": confirmation % {"journalist": journalist},
                "index_url": index,
            },
        )

    return view


class JournalistViewSet(InOwnNewsrooms, ModelViewSet):
    model = Journalist
    icon = "user"
    menu_label = _("Journalists")
    menu_order = 10
    index_view_class = JournalistIndexView
    list_display = [
        "name",
        "outlet",
        "email",
        "newsroom",
        Column(
            "email_confirmed_at",
            label=capfirst(_("address confirmed")),
            accessor=yes_or_no("email_confirmed_at"),
        ),
        "status",
        Column(
            "all_embargoed",
            label=capfirst(Journalist._meta.get_field("all_embargoed").verbose_name),
            accessor=yes_or_no("all_embargoed"),
            sort_key="all_embargoed",
        ),
        DateColumn(
            "registered_at",
            label=capfirst(_("registered at")),
            sort_key="registered_at",
        ),
    ]
    list_filter = ["status", "all_embargoed"]
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path(f"{name}/<int:pk>/", decision_view(self, name), name=name)
            for name in DECISIONS
        ]


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Seen by those with "view" permission; changed by nobody."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)


class AccessLogFilterSet(WagtailFilterSet):
    page = django_filters.ModelChoiceFilter(
        label=_("release or statement"),
        # Only the items read before their lift, not the whole site.
        queryset=lambda request: Page.objects.filter(
            pages_in(sites_of(request.user), prefix=""), press_views__isnull=False
        ).distinct(),
    )
    via = django_filters.ChoiceFilter(label=_("through"), choices=AccessLog.Via.choices)

    class Meta:
        model = AccessLog
        fields = ["page", "via"]


class AccessLogIndexView(OwnListing, SafeExportIndexView):
    pass


class AccessLogViewSet(InOwnNewsrooms, ModelViewSet):
    model = AccessLog
    icon = "view"
    menu_label = _("Embargoed readings")
    menu_order = 20
    list_display = [
        Column(
            "viewed_at",
            label=capfirst(_("viewed at")),
            accessor=lambda entry: date_format(
                timezone.localtime(entry.viewed_at), "j F Y, H:i:s e"
            ),
        ),
        "title",
        "document",
        "who",
        Column("via", label=capfirst(_("through")), accessor="get_via_display"),
        "language",
        "ip_address",
    ]
    filterset_class = AccessLogFilterSet
    # For an investigation's file: the listing as filtered, as CSV or XLSX.
    list_export = [
        "viewed_at",
        "title",
        "document",
        "who",
        "via",
        "language",
        "ip_address",
    ]
    export_filename = "embargoed-readings"
    index_view_class = AccessLogIndexView
    form_fields = ["title"]  # never shown: nobody may add or change an entry
    copy_view_enabled = False
    inspect_view_enabled = False


class PressOfficeGroup(ModelViewSetGroup):
    menu_label = _("Press area")
    menu_icon = "user"
    menu_order = 225
    items = (JournalistViewSet(JOURNALISTS), AccessLogViewSet("embargoed_readings"))


def can_grant_links(user):
    return user.has_perm(GRANT_PERMISSION)


class EmbargoLinkIndexView(OwnListing, generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("page")


class EmbargoLinkCreateView(CreateView):
    def save_instance(self):
        # Communications reviewers and publishers grant a link by creating
        # it; an editor's link is a request until one of them grants it.
        link = self.form.instance
        link.created_by = self.request.user
        if can_grant_links(self.request.user):
            link.granted_at, link.granted_by = timezone.now(), self.request.user
        else:
            link.granted_at = None
        return super().save_instance()

    def get_success_message(self, instance):
        if instance.granted_at is None:
            return _(
                "Link requested for “%(page)s”: it works once a communications "
                "reviewer or a publisher grants it."
            ) % {"page": instance.page.get_admin_display_title()}
        return super().get_success_message(instance)


class EmbargoLinkEditView(OwnEditView):
    def save_instance(self):
        link = self.form.instance
        if self.form.cleaned_data.get("grant") and link.granted_at is None:
            link.granted_at, link.granted_by = timezone.now(), self.request.user
        if self.form.cleaned_data.get("revoke") and link.revoked_at is None:
            link.revoked_at = timezone.now()
        return super().save_instance()


class EmbargoPreviewLinkViewSet(InOwnNewsrooms, ModelViewSet):
    """Secret links journalists use to read an embargoed item early.
    Revoking or deleting a link stops it at once."""

    model = EmbargoPreviewLink
    icon = "link"
    menu_label = _("Embargo links")
    menu_order = 220
    add_to_admin_menu = True
    list_display = [
        "page",
        "label",
        "status",
        "expires_at",
        "french_link",
        "english_link",
    ]
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = EmbargoLinkIndexView
    add_view_class = EmbargoLinkCreateView
    edit_view_class = EmbargoLinkEditView
