"""Review and embargo in the real admin: what editors and reviewers see and
what the admin refuses."""

import datetime
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import querydict_from_html, rich_text

import time_machine

from announcements.models import PressRelease, ReleaseIndexPage
from tests.factories import OrganisationFactory, build_release


def release_form(client, home, trial, **overrides):
    parent = ReleaseIndexPage.objects.child_of(home).get()
    url = reverse(
        "wagtailadmin_pages:add", args=("announcements", "pressrelease", parent.pk)
    )
    data = querydict_from_html(client.get(url).text, form_id="page-edit-form")
    data.update(
        {
            "title_fr": "Résultats",
            "title_en": "Results",
            "slug_fr": "resultats",
            "slug_en": "results",
            "dateline_place_fr": "Nîmes",
            "dateline_date_fr": "2025-05-12",
            "body_fr": rich_text("<p>Texte.</p>"),
            "body_en": rich_text("<p>Text.</p>"),
            "trial": str(trial.pk),
            "organisation": str(OrganisationFactory().pk),
            "original_language": "fr",
            "requires_fr": "on",
            "requires_en": "on",
        }
    )
    data.update(overrides)
    return url, data


def test_submitting_without_a_required_translation_is_refused(
    home, trial, make_user, client
):
    """The admin says which language's text is missing, and nothing is sent."""
    client.force_login(make_user("edith", "Editors"))
    url, data = release_form(client, home, trial, body_en=rich_text(""))
    data["action-submit"] = "action-submit"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Obligatoire en anglais" in response.text
    assert not PressRelease.objects.filter(slug_fr="resultats").exists()
    assert not WorkflowState.objects.exists()


def test_a_draft_may_lack_translations_and_the_panel_lists_them(
    home, trial, make_user, client
):
    client.force_login(make_user("edith", "Editors"))
    url, data = release_form(client, home, trial, body_en=rich_text(""), title_en="")
    assert client.post(url, data).status_code == 302  # saving a draft is fine
    release = PressRelease.objects.get(slug_fr="resultats")
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(release.pk,))).text
    assert 'data-translation-status="missing"' in edit
    assert "titre (anglais)" in edit and "corps du texte (anglais)" in edit


def test_english_not_required_lets_a_french_only_release_through(
    home, trial, make_user, client
):
    client.force_login(make_user("edith", "Editors"))
    url, data = release_form(
        client, home, trial, body_en=rich_text(""), title_en="", slug_en=""
    )
    del data["requires_en"]
    data["action-submit"] = "action-submit"
    assert client.post(url, data).status_code == 302
    assert WorkflowState.objects.get().status == WorkflowState.STATUS_IN_PROGRESS


def test_an_embargo_in_the_past_is_refused_with_the_choice_explained(
    home, trial, make_user, client
):
    client.force_login(make_user("edith", "Editors"))
    past = timezone.localtime() - datetime.timedelta(hours=1)
    url, data = release_form(
        client, home, trial, go_live_at=past.strftime("%Y-%m-%d %H:%M")
    )
    data["action-submit"] = "action-submit"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "L’heure d’embargo est déjà passée" in response.text
    assert not PressRelease.objects.exists()


def test_an_impossible_embargo_date_is_a_form_error(home, trial, make_user, client):
    client.force_login(make_user("edith", "Editors"))
    url, data = release_form(client, home, trial, go_live_at="2026-02-31 10:00")
    response = client.post(url, data)
    assert response.status_code == 200
    assert not PressRelease.objects.exists()


def test_embargo_is_entered_in_paris_time_and_stored_in_utc(
    home, trial, make_user, client
):
    client.force_login(make_user("edith", "Editors"))
    url, data = release_form(client, home, trial, go_live_at="2030-06-15 10:00")
    assert client.post(url, data).status_code == 302
    release = PressRelease.objects.get(slug_fr="resultats")
    draft = release.get_latest_revision_as_object()
    assert draft.go_live_at == datetime.datetime(2030, 6, 15, 8, 0, tzinfo=datetime.UTC)


def test_listing_shows_each_items_state(home, trial, make_user, client):
    editor = make_user("edith", "Editors")
    build_release(home, trial, title_fr="En ligne")
    build_release(home, trial, title_fr="Brouillon", live=False)
    scheduled = build_release(home, trial, title_fr="Programmé", live=False)
    scheduled.go_live_at = timezone.now() + datetime.timedelta(days=3)
    scheduled.save_revision().publish()
    in_review = build_release(home, trial, title_fr="En relecture", live=False)
    in_review.get_workflow().start(in_review, editor)

    client.force_login(editor)
    index = ReleaseIndexPage.objects.get()
    html = client.get(reverse("wagtailadmin_explore", args=(index.pk,))).text
    assert html.count("brouillon") >= 1
    assert "programmé" in html.lower()
    assert "en modération" in html.lower() or "en relecture" in html.lower()
    assert "en ligne" in html.lower()


