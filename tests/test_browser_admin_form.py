"""A new editor understands the release form without training, in French and
in English: the Languages checklist follows what they type, an optional
translation is not marked as required, the dateline reads in one row per
language even with the side panel open, the standfirst box fits one or two
sentences, nothing untranslated or out of place, the review is named in
their language, and their account's time zones are labelled."""

import re

from wagtail.users.models import UserProfile

import pytest
from playwright.sync_api import expect

from announcements.models import ReleaseIndexPage
from announcements.site_tree import ensure_site_tree
from tests.browser import log_in
from tests.factories import build_trial
from tests.test_browser_admin import type_rich_text
from tests.test_browser_phone import LINES_OF

DESKTOP = {"width": 1366, "height": 900}
WORDS = {
    "fr": {
        "missing": "Il manque encore",
        "complete": "Chaque langue obligatoire a son titre et son corps de texte.",
        "submit": "Soumettre à Relecture médicale → Relecture communication",
        "status": "Statut",
        "optional title": "Titre en anglais, facultatif",
    },
    "en": {
        "missing": "Still missing before review or publication",
        "complete": "Every required language has its headline and body.",
        "submit": "Submit to Medical review → Communications review",
        "status": "Status",
        "optional title": "Title in English, optional",
    },
}


@pytest.fixture
def editors(transactional_db, make_user):
    ensure_site_tree()
    users = {"fr": make_user("edith", "Editors"), "en": make_user("eddie", "Editors")}
    for language, user in users.items():
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = language
        profile.save()
    return users


def test_a_new_editor_reads_the_release_form(editors, live_server, page):
    page.set_viewport_size(DESKTOP)
    index = ReleaseIndexPage.objects.get()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    for language, user in editors.items():
        words = WORDS[language]
        log_in(page, live_server.url, user.username)
        # Their account's time zones, each with its offset: no zone the
        # browser refuses stops the list being labelled.
        page.goto(f"{live_server.url}/admin/account/")
        paris = page.locator(
            '#id_locale-current_time_zone option[value="Europe/Paris"]'
        )
        expect(paris).to_contain_text(re.compile(r"(GMT|UTC)\+"))
        assert errors == []
        page.goto(
            f"{live_server.url}/admin/pages/add/announcements/pressrelease/{index.pk}/"
        )
        status = page.locator("[data-translation-status]")
        expect(status).to_contain_text(words["missing"])
        expect(status.locator("li:visible")).to_have_count(4)

        # The checklist follows the typing.
        page.fill('input[name="title_fr"]', "Résultats")
        page.fill('input[name="title_en"]', "Results")
        type_rich_text(page, "body_fr", "Texte.")
        expect(status.locator("li:visible")).to_have_count(1)
        type_rich_text(page, "body_en", "Text.")
        expect(status).to_have_attribute("data-translation-status", "complete")
        expect(status).to_contain_text(words["complete"])
        page.locator('input[name="requires_en"]').uncheck()
        page.fill('input[name="title_en"]', "")
        expect(status).to_have_attribute("data-translation-status", "complete")

        # Only the required language's title says "required".
        assert "*" in page.locator("#id_title_fr").get_attribute("placeholder")
        assert (
            page.locator("#id_title_en").get_attribute("placeholder")
            == (words["optional title"])
        )
        expect(page.get_by_text("Copy content from")).to_have_count(0)

        # The standfirst box is sized for one or two sentences.
        height = page.locator("#id_standfirst_fr").bounding_box()["height"]
        assert height < 100, height

        # With the side panel open, each dateline label stays on one line.
        page.get_by_role("button", name=words["status"]).first.click()
        for name in ("dateline_place_fr", "dateline_date_fr", "dateline_place_en"):
            label = page.locator(f'label[for="id_{name}"]')
            assert label.evaluate(LINES_OF) == 1, (language, name)

        # The review is named in the editor's language.
        page.locator("footer [data-w-dropdown-target=toggle]").last.click()
        expect(page.get_by_role("button", name=words["submit"])).to_be_visible()
    # Leave no request of the admin's (editing-session pings) running while
    # the test database is emptied.
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")


def test_a_lay_summarys_readability_follows_the_typing(editors, live_server, page):
    """The editor sees each language's reading ease change as they write,
    before any save, and the jargon the glossary does not explain."""
    page.set_viewport_size(DESKTOP)
    home = ensure_site_tree()
    trial = build_trial(home)
    log_in(page, live_server.url, editors["fr"].username)
    page.goto(f"{live_server.url}/admin/pages/add/announcements/laysummary/{trial.pk}/")
    panel = page.locator("[data-readability]")
    expect(panel).to_contain_text("Écrivez le résumé")
    page.fill(
        'textarea[name="results_fr"]',
        "Le chat dort sur le lit. Le chien court au parc.",
    )
    french = panel.locator('[data-readability-language="fr"]')
    expect(french.locator("[data-score]")).to_have_text("128")
    page.fill(
        'textarea[name="results_en"]',
        "The double-blind trial did not meet its primary endpoint, although the "
        "biomarker fell in patients who received the placebo during the "
        "pre-planned analysis of the whole cohort of patients.",
    )
    english = panel.locator('[data-readability-language="en"]')
    expect(english.locator("[data-score]")).to_have_text("40")
    expect(english.locator("[data-below-target]")).to_be_visible()
    expect(english.locator("[data-unexplained]")).to_have_count(6)
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")
