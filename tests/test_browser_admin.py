"""The whole editorial path in a real browser: an editor writes a bilingual
release with an embargo and submits it; the medical and then the
communications reviewer approve; it stays scheduled until the embargo, then
goes live in both languages and in the feeds."""

import datetime
import re
from io import StringIO

from django.core.management import call_command
from django.utils.translation import gettext

from wagtail.models import WorkflowState

import pytest
import time_machine
from playwright.sync_api import expect

from announcements.models import PressRelease, ReleaseIndexPage
from announcements.site_tree import ensure_site_tree
from tests.browser import log_in
from tests.factories import OrganisationFactory, build_trial

pytestmark = pytest.mark.usefixtures("no_autosave")

EMBARGO_LOCAL = "2030-06-15 10:00"  # Paris time, as the editor types it
EMBARGO_UTC = datetime.datetime(2030, 6, 15, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def newsroom(transactional_db, make_user):
    home = ensure_site_tree()
    trial = build_trial(
        home, title_fr="MIROCALS", title_en="MIROCALS", registry_id="NCT03039673"
    )
    organisation = OrganisationFactory(
        name_fr="CHU de Nîmes", name="CHU de Nîmes", slug="chu-nimes"
    )
    return {
        "index": ReleaseIndexPage.objects.get(),
        "trial": trial,
        "organisation": organisation,
        "editor": make_user("edith", "Editors"),
        "medical": make_user("marie", "Medical reviewers"),
        "communications": make_user("claude", "Communications reviewers"),
    }


def type_rich_text(page, field, text):
    editor = page.locator(
        f'[data-field-input]:has(input[name="{field}"]) [contenteditable="true"]'
    )
    editor.click()
    editor.type(text)


def open_chooser(page, field):
    page.locator(f"#id_{field}-chooser .unchosen .chooser__choose-button").click()
    modal = page.locator(".modal-content")
    expect(modal).to_be_visible()
    return modal


def test_editor_to_reviewers_to_embargo_lift(newsroom, live_server, page, tmp_path):
    base = live_server.url
    try:
        log_in(page, base, "edith")
        page.goto(
            f"{base}/admin/pages/add/announcements/pressrelease/{newsroom['index'].pk}/"
        )
        page.fill('input[name="title_fr"]', "Résultats sous embargo")
        page.fill('input[name="title_en"]', "Embargoed results")
        # Wagtail fills the French slug from the title; wait for it.
        expect(page.locator('input[name="slug_fr"]')).to_have_value(
            "resultats-sous-embargo"
        )
        page.fill('input[name="dateline_place_fr"]', "Nîmes")
        page.fill('input[name="dateline_place_en"]', "Nîmes")
        type_rich_text(page, "body_fr", "Le texte en français.")
        type_rich_text(page, "body_en", "The English text.")
        open_chooser(page, "trial").get_by_role("link", name="MIROCALS").click()
        expect(page.locator("#id_trial-title")).to_have_text("MIROCALS")
        open_chooser(page, "organisation").get_by_role(
            "link", name="CHU de Nîmes"
        ).click()
        expect(page.locator("#id_organisation-title")).to_have_text("CHU de Nîmes")

        # The embargo, in Paris time, in Wagtail's scheduling dialog.
        page.locator('[data-side-panel-toggle="status"]').click()
        page.get_by_role("button", name="Set the embargo").click()
        dialog = page.locator("#schedule-publishing-dialog")
        expect(dialog).to_be_visible()
        embargo_input = dialog.locator("#id_go_live_at")
        embargo_input.fill(EMBARGO_LOCAL)
        expect(embargo_input).to_have_value(EMBARGO_LOCAL)
        # The date picker never covers the button: a real click reaches it.
        dialog.get_by_role("button", name="Save the embargo").click()
        expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))
        expect(page.locator(".messages")).to_contain_text("Résultats sous embargo")
        expect(dialog).to_be_hidden()
        release = PressRelease.objects.get(title_en="Embargoed results")
        assert not release.live

        # Submit for review from the action menu.
        page.locator("footer [data-w-dropdown-target=toggle]").last.click()
        page.locator('button[name="action-submit"]').click()
        expect(page.locator(".messages")).to_contain_text("submitted")

        for reviewer in ("marie", "claude"):
            log_in(page, base, reviewer)
            page.goto(f"{base}/admin/pages/{release.pk}/edit/")
            # The reviewer sees the embargo, in Paris time.
            page.locator('[data-side-panel-toggle="status"]').click()
            expect(page.locator("body")).to_contain_text(
                "15 June 2030, 10:00 (Paris, UTC+2), that is 08:00 UTC"
            )
            page.locator("footer [data-w-dropdown-target=toggle]").last.click()
            page.locator(
                'button[data-workflow-action-name="approve"]'
                ":not([data-workflow-action-modal-url])"
            ).click()
            expect(page.locator(".messages")).to_contain_text("Résultats sous embargo")
            page.wait_for_load_state("networkidle")
            state = WorkflowState.objects.get(
                base_content_type__model="page", object_id=str(release.pk)
            )
            if reviewer == "marie":
                assert state.current_task_state.task.name == gettext(
                    "Communications review"
                )
            else:
                assert state.status == WorkflowState.STATUS_APPROVED

        release.refresh_from_db()
        assert not release.live, "approval must schedule, not publish"
        assert release.get_latest_revision().approved_go_live_at == EMBARGO_UTC
        page.goto(f"{base}/en/press-releases/embargoed-results/")
        assert "Embargoed results" not in page.content()

        with time_machine.travel(EMBARGO_UTC + datetime.timedelta(seconds=30)):
            call_command("publish_scheduled", stdout=StringIO())
            for url, headline in (
                ("/fr/communiques/resultats-sous-embargo/", "Résultats sous embargo"),
                ("/en/press-releases/embargoed-results/", "Embargoed results"),
            ):
                page.goto(base + url)
                expect(page.locator("h1")).to_have_text(headline)
            page.goto(base + "/en/rss/")
            assert "Embargoed results" in page.content()
            page.goto(base + "/fr/flux/")
            assert "Résultats sous embargo" in page.content()
    except Exception:
        page.screenshot(path=tmp_path / "failure.png", full_page=True)
        raise