def test_reviewer_sees_the_embargo_time(home, trial, make_user, client):
    editor = make_user("edith", "Editors")
    release = build_release(home, trial, live=False)
    release.go_live_at = datetime.datetime(2030, 6, 15, 8, 0, tzinfo=datetime.UTC)
    release.save_revision(user=editor)
    release.get_workflow().start(release, editor)
    client.force_login(make_user("marie", "Medical reviewers"))
    html = client.get(reverse("wagtailadmin_pages:edit", args=(release.pk,))).text
    assert "15 juin 2030, 10:00 (Paris, UTC+2), soit 08:00 UTC" in html


def test_rejection_returns_to_the_editor_with_the_comment(
    home, trial, make_user, client
):
    editor = make_user("edith", "Editors")
    release = build_release(home, trial, live=False)
    release.save_revision(user=editor)
    state = release.get_workflow().start(release, editor)
    client.force_login(make_user("marie", "Medical reviewers"))
    action = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(release.pk, "reject", state.current_task_state.pk),
    )
    client.post(action, {"comment": "Préciser le critère principal."})
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=(release.pk,))).text
    assert "Préciser le critère principal." in html


def test_an_approved_embargo_is_locked_until_a_reviewer_cancels_it(
    home, trial, make_user, client
):
    """Once approved and scheduled, the release cannot be edited (so no
    unreviewed change rides on the approved schedule); a communications
    reviewer cancels the schedule, and the old time no longer publishes it."""
    first = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)
    release = build_release(home, trial, live=False)
    release.go_live_at = first
    release.save_revision().publish()
    scheduled = release.scheduled_revision
    assert scheduled is not None

    client.force_login(make_user("edith", "Editors"))
    edit = reverse("wagtailadmin_pages:edit", args=(release.pk,))
    data = querydict_from_html(client.get(edit).text, form_id="page-edit-form")
    later = timezone.localtime(first + datetime.timedelta(days=7))
    data["go_live_at"] = later.strftime("%Y-%m-%d %H:%M")
    response = client.post(edit, data)
    assert response.status_code == 200 and "verrouillée" in response.text
    assert release.get_latest_revision().pk == scheduled.pk

    client.force_login(make_user("claude", "Communications reviewers"))
    unschedule = reverse(
        "wagtailadmin_pages:revisions_unschedule", args=(release.pk, scheduled.pk)
    )
    assert client.post(unschedule).status_code == 302
    assert PressRelease.objects.get(pk=release.pk).scheduled_revision is None

    with time_machine.travel(first + datetime.timedelta(minutes=1), tick=False):
        call_command("publish_scheduled", stdout=StringIO())
    release.refresh_from_db()
    assert not release.live

    # The editor can now set a new embargo and submit it again.
    client.force_login(make_user("edith2", "Editors"))
    data = querydict_from_html(client.get(edit).text, form_id="page-edit-form")
    data["go_live_at"] = later.strftime("%Y-%m-%d %H:%M")
    data["action-submit"] = "action-submit"
    assert client.post(edit, data).status_code == 302
    draft = PressRelease.objects.get(pk=release.pk).get_latest_revision_as_object()
    assert draft.go_live_at == later.replace(second=0)
    assert draft.workflow_in_progress


def test_only_publishers_publish_a_release_directly(home, trial, make_user, client):
    """A communications reviewer publishes by approving the review, not by
    skipping it."""
    client.force_login(make_user("claude", "Communications reviewers"))
    url, data = release_form(client, home, trial)
    assert 'name="action-publish"' not in client.get(url).text
    data["action-publish"] = "action-publish"
    assert client.post(url, data).status_code == 302  # saved as a draft
    draft = PressRelease.objects.get(slug_fr="resultats")
    assert (
        not draft.live and draft.get_latest_revision_as_object().title_en == "Results"
    )

    client.force_login(make_user("paul", "Publishers"))
    url, data = release_form(client, home, trial, slug_fr="direct", slug_en="direct")
    data["action-publish"] = "action-publish"
    assert client.post(url, data).status_code == 302
    assert PressRelease.objects.get(slug_fr="direct").live


def test_an_incomplete_release_cannot_be_approved_into_publication(
    home, trial, make_user, client
):
    """Even approved from the dashboard, a release missing a required
    language does not go live."""
    editor = make_user("edith", "Editors")
    release = build_release(home, trial, live=False)
    release.save_revision(user=editor)
    state = release.get_workflow().start(release, editor)
    release.body_en = ""  # a reviewer empties the English body
    release.save_revision()
    medical = make_user("marie", "Medical reviewers")
    communications = make_user("claude", "Communications reviewers")
    for reviewer in (medical, communications):
        client.force_login(reviewer)
        task_state = WorkflowState.objects.get(pk=state.pk).current_task_state
        action = reverse(
            "wagtailadmin_pages:workflow_action",
            args=(release.pk, "approve", task_state.pk),
        )
        client.post(action, {"comment": ""})
    assert not PressRelease.objects.get(pk=release.pk).live
    assert client.get("/en/press-releases/").status_code == 200
