from django.contrib import messages
from django.db.models import CharField, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.action_menu import PublishMenuItem, WorkflowMenuItem
from wagtail.admin.menu import DismissibleMenuItem
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter
from wagtail.models import Revision
from wagtail.permissions import policy_registry
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail.utils.version import get_main_version

from . import embargo_time, teams
from .admin_views import import_registry_view, lay_summary_readability_view
from .documents import FILE_REPLACED
from .embargo import document_is_readable, still_to_come
from .feeds import WITHDRAWN
from .models import Organisation, Trial
from .models.claims import CLAIMS_CONFIRMED, CLAIMS_SENT_BACK, MedicalReviewTask
from .review import is_reviewed, reviewed_object
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
    # The newsroom's editors and reviewers may open them (every editorial
    # group may choose the documents of its newsroom's collection); the
    # public, and another newsroom's staff, get a 404 until the release they
    # belong to is live.
    if request.user.is_authenticated and (
        policy_registry.get(document).user_has_permission_for_instance(
            request.user, "choose", document
        )
    ):
        return None
    if not document_is_readable(document, request):
        raise Http404
    return None


def _publication_claims_error(page):
    # Only reviewed pages make claims (``models.claims``); others pass.
    return page.publication_claims_error() if is_reviewed(page) else None


@hooks.register("before_bulk_action")
def bulk_publish_meets_the_claims_rule(request, action_type, objects, action):
    """The bulk "Publish" door, for those who may publish (Wagtail lists
    what a user may not publish on its confirmation page): refused, with
    the reason, for any release or statement the claims rule stops."""
    if action_type != "publish":
        return None
    pages = list(objects)
    form = getattr(action, "cleaned_form", None)
    if form is not None and form.cleaned_data.get("include_descendants"):
        for page in objects:
            pages += page.get_descendants().not_live().specific()
    refused = [
        page
        for page in pages
        if _publication_claims_error(page.specific.get_latest_revision_as_object())
    ]
    if not refused:
        return None
    messages.error(
        request,
        _(
            "Nothing was published: %(titles)s. Their trial's primary outcome "
            "was not met, and medical review has not confirmed every claim they "
            "make."
        )
        % {"titles": ", ".join(str(page.title) for page in refused)},
    )
    return redirect(
        get_valid_next_url_from_request(request) or reverse("wagtailadmin_explore_root")
    )


@hooks.register("before_publish_page")
def claims_before_publication(request, page):
    """A publisher's Publish (edit or create page) meets the claims rule with
    its reason; the text stays saved as a draft."""
    error = _publication_claims_error(page.get_latest_revision_as_object())
    if not error:
        return None
    messages.error(request, gettext("Not published, saved as a draft: ") + error)
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_edit_page")
def claims_before_the_last_approval(request, page):
    """Approving a step after medical review publishes or schedules the text:
    when the trial was found "not met" since, and a claim was never
    confirmed, the approval is refused here with its reason, before the form
    saves anything."""
    if (
        request.method != "POST"
        or not request.POST.get("action-workflow-action")
        or request.POST.get("workflow-action-name") != "approve"
    ):
        return None
    task = page.current_workflow_task
    if task is None or isinstance(task.specific, MedicalReviewTask):
        return None
    error = _publication_claims_error(reviewed_object(page))
    if not error:
        return None
    messages.error(request, error)
    return redirect("wagtailadmin_pages:edit", page.pk)


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


# The embargo in the editors' words ------------------------------------------


@hooks.register("construct_explorer_page_queryset")
def read_embargoes_with_the_rows(parent_page, pages, request):
    """The explorer's rows say their embargo (``status_string``) without a
    query each: the approved time is read with them, as Wagtail reads
    whether one exists."""
    return pages.annotate(
        _embargo_until=Subquery(
            Revision.page_revisions.exclude(approved_go_live_at__isnull=True)
            .filter(object_id=Cast(OuterRef("pk"), output_field=CharField()))
            .order_by("-created_at", "-id")
            .values("approved_go_live_at")[:1]
        )
    )


# Several newsrooms --------------------------------------------------------


@hooks.register("construct_page_chooser_queryset")
def choose_among_own_pages_and_public_ones(pages, request):
    """A newsroom's people choose among its pages, and among what other
    newsrooms publish (a trial they keep): never another newsroom's drafts."""
    user = request.user
    if user.is_superuser:
        return pages
    return pages.filter(Q(live=True) | teams.pages_in(teams.sites_of(user), prefix=""))


@hooks.register("construct_page_action_menu")
def say_what_publishing_will_do(menu_items, request, context):
    """The last reviewer's button, and a publisher's, say whether the
    release, statement or trial goes public now or is scheduled, and when
    (and the confirmation after it says what it did: below)."""
    page = context.get("page")
    if page is None or not is_reviewed(page):
        return
    state = page.current_workflow_state
    final_task = state is not None and state.is_at_final_task
    for item in menu_items:
        if isinstance(item, WorkflowMenuItem) and item.name == "approve" and final_task:
            embargo = still_to_come(reviewed_object(page))
            item.label = approval_label(item.launch_modal, embargo)
        elif isinstance(item, PublishMenuItem):
            embargo = still_to_come(page)
            if embargo is not None:
                item.template_name = "announcements/admin/publish_for_embargo.html"
                item.label = gettext("Schedule for %(time)s") % {
                    "time": embargo_time.local_text(embargo)
                }


