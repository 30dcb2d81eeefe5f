"""Lifting embargoes: what ``manage.py publish_scheduled`` does here.

Wagtail's own command publishes every due revision one after the other with
no transaction: when a page refuses to be saved (a sibling took its address
meanwhile), Wagtail has already cleared the approved schedule, so the approved
release is neither live nor scheduled, nothing says so, the pages after it
wait for the next run and two runners (two cron jobs, two servers) may publish
the same release twice. Here each due revision is claimed with a row lock and
published in its own transaction:

- published exactly once, whatever the number of runners;
- a failure rolls back, so the schedule stays and the next run tries again;
  it is logged, noted in the page's history and mailed to the communications
  reviewers once per revision and reason (not every minute);
- a first publication is dated at the embargo, however late the run.

Pages whose expiry has passed are unpublished as Wagtail does, and models other
than pages that have a draft state are handled the same way as pages.
"""

import logging
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.log_actions import log, registry
from wagtail.models import DraftStateMixin, Page, Revision

from . import languages
from .notifications import mail_communications_reviewers

logger = logging.getLogger("announcements.scheduling")

# Wagtail's own name for a publication by the scheduler.
LIFT_LOG_ACTION = "wagtail.publish.scheduled"
FAILED_ACTION = "newsroom.publish.scheduled.failed"
FAILED_ACTION_LABEL = gettext_lazy("Scheduled publication failed")
# The last approvers: they hold publish permission and can fix or reschedule.


@dataclass
class Failure:
    revision: Revision
    object: object
    error: Exception
    reason: str  # the error in English: how a failure is remembered
    new: bool = False  # first time this revision failed for this reason

    @property
    def title(self):
        """In the newsroom's first language for logs, whatever is active."""
        return self.title_in(languages.DEFAULT)

    def title_in(self, language):
        with translation.override(language):
            return str(self.object)

    def describe(self):
        return f"{type(self.object).__name__} {self.object.pk} “{self.title}”: " + (
            self.reason
        )


class StillScheduled(Exception):
    """Raised by the command after a run in which something failed."""

    def __init__(self, failures):
        self.failures = failures
        self.new = any(failure.new for failure in failures)
        super().__init__(
            f"{len(failures)} scheduled publication(s) failed and stay scheduled."
        )


@dataclass
class SchedulerRun:
    """What one run did: ids of the revisions it published, the objects it
    unpublished at their expiry, and what failed."""

    now: object
    published: list = field(default_factory=list)
    unpublished: list = field(default_factory=list)
    failures: list = field(default_factory=list)


def _draft_state_models():
    return [Page] + [
        model
        for model in apps.get_models()
        if issubclass(model, DraftStateMixin) and not issubclass(model, Page)
    ]


