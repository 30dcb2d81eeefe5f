"""A published release or statement is corrected on the record: a dated,
bilingual note above the text, on the trial's page, in the corrections list,
in feeds (same guid) and in JSON-LD; reviewed like any change, with the text
as first published kept in the page's revisions."""

import datetime
import json
import xml.etree.ElementTree as ET

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import querydict_from_html

import pytest
from bs4 import BeautifulSoup

from announcements.models import PressRelease, PressReleaseCorrection
from tests.factories import build_release, feed_url, url_in

NOTE_FR = "Une version précédente indiquait 304 participants ; 220 ont été randomisés."
NOTE_EN = "An earlier version gave 304 participants; 220 were randomised."


def approve(client, user, page):
    state = WorkflowState.objects.for_instance(page).get(
        status=WorkflowState.STATUS_IN_PROGRESS
    )
    client.force_login(user)
    client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=(page.pk, "approve", state.current_task_state.pk),
        ),
        {"comment": ""},
    )


def feed_item(client, url, title):
    root = ET.fromstring(client.get(url).content)
    for item in root.iter("item"):
        if item.findtext("title") == title:
            return item
    raise AssertionError(f"{title} not in {url}")


@pytest.fixture
def release(home, trial):
    return build_release(
        home,
        trial,
        title_fr="Résultats",
        title_en="Results",
        body_fr="<p>304 participants.</p>",
        body_en="<p>304 participants.</p>",
        requires_en=True,
    )


def correct(release, editor):
    """The editor corrects the text and says so, then submits it."""
    draft = PressRelease.objects.get(pk=release.pk)
    # As the admin's editor stores rich text (with block keys).
    draft.body_fr = '<p data-block-key="c1">220 participants randomisés.</p>'
    draft.body_en = '<p data-block-key="c2">220 participants randomised.</p>'
    draft.corrections = [
        PressReleaseCorrection(
            date=datetime.date(2025, 6, 3), note_fr=NOTE_FR, note_en=NOTE_EN
        )
    ]
    draft.save_revision(user=editor)
    draft.get_workflow().start(draft, editor)


def test_a_correction_goes_through_review_to_page_feed_and_json_ld(
    release, trial, people, client
):
    guid_before = {
        lang: feed_item(client, feed_url(lang), title).findtext("guid")
        for lang, title in (("fr", "Résultats"), ("en", "Results"))
    }
    first_revision = release.latest_revision
    correct(release, people["editor"])

    # In review: nothing of it is public yet.
    page = client.get(url_in(release, "en"))
    assert NOTE_EN not in page.text and "304 participants" in page.text

    approve(client, people["medical"], release)
    approve(client, people["communications"], release)
    client.logout()
    release.refresh_from_db()
    assert release.live and not release.has_unpublished_changes

    # At the top of the page, in each language.
    for lang, note, heading in (
        ("fr", NOTE_FR, "Rectificatifs"),
        ("en", NOTE_EN, "Corrections"),
    ):
        soup = BeautifulSoup(client.get(url_in(release, lang)).content, "html.parser")
        box = soup.select_one("[data-page-corrections]")
        assert box.h2.get_text() == heading
        assert note in box.get_text()
        assert box.find("time")["datetime"] == "2025-06-03"
        # Above the text.
        assert box.find_next("div", class_="body") is not None
        data = json.loads(soup.select_one('script[type="application/ld+json"]').string)
        assert data["correction"] == [
            {"@type": "CorrectionComment", "text": note, "datePublished": "2025-06-03"}
        ]

    # In feeds: the same item (same guid), corrected, with a correction category.
    for lang, title, category in (
        ("fr", "Résultats", "Rectificatif"),
        ("en", "Results", "Correction"),
    ):
        for url in (feed_url(lang), feed_url(lang, "trial", "NCT03039673")):
            item = feed_item(client, url, title)
            assert item.findtext("guid") == guid_before[lang]
            assert category in [c.text for c in item.findall("category")]
            assert (NOTE_FR if lang == "fr" else NOTE_EN) in item.findtext(
                "description"
            )

    # The text as first published stays in the page's revisions.
    assert "304 participants" in first_revision.as_object().body_en
    assert "220 participants" in release.body_en