def approval_label(with_comment, embargo):
    if embargo is None:
        if with_comment:
            return gettext("Approve with comment and publish")
        return gettext("Approve and publish")
    time = embargo_time.local_text(embargo)
    if with_comment:
        return gettext("Approve with comment and schedule for %(time)s") % {
            "time": time
        }
    return gettext("Approve and schedule for %(time)s") % {"time": time}


@hooks.register("after_edit_page")
def confirm_what_publishing_did(request, page):
    """After the last approval (or a publisher's publish), the confirmation
    says what happened: scheduled for the embargo, with its time, or public
    now; not just "updated"."""
    approving = (
        request.POST.get("action-workflow-action")
        and request.POST.get("workflow-action-name") == "approve"
    )
    publishing = bool(request.POST.get("action-publish"))
    if not (approving or publishing) or not is_reviewed(page):
        return None
    current = page.specific_class.objects.get(pk=page.pk)
    if current.workflow_in_progress:
        return None  # approved one step; the next reviewers have it
    title = current.get_admin_display_title()
    scheduled = current.scheduled_revision
    if scheduled is not None:
        time = embargo_time.full_text(scheduled.approved_go_live_at)
        text = (
            gettext("“%(title)s” approved and scheduled for %(time)s.")
            if approving
            else gettext("“%(title)s” scheduled for %(time)s.")
        ) % {"title": title, "time": time}
        text += " " + gettext("Nothing of it is public until then.")
    elif current.live and approving:
        text = gettext("“%(title)s” approved and published.") % {"title": title}
    else:
        return None
    _replace_success_messages(request, text)
    return None


def _replace_success_messages(request, text):
    # Reading the messages marks them as used; all but Wagtail's generic
    # success ("… has been updated") are put back, then ours.
    kept = list(messages.get_messages(request))
    for message in kept:
        if message.level != messages.SUCCESS:
            messages.add_message(
                request, message.level, message.message, extra_tags=message.extra_tags
            )
    messages.success(request, text)


# The registry import ----------------------------------------------------------


@hooks.register("register_admin_urls")
def registry_import_urls():
    return [
        path(
            "trials/<int:page_id>/import-registry/",
            import_registry_view,
            name="newsroom_import_registry",
        ),
        path(
            "lay-summaries/readability/",
            lay_summary_readability_view,
            name="newsroom_lay_summary_readability",
        ),
    ]


@hooks.register("insert_editor_js")
def lay_summary_readability_js():
    """The readability panel measures again as the editor types."""
    return format_html('<script src="{}" defer></script>', static("js/readability.js"))


@hooks.register("insert_editor_js")
def autosave_keeps_the_confirmed_schedule_js():
    """Autosave never stores a go-live or expiry time still being typed."""
    return format_html(
        '<script src="{}" defer></script>',
        static("newsroom-admin/autosave-schedule.js"),
    )


@hooks.register("register_page_header_buttons")
def registry_import_button(page, user, view_name, next_url=None):
    """ "Import from ClinicalTrials.gov" in a trial record's header menu, for
    those who may edit it."""
    if (
        page.specific_class is not Trial
        or not page.permissions_for_user(user).can_edit()
    ):
        return
    yield Button(
        _("Import from ClinicalTrials.gov"),
        reverse("newsroom_import_registry", args=[page.pk]),
        icon_name="download",
        priority=80,
    )


# The claims check in medical review -------------------------------------------


@hooks.register("register_log_actions")
def register_claims_log_actions(actions):
    """The page's history says which claims the medical reviewer confirmed
    or sent back (the entry names who and when)."""

    @actions.register_action(CLAIMS_CONFIRMED)
    class ClaimsConfirmed(LogFormatter):
        label = _("Claims checked in medical review")

        def format_message(self, log_entry):
            data = log_entry.data
            confirmed = [c["sentence"] for c in data.get("confirmed", [])]
            unconfirmed = data.get("unconfirmed", [])
            text = _(
                "Claims confirmed as consistent with the primary outcome: %(claims)s"
            ) % {"claims": " | ".join(confirmed) or "—"}
            if unconfirmed:
                text += " " + _("(%(count)s not confirmed)") % {
                    "count": len(unconfirmed)
                }
            note = data.get("editors_note")
            if unconfirmed and note:
                text += " " + _("Answered by the editor's note: %(note)s") % {
                    "note": " | ".join(value for value in note.values() if value)
                }
            return text

    @actions.register_action(CLAIMS_SENT_BACK)
    class ClaimsSentBack(LogFormatter):
        label = _("Claims sent back in medical review")

        def format_message(self, log_entry):
            data = log_entry.data
            return _("Claims sent back: %(claims)s — %(comment)s") % {
                "claims": " | ".join(c["sentence"] for c in data.get("sent_back", [])),
                "comment": data.get("comment", ""),
            }


@hooks.register("register_log_actions")
def register_file_log_actions(actions):
    @actions.register_action(FILE_REPLACED)
    class FileReplaced(LogFormatter):
        label = _("File replaced by a publisher")

        def format_message(self, log_entry):
            return _(
                "The file of “%(title)s”, which this page carries, was replaced."
            ) % {"title": log_entry.data.get("title", "")}


@hooks.register("construct_help_menu")
def help_in_the_readers_language(request, menu_items):
    """Wagtail words its "What's new" item once per process, in the language
    of the first request that shows it: each request words it again."""
    for index, item in enumerate(menu_items):
        if item.name.startswith("whats-new-in-wagtail"):
            menu_items[index] = DismissibleMenuItem(
                _("What's new in Wagtail %(version)s")
                % {"version": get_main_version(include_patch=False)},
                item.url,
                icon_name=item.icon_name,
                order=item.order,
                attrs=dict(item.attrs),
                name=item.name,
            )
