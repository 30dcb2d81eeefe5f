"""Nothing goes public unreviewed, whichever door is used: a release,
statement or trial record goes live by finishing its review, by the scheduler
lifting an approved schedule, or by a publisher; not through bulk actions,
revert, republishing, copies or code. Deleting follows the same line."""

import datetime

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html

import pytest

from announcements.models import PartnerPosition, PressRelease, Trial
from tests.factories import build_position, build_release, build_trial


@pytest.fixture
def people(make_user):
    return {
        "editor": make_user("edith", "Editors"),
        "other_editor": make_user("eric", "Editors"),
        "medical": make_user("marie", "Medical reviewers"),
        "communications": make_user("claude", "Communications reviewers"),
        "publisher": make_user("paul", "Publishers"),
    }


def bulk(client, action, *pages):
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", action))
    query = "&".join(f"id={page.pk}" for page in pages)
    return client.post(f"{url}?{query}&next=/admin/pages/", {})


def approve(client, user, page):
    state = WorkflowState.objects.for_instance(page).get(
        status=WorkflowState.STATUS_IN_PROGRESS
    )
    client.force_login(user)
    action = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(page.pk, "approve", state.current_task_state.pk),
    )
    return client.post(action, {"comment": ""})


def is_live(page):
    return Page.objects.get(pk=page.pk).live


def test_bulk_publish_refuses_drafts_and_items_in_review(home, trial, people, client):
    """The bulk "Publish" action does not skip review, for a draft release, a
    statement in medical review or a trial record's edit."""
    draft = build_release(home, trial, live=False)
    in_review = build_position(home, trial, live=False)
    in_review.save_revision(user=people["editor"])
    in_review.get_workflow().start(in_review, people["editor"])
    trial_edit = build_trial(home, live=False)

    client.force_login(people["communications"])
    # Wagtail's confirmation says it before the click, and offers no "Yes".
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    query = "&".join(f"id={page.pk}" for page in (draft, in_review, trial_edit))
    confirmation = client.get(f"{url}?{query}").text
    assert "Vous n’avez pas l’autorisation de publier ces pages" in confirmation
    assert "Oui, publier" not in confirmation
    for page in (draft, in_review, trial_edit):
        assert str(page.title) in confirmation

    response = bulk(client, "publish", draft, in_review, trial_edit)
    assert response.status_code == 302
    assert not any(is_live(page) for page in (draft, in_review, trial_edit))
    state = WorkflowState.objects.for_instance(in_review).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS  # not cancelled

    client.force_login(people["publisher"])
    bulk(client, "publish", draft)
    assert is_live(draft)


def test_no_code_path_publishes_for_a_reviewer_outside_review(home, trial, people):
    """The rule sits on the page model: any caller, an API or a script, meets
    it; the scheduler (no user) and publishers pass."""
    for page in (build_release(home, trial, live=False), build_trial(home, live=False)):
        revision = page.save_revision(user=people["editor"])
        with pytest.raises(PermissionDenied):
            revision.publish(user=people["communications"])
        assert not is_live(page)
        revision.publish(user=people["publisher"])
        assert is_live(page)


def test_a_trial_records_edit_goes_through_review(home, trial, people, client):
    """A trial's result is the most sensitive text: a communications
    reviewer's "publish" on the trial saves a draft, and approval publishes it."""
    client.force_login(people["communications"])
    edit = reverse("wagtailadmin_pages:edit", args=(trial.pk,))
    html = client.get(edit).text
    assert 'name="action-publish"' not in html
    data = querydict_from_html(html, form_id="page-edit-form")
    data["primary_endpoint_result_en"] = "Significant benefit."
    data["action-publish"] = "action-publish"
    assert client.post(edit, data).status_code == 302
    trial = Trial.objects.get(pk=trial.pk)
    assert trial.primary_endpoint_result_en != "Significant benefit."
    assert (
        trial.get_latest_revision_as_object().primary_endpoint_result_en
        == "Significant benefit."
    )

    trial.get_workflow().start(trial, people["editor"])
    approve(client, people["medical"], trial)
    approve(client, people["communications"], trial)
    assert Trial.objects.get(pk=trial.pk).primary_endpoint_result_en == (
        "Significant benefit."
    )