def describe_error(error):
    """The error as an editor can read it, in the active language."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(str(message) for message in messages)}"
            for name, messages in error.message_dict.items()
        )
    if isinstance(error, ValidationError):
        return " ".join(str(message) for message in error.messages)
    return str(error) or type(error).__name__


def publish_scheduled(now=None):
    """Unpublish what has expired, then publish every revision due by ``now``.

    Never raises for one object: failures are in the returned run.
    """
    run = SchedulerRun(now=now or timezone.now())
    for model in _draft_state_models():
        expired = model.objects.filter(live=True, expire_at__lt=run.now)
        for pk in list(expired.order_by("expire_at").values_list("pk", flat=True)):
            _unpublish_expired(model, pk, run)

    due = Revision.objects.filter(approved_go_live_at__lt=run.now).order_by(
        "approved_go_live_at", "pk"
    )
    for revision_id in list(due.values_list("pk", flat=True)):
        _publish_revision(revision_id, run)
    return run


def _unpublish_expired(model, pk, run):
    try:
        with transaction.atomic():
            obj = (
                model.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, live=True, expire_at__lt=run.now)
                .first()
            )
            if obj is None:  # another runner has it, or it changed meanwhile
                return
            obj.unpublish(set_expired=True, log_action="wagtail.unpublish.scheduled")
    except Exception as error:
        logger.exception("Unpublishing expired %s %s failed: %s", model, pk, error)
        return
    run.unpublished.append(obj)


def _publish_revision(revision_id, run):
    try:
        with transaction.atomic():
            # The lock makes this runner the only one publishing this revision;
            # the schedule is read again under it, since another runner may
            # have published it between our listing and this lock.
            revision = (
                Revision.objects.select_for_update(skip_locked=True)
                .filter(pk=revision_id, approved_go_live_at__lt=run.now)
                .first()
            )
            if revision is None:
                return
            embargo = revision.approved_go_live_at
            obj = revision.content_object
            first_publication = obj.first_published_at is None
            revision.publish(log_action=LIFT_LOG_ACTION)
            if first_publication:
                _date_first_publication(revision, embargo)
    except Exception as error:
        # The transaction is rolled back: the revision is still scheduled.
        _record_failure(revision_id, error, run)
        return
    run.published.append(revision_id)
    logger.info("Published scheduled revision %s of %s “%s”", revision_id, obj.pk, obj)


def _date_first_publication(revision, embargo):
    """Readers are told the item was published at its embargo, to the minute
    feeds and pages announce, not when the scheduler happened to run."""
    page = revision.content_object.specific
    page.first_published_at = embargo
    # Saved as such, what depends on the date (lists' order) follows it.
    page.save(update_fields=["first_published_at"], clean=False)


def _record_failure(revision_id, error, run):
    revision = Revision.objects.filter(pk=revision_id).first()
    if revision is None:
        logger.error(
            "Scheduled revision %s failed and vanished: %s", revision_id, error
        )
        return
    obj = revision.content_object
    with translation.override("en"):
        reason = describe_error(error)
    failure = Failure(revision=revision, object=obj, error=error, reason=reason)
    run.failures.append(failure)
    log_model = registry.get_log_model_for_instance(obj)
    already_reported = log_model.objects.filter(
        action=FAILED_ACTION, revision=revision, data__reason=reason
    ).exists()
    if already_reported:
        # Tried again (the schedule stays), told once: cron runs every minute.
        logger.info("Still not published, already reported: %s", failure.describe())
        return
    failure.new = True
    logger.error(
        "Scheduled publication failed, still scheduled: %s",
        failure.describe(),
        exc_info=error,
    )
    log(
        instance=obj,
        action=FAILED_ACTION,
        revision=revision,
        data={"reason": reason, "go_live_at": revision.approved_go_live_at.isoformat()},
        content_changed=False,
    )
    try:
        report_failure(failure)
    except Exception:
        logger.exception("Could not mail the failure of revision %s", revision.pk)


def admin_edit_url(obj):
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    if isinstance(obj, Page):
        return base + reverse("wagtailadmin_pages:edit", args=(obj.pk,))
    return base + reverse("wagtailadmin_home")


def _message_in(language, failure):
    title = failure.title_in(language)
    with translation.override(language):
        embargo = timezone.localtime(failure.revision.approved_go_live_at)
        subject = _("Embargo not lifted: “%(title)s”") % {"title": title}
        body = _(
            "“%(title)s” was due to be published at %(time)s, but publishing it "
            "failed:\n\n%(error)s\n\n"
            "It is still scheduled: the scheduler tries again every minute and "
            "publishes it as soon as the problem is fixed, or cancel the "
            "schedule in the admin:\n%(url)s\n"
        ) % {
            "title": title,
            "time": date_format(embargo, "DATETIME_FORMAT"),
            "error": describe_error(failure.error),
            "url": admin_edit_url(failure.object),
        }
    return subject, body


def report_failure(failure):
    """Tell the communications reviewers, each in their language."""
    return mail_communications_reviewers(
        lambda language: _message_in(language, failure), about=failure.object
    )


def conflicting_schedule(page, parent):
    """The approved, scheduled revision of a sibling of ``page`` under
    ``parent`` whose address (French or English slug) ``page`` wants, or None.

    Wagtail checks only the addresses siblings have now; a scheduled rename
    would then fail at its embargo, when nobody is watching.
    """
    if parent is None:
        return None
    scheduled = Revision.page_revisions.filter(approved_go_live_at__isnull=False)
    if page.pk:
        scheduled = scheduled.exclude(object_id=str(page.pk))
    scheduled = list(scheduled)
    if not scheduled:
        return None
    siblings = {
        str(pk)
        for pk in parent.get_children()
        .filter(pk__in=[int(revision.object_id) for revision in scheduled])
        .values_list("pk", flat=True)
    }
    wanted = _addresses(lambda name: getattr(page, name, None))
    for revision in scheduled:
        if revision.object_id not in siblings:
            continue
        reserved = _addresses(revision.content.get)
        for language, slug in wanted.items():
            if slug and reserved.get(language) == slug:
                return revision, language
    return None


def _addresses(value_of):
    """The slug a page has in each language; a blank translated slug falls
    back to the French one, as URLs do."""
    default = value_of(f"slug_{languages.DEFAULT}") or value_of("slug")
    return {
        language: value_of(f"slug_{language}") or default
        for language in languages.CODES
    }


def reserved_address_error(page, parent):
    """A ValidationError on the slug field a scheduled sibling reserves."""
    conflict = conflicting_schedule(page, parent)
    if conflict is None:
        return None
    revision, language = conflict
    # The error goes on the slug the editor typed: a blank English slug
    # takes the French one.
    field_name = f"slug_{language}"
    if not getattr(page, field_name, None):
        field_name = f"slug_{languages.DEFAULT}"
    title = (
        revision.content.get(f"title_{translation.get_language()}")
        or revision.object_str
    )
    message = _("This address is reserved by “%(title)s”, scheduled for %(time)s.") % {
        "title": title,
        "time": date_format(
            timezone.localtime(revision.approved_go_live_at), "DATETIME_FORMAT"
        ),
    }
    return ValidationError({field_name: message}, code="reserved_address")
