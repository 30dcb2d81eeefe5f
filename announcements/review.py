"""Nothing of a release, statement or trial record goes public unreviewed.

The rule, in one place: a reviewed page goes live only

- by finishing its review workflow (medical, then communications review),
  the approved revision and nothing later;
- by the scheduler lifting a schedule that review (or a publisher) approved;
- or by a member of the Publishers group, who answers for it.

``ReviewedPage.publish`` enforces it, and every way Wagtail offers to publish
passes there: the edit form, bulk actions, revert to a revision, republishing
after an unpublish, the scheduler and any code. The admin's doors say it
before they get there (``wagtail_hooks``), so that nobody meets an error page.

Claims pass medical review only when checked: a release about a trial whose
primary outcome was not met does not pass the medical step while a sentence
claiming efficacy or significance is unconfirmed (``check_claims``, called by
``MedicalReviewTask.on_action``, which every approval passes: the edit page,
the dashboard's and listings' modal, code). A partner's statement is never
edited: an editor's note on it answers its unconfirmed claims.

Deleting is the other way content leaves review: editors delete only their own
drafts that were never submitted, published or scheduled; anything else is for
publishers (``ReviewedPermissionTester``). Copies of a reviewed page start as
drafts, whoever copies.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wagtail.models import PagePermissionTester, WorkflowState

PUBLISHERS = "Publishers"


def is_publisher(user):
    return bool(
        user
        and user.is_active
        and (user.is_superuser or user.groups.filter(name=PUBLISHERS).exists())
    )


def is_reviewed(page_or_class):
    """Does this page (or page type) go public only through review?"""
    model = (
        page_or_class
        if isinstance(page_or_class, type)
        else page_or_class.specific_class
    )
    return model is not None and issubclass(model, ReviewedPage)


def approved_in_review(page, revision):
    """True when ``revision`` is what a finished review workflow approved."""
    return (
        WorkflowState.objects.for_instance(page)
        .filter(
            status=WorkflowState.STATUS_APPROVED,
            current_task_state__revision_id=revision.pk,
        )
        .exists()
    )


def may_publish(page, revision, user):
    """May ``user`` (None: the scheduler or a management command) make
    ``revision`` of ``page`` public?"""
    if user is None:
        # The scheduler only publishes approved schedules; the seed loader,
        # the reviewed fixtures.
        return True
    return is_publisher(user) or approved_in_review(page, revision)


class ReviewedPermissionTester(PagePermissionTester):
    def can_delete(self, ignore_bulk=False):
        if not super().can_delete(ignore_bulk=ignore_bulk):
            return False
        if is_publisher(self.user):
            return True
        page = self.page
        return (
            page.owner_id == self.user.pk
            and not page.live
            and page.first_published_at is None
            and not page.workflow_in_progress
            and page.scheduled_revision is None
        )


class ReviewedIndexPermissionTester(PagePermissionTester):
    def can_publish_subpage(self):
        # New and copied releases, statements and trials start as drafts for
        # everyone but publishers: they go live through review.
        return super().can_publish_subpage() and is_publisher(self.user)


class ReviewedPage:
    """Mixin for page types that go public only through review (before the
    page base class)."""

    def publish(self, revision, *args, user=None, **kwargs):
        if not may_publish(self, revision, user):
            raise PermissionDenied(
                _(
                    "This goes public through its review: submit it for review, "
                    "or ask a publisher."
                )
            )
        return super().publish(revision, *args, user=user, **kwargs)

    def permissions_for_user(self, user):
        return ReviewedPermissionTester(user, self)

    def copy(self, *args, keep_live=True, **kwargs):
        return super().copy(*args, keep_live=False, **kwargs)


class ReviewedIndexPage:
    """Mixin for the index pages whose children go through review."""

    def permissions_for_user(self, user):
        return ReviewedIndexPermissionTester(user, self)


# Claims in medical review ------------------------------------------------------


def claims_under_review(page, task_state=None):
    """The flagged sentences of what the reviewers are asked to approve: the
    revision under review when there is one."""
    from .claims import claims_of

    page = page.specific
    if not hasattr(page, "trial_id"):
        return []
    task_state = task_state or page.current_workflow_task_state
    revision = task_state.revision if task_state is not None else None
    reviewed = revision.as_object() if revision is not None else page
    return claims_of(reviewed)


def claims_error(page, claims, confirmed, task_state=None):
    """Why approving with only ``confirmed`` (claim keys) is refused, or None."""
    from .models import Trial

    page = page.specific
    unconfirmed = [claim for claim in claims if claim.key not in set(confirmed)]
    if not unconfirmed:
        return None
    trial = page.trial
    if trial.primary_outcome_result != Trial.OutcomeResult.NOT_MET:
        return None
    revision = task_state.revision if task_state is not None else None
    reviewed = revision.as_object() if revision is not None else page
    if reviewed.note_answers_claims and reviewed.has_editors_note():
        return None
    return ngettext(
        "The primary outcome of %(trial)s was not met: confirm the flagged "
        "claim as consistent with it, or send the text back (%(count)s "
        "unconfirmed).",
        "The primary outcome of %(trial)s was not met: confirm each flagged "
        "claim as consistent with it, or send the text back (%(count)s "
        "unconfirmed).",
        len(unconfirmed),
    ) % {"trial": trial.title, "count": len(unconfirmed)}


def check_claims(page, claims, confirmed, task_state=None):
    """The claims gate of medical review (see the module's docstring)."""
    error = claims_error(page, claims, confirmed, task_state)
    if error:
        raise PermissionDenied(error)