def test_review_publishes_only_what_was_reviewed(home, trial, people, client):
    """A change made while a release is in review (by the communications
    reviewer, the only one who may edit it then) sends it back to medical
    review: nothing is approved into publication that the medical reviewer
    never saw."""
    release = build_release(home, trial, live=False)
    release.save_revision(user=people["editor"])
    release.get_workflow().start(release, people["editor"])
    approve(client, people["medical"], release)
    state = WorkflowState.objects.for_instance(release).get()
    assert state.current_task_state.task.name == gettext("Communications review")

    client.force_login(people["communications"])
    edit = reverse("wagtailadmin_pages:edit", args=(release.pk,))
    data = querydict_from_html(client.get(edit).text, form_id="page-edit-form")
    data["title_en"] = "Changed after medical review"
    assert client.post(edit, data).status_code == 302

    approve(client, people["communications"], release)
    assert not is_live(release)
    approve(client, people["medical"], release)
    approve(client, people["communications"], release)
    release = PressRelease.objects.get(pk=release.pk)
    assert release.live and release.title_en == "Changed after medical review"


def test_revert_and_republish_do_not_skip_review(home, trial, people, client):
    """Reverting a live release to an older revision, or publishing again
    after an unpublish, is a publication like any other."""
    release = build_release(home, trial, title_en="Reviewed text")
    old = release.get_latest_revision()
    release.title_en = "Newer reviewed text"
    release.save_revision().publish()

    client.force_login(people["communications"])
    revert = reverse("wagtailadmin_pages:revisions_revert", args=(release.pk, old.pk))
    data = querydict_from_html(client.get(revert).text, form_id="page-edit-form")
    data["action-publish"] = "action-publish"
    client.post(reverse("wagtailadmin_pages:edit", args=(release.pk,)), data)
    assert PressRelease.objects.get(pk=release.pk).title_en == "Newer reviewed text"

    release.unpublish(user=people["publisher"])
    assert not is_live(release)
    bulk(client, "publish", release)
    assert not is_live(release)
    with pytest.raises(PermissionDenied):
        release.get_latest_revision().publish(user=people["communications"])


def test_copies_start_as_drafts(home, trial, people, client):
    release = build_release(home, trial, slug_fr="original", slug_en="original")
    client.force_login(people["communications"])
    copy = reverse("wagtailadmin_pages:copy", args=(release.pk,))
    form = {
        "new_title_fr": "Copie",
        "new_title_en": "Copy",
        "new_slug_fr": "copie",
        "new_slug_en": "copy",
        "new_parent_page": str(release.get_parent().pk),
        "publish_copies": "on",
    }
    client.post(copy, form)
    copied = PressRelease.objects.get(slug_fr="copie")
    assert not copied.live

    client.post(
        copy, {**form, "new_slug_fr": "alias", "new_slug_en": "alias", "alias": "on"}
    )
    # wagtail-modeltranslation's copy view makes copies, never aliases.
    alias = Page.objects.get(slug_fr="alias")
    assert not alias.live and alias.alias_of_id is None

    # Even a publisher's copy starts as a draft: it is a new item to review.
    assert not release.copy(
        update_attrs={"slug": "copie-2", "slug_fr": "copie-2"}, keep_live=True
    ).live


def survives_deletion_by(client, user, page):
    """Whether ``page`` still exists after ``user`` tries to delete it."""
    client.force_login(user)
    url = reverse("wagtailadmin_pages:delete", args=(page.pk,))
    client.post(url)
    return Page.objects.filter(pk=page.pk).exists()


def test_editors_delete_only_their_own_unsubmitted_drafts(home, trial, people, client):
    own = build_release(home, trial, live=False, owner=people["editor"])
    others = build_release(home, trial, live=False, owner=people["other_editor"])
    in_review = build_release(home, trial, live=False, owner=people["editor"])
    in_review.save_revision(user=people["editor"])
    in_review.get_workflow().start(in_review, people["editor"])
    scheduled = build_position(home, trial, live=False, owner=people["editor"])
    scheduled.go_live_at = timezone.now() + datetime.timedelta(days=2)
    scheduled.save_revision().publish()
    assert PartnerPosition.objects.get(pk=scheduled.pk).scheduled_revision

    assert survives_deletion_by(client, people["editor"], others)
    assert survives_deletion_by(client, people["editor"], in_review)
    assert survives_deletion_by(client, people["editor"], scheduled)
    assert survives_deletion_by(client, people["communications"], in_review)
    assert not survives_deletion_by(client, people["editor"], own)
    for page in (others, in_review, scheduled):
        assert not survives_deletion_by(client, people["publisher"], page)