def test_corrections_are_listed_on_the_trial_and_for_the_site(
    release, trial, people, client
):
    correct(release, people["editor"])
    approve(client, people["medical"], release)
    approve(client, people["communications"], release)
    client.logout()
    for lang, note in (("fr", NOTE_FR), ("en", NOTE_EN)):
        soup = BeautifulSoup(client.get(url_in(trial, lang)).content, "html.parser")
        card = soup.select_one("[data-card-correction]").find_parent("li")
        assert note in card.select_one("[data-card-correction]").get_text()
        assert card.find("a")["href"] == url_in(release, lang)
        # The trial's own list: every correction about it, whatever the page
        # of its statements.
        trial_list = client.get(soup.select_one("a[data-trial-corrections]")["href"])
        trial_list = BeautifulSoup(trial_list.content, "html.parser")
        assert trial.title in trial_list.h1.get_text()
        [listed] = trial_list.select("[data-correction]")
        assert note in listed.get_text()
        assert listed.find("a")["href"] == url_in(release, lang)
        with translation.override(lang):
            listing = client.get(reverse("corrections"))
        assert listing.status_code == 200
        items = BeautifulSoup(listing.content, "html.parser").select(
            "[data-correction]"
        )
        assert [note in item.get_text() for item in items] == [True]


def test_no_corrections_no_list(release, trial, client):
    soup = BeautifulSoup(client.get(url_in(release, "en")).content, "html.parser")
    assert soup.select_one("[data-page-corrections]") is None
    with translation.override("en"):
        listing = client.get(reverse("trial_corrections", args=[trial.registry_id]))
        assert "No correction has been published about this trial." in listing.text
        # Only published trials have a list.
        unknown = reverse("trial_corrections", args=["NCT09999999"])
        assert client.get(unknown).status_code == 404
    with translation.override("en"):
        listing = client.get(reverse("corrections"))
    assert "No correction has been published." in listing.text


def test_a_correction_needs_its_french_note(release, people, client):
    """Bilingual like everything else: French first (the required language)."""
    from django.core.exceptions import ValidationError

    correction = PressReleaseCorrection(page=release, note_en=NOTE_EN)
    with pytest.raises(ValidationError):
        correction.full_clean()


def approve_on_the_edit_page(client, user, page, **changes):
    """The reviewer reads the edit page and clicks its approve button,
    changing nothing (or ``changes``)."""
    client.force_login(user)
    edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    form = querydict_from_html(client.get(edit).text, form_id="page-edit-form")
    form.update(changes)
    # Checkboxes as the browser posts them (the helper drops them).
    form.update({"requires_fr": "on", "requires_en": "on"})
    form.update({"action-workflow-action": "true", "workflow-action-name": "approve"})
    assert client.post(edit, form).status_code == 302


def correction_in_review(home, trial, editor):
    """A live release whose draft corrects it, submitted for review."""
    release = build_release(home, trial)
    correct(release, editor)
    return release


def test_a_correction_is_approved_and_published_from_the_edit_page(
    home, trial, people, client
):
    """Each reviewer approves what they read, from the edit page: the
    correction's form does not count as a change that restarts the review."""
    release = correction_in_review(home, trial, people["editor"])
    submitted = release.get_latest_revision()

    approve_on_the_edit_page(client, people["medical"], release)
    state = WorkflowState.objects.for_instance(release).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == gettext("Communications review")
    assert release.get_latest_revision() == submitted

    approve_on_the_edit_page(client, people["communications"], release)
    release.refresh_from_db()
    assert WorkflowState.objects.for_instance(release).get().status == (
        WorkflowState.STATUS_APPROVED
    )
    assert release.live and not release.has_unpublished_changes
    assert [c.note_en for c in release.corrections.all()] == [NOTE_EN]


def test_a_reviewer_who_changes_a_correction_sends_it_back_to_medical_review(
    home, trial, people, client
):
    release = correction_in_review(home, trial, people["editor"])
    approve_on_the_edit_page(client, people["medical"], release)

    approve_on_the_edit_page(
        client, people["communications"], release, **{"corrections-0-note_en": "New"}
    )
    state = WorkflowState.objects.for_instance(release).get()
    assert state.current_task_state.task.name == gettext("Medical review")
    latest = PressRelease.objects.get(pk=release.pk).get_latest_revision_as_object()
    assert [c.note_en for c in latest.corrections.all()] == ["New"]
