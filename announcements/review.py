"""Nothing of a release, statement or trial record goes public unreviewed.

The rule, in one place: a reviewed page goes live only

- by finishing its review workflow (medical, then communications review),
  the approved revision and nothing later;
- by the scheduler lifting a schedule that review (or a publisher) approved;
- or by a member of the Publishers group, who answers for it.

``ReviewedPage.publish`` enforces it, and every way Wagtail offers to publish
passes there (bulk actions, a finished review, revert and republish through
a revision, the scheduler, any code) but the edit and create pages' own
Publish button, which Wagtail runs without it: ``wagtail_hooks`` keeps that
button for publishers. The admin's doors say it before they get there, so
that nobody meets an error page.

Claims pass medical review only when checked: a release about a trial whose
primary outcome was not met (or is about to be recorded so) does not pass the
medical step while a sentence claiming efficacy or significance is
unconfirmed (``check_claims``, called by ``MedicalReviewTask.on_action``,
which every approval passes: the edit page, the dashboard's and listings'
modal, code); and it is not published by a person, publishers included,
while a claim of the text going out was never confirmed
(``publication_claims_error``, called by ``AnnouncementPage.publish``; the
Publish button, bulk publishing and the last approval on the edit page meet
it in ``wagtail_hooks``, with its reason). A partner's statement is never
edited: an editor's note on it answers its unconfirmed claims, and the
approval records the note.

Deleting is the other way content leaves review: editors delete only their own
drafts that were never submitted, published or scheduled; anything else is for
publishers (``ReviewedPermissionTester``). Copies of a reviewed page start as
drafts, whoever copies.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wagtail.models import PagePermissionTester, WorkflowState

from . import languages

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


def reviewed_object(page, task_state=None):
    """What the reviewers are asked to approve: the revision under review
    when there is one, else ``page`` as loaded."""
    page = page.specific
    task_state = task_state or page.current_workflow_task_state
    revision = task_state.revision if task_state is not None else None
    return revision.as_object() if revision is not None else page


def claims_in(reviewed):
    """The flagged sentences of ``reviewed``; none for a page that is not
    about a trial (a trial record itself)."""
    from .claims import claims_of

    return claims_of(reviewed) if getattr(reviewed, "trial_id", None) else []


def claims_under_review(page, task_state=None):
    """The flagged sentences of what the reviewers are asked to approve."""
    return claims_in(reviewed_object(page, task_state))


def outcome_not_met(trial):
    """Was the trial's primary outcome not met, as its record says or as the
    change to it waiting for review says? Either is enough."""
    from .models import Trial

    not_met = Trial.OutcomeResult.NOT_MET
    return not_met in (trial.primary_outcome_result, trial.pending_outcome_result())


def answering_note(reviewed):
    """The editor's note that answers a partner's claims, ``{language: text}``,
    or None (a release's claims are confirmed, never answered)."""
    if not (reviewed.note_answers_claims and reviewed.has_editors_note()):
        return None
    return {
        code: getattr(reviewed, f"editors_note_{code}", "") or ""
        for code in languages.CODES
    }


def claims_error(reviewed, claims, confirmed):
    """Why ``reviewed`` (a release or statement, as reviewed) may not pass
    with only ``confirmed`` (claim keys) confirmed, or None."""
    unconfirmed = [claim for claim in claims if claim.key not in set(confirmed)]
    if not unconfirmed:
        return None
    trial = reviewed.trial
    if trial is None or not outcome_not_met(trial):
        return None
    if answering_note(reviewed):
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


def check_claims(reviewed, claims, confirmed):
    """The claims gate of medical review (see the module's docstring)."""
    error = claims_error(reviewed, claims, confirmed)
    if error:
        raise PermissionDenied(error)


def confirmed_claims(page):
    """The keys of every claim of ``page`` a medical reviewer confirmed."""
    from wagtail.models import PageLogEntry

    from .models.claims import CLAIMS_CONFIRMED

    keys = set()
    for data in PageLogEntry.objects.filter(
        page_id=page.pk, action=CLAIMS_CONFIRMED
    ).values_list("data", flat=True):
        keys.update(claim["key"] for claim in data.get("confirmed", []))
    return keys


def publication_claims_error(reviewed):
    """Why ``reviewed`` (the text about to go public) may not, or None: the
    same rule at publication, for what medical review did not confirm (a
    publisher's own publication, a trial found "not met" since)."""
    claims = claims_in(reviewed)
    if not claims:
        return None
    return claims_error(reviewed, claims, confirmed_claims(reviewed))
