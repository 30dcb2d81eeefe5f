"""Nothing of a release, statement or trial record goes public unreviewed.

The rule, in one place: a reviewed page goes live only

- by finishing its review workflow (medical, then communications review),
  the approved revision and nothing later;
- by the scheduler lifting a schedule that review (or a publisher) approved;
- or by a member of the Publishers group, who answers for it.

``ReviewedPage.publish`` enforces it, and every way Wagtail offers to publish
passes there (bulk actions, a finished review, revert and republish through
a revision, the scheduler, any code). The admin asks the same question first,
through Wagtail's page permissions (``ReviewedPermissionTester.can_publish``):
a communications reviewer holds Wagtail's publish permission, for the last
approval, yet sees no Publish button on a reviewed page, and a click on one
that was not there saves a draft, as Wagtail does for anyone who may not
publish. A finished review publishes what it approved through
``announcements.finish_review``.

Claims pass medical review only when checked: that rule has its own home,
``announcements.models.claims``.

Deleting is the other way content leaves review: editors delete only their own
drafts that were never submitted, published or scheduled; anything else is for
publishers (``ReviewedPermissionTester``). Copies of a reviewed page start as
drafts, whoever copies.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    PagePermissionTester,
    WorkflowState,
)

from . import teams
from .roles import PUBLISHERS


def is_publisher(user, place):
    """Is ``user`` a publisher where ``place`` (a page or a collection) is:
    in its newsroom, not in another they also work in?"""
    if not (user and user.is_active):
        return False
    if user.is_superuser:
        return True
    tree = (
        GroupCollectionPermission
        if isinstance(place, Collection)
        else GroupPagePermission
    )
    # Read once per user object, as Django's own permission cache is: the
    # explorer asks for every row.
    held = user.__dict__.setdefault("_newsroom_publishes_at", {})
    if tree not in held:
        held[tree] = teams.where_held(user, tree, PUBLISHERS)
    return teams.at_or_under(held[tree], place.path)


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
    return is_publisher(user, page) or approved_in_review(page, revision)


class ReviewedPermissionTester(PagePermissionTester):
    def can_publish(self):
        return super().can_publish() and is_publisher(self.user, self.page)

    # Wagtail asks ``can_publish`` for these too; they stay with whoever holds
    # its publish permission: communications reviewers cancel an approved
    # embargo and set a page's privacy.
    def can_unschedule(self):
        return super().can_publish()

    def can_set_view_restrictions(self):
        return super().can_publish()

    def can_delete(self, ignore_bulk=False):
        """Publishers delete as Wagtail allows; anyone else only their own
        draft that was never public, is not in review and not scheduled."""
        page = self.page
        publisher = is_publisher(self.user, page)
        # What the page row already says first: the explorer asks for every
        # row, and Wagtail's own check costs a query.
        if not publisher and (
            page.owner_id != self.user.pk
            or page.live
            or page.first_published_at is not None
        ):
            return False
        if not super().can_delete(ignore_bulk=ignore_bulk):
            return False
        return publisher or (
            not page.workflow_in_progress and page.scheduled_revision is None
        )


class ReviewedIndexPermissionTester(PagePermissionTester):
    def can_publish_subpage(self):
        # New and copied releases, statements and trials start as drafts for
        # everyone but publishers: they go live through review.
        return super().can_publish_subpage() and is_publisher(self.user, self.page)


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

    # A reviewed page about no trial (a trial record) makes no claims; those
    # that do say so (``announcements.models.claims.ClaimsCheckedPage``).
    def flagged_claims(self):
        return []

    def confirmed_claim_keys(self):
        return set()

    def claims_to_confirm(self):
        """``(left, before)``: the flagged claims medical review has still to
        confirm, and those confirmed in an earlier review, unchanged since."""
        claims = self.flagged_claims()
        before = self.confirmed_claim_keys() if claims else set()
        return (
            [claim for claim in claims if claim.key not in before],
            [claim for claim in claims if claim.key in before],
        )

    def claims_error(self, claims, confirmed):
        return None

    def publication_claims_error(self):
        return None


class ReviewedIndexPage:
    """Mixin for the index pages whose children go through review."""

    def permissions_for_user(self, user):
        return ReviewedIndexPermissionTester(user, self)


def reviewed_object(page, task_state=None):
    """What the reviewers are asked to approve: the revision under review
    when there is one, else ``page`` as loaded."""
    page = page.specific
    task_state = task_state or page.current_workflow_task_state
    revision = task_state.revision if task_state is not None else None
    return revision.as_object() if revision is not None else page
