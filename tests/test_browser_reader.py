"""A reader's visit in a real browser: language, release, contact, trial;
readable on a phone; no serious accessibility fault on any page type."""

from io import StringIO

from django.core.management import call_command
from django.utils import translation

import pytest
from playwright.sync_api import expect

from announcements.models import (
    ContactIndexPage,
    HomePage,
    PartnerPosition,
    PositionIndexPage,
    PressContact,
    PressRelease,
    ReleaseIndexPage,
    Trial,
    TrialIndexPage,
)
from announcements.site_tree import ensure_site_tree
from tests.browser import has_horizontal_scroll, serious_accessibility_violations


@pytest.fixture
def seeded_site(transactional_db):
    ensure_site_tree()
    call_command("load_seed_content", stdout=StringIO())


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-GB"}


def test_reader_switches_language_reads_release_calls_contact_sees_trial(
    seeded_site, live_server, page
):
    page.goto(live_server.url + "/")
    expect(page).to_have_url(live_server.url + "/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("link", name="Français").click()
    expect(page).to_have_url(live_server.url + "/fr/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    page.get_by_role("link", name="Nouvelles perspectives pour le traitement").click()
    expect(page.locator("h1")).to_contain_text("Nouvelles perspectives")
    expect(page.locator(".dateline time")).to_have_attribute("datetime", "2025-05-12")

    # The same release in English, not the English home page.
    page.get_by_role("link", name="English").click()
    expect(page.locator("h1")).to_contain_text("New insights into the treatment of ALS")
    expect(page.locator(".dateline time")).to_have_attribute("datetime", "2025-05-09")

    page.locator(".contacts").get_by_role("link", name="Michaël VIDEMENT").click()
    expect(page.locator("h1")).to_have_text("Michaël VIDEMENT")
    expect(page.get_by_role("link", name="+33 6 61 43 28 12")).to_have_attribute(
        "href", "tel:+33661432812"
    )
    page.go_back()

    page.locator(".trial-box").get_by_role("link", name="MIROCALS").click()
    expect(page.locator("h1")).to_contain_text("MIROCALS")
    statements = page.locator(".statements .announcement-card")
    expect(statements).to_have_count(4)
    expect(statements.filter(has_text="Partner statement")).to_have_count(3)
    for organisation in ("Filière FILSLAN", "AFM-Téléthon", "ILTOO Pharma"):
        expect(statements.filter(has_text=organisation)).to_have_count(1)


PAGE_TYPES = [
    HomePage,
    ReleaseIndexPage,
    PressRelease,
    PositionIndexPage,
    PartnerPosition,
    TrialIndexPage,
    Trial,
    ContactIndexPage,
    PressContact,
]


def _urls():
    urls = []
    for model in PAGE_TYPES:
        page = model.objects.live().first()
        for language in ("fr", "en"):
            with translation.override(language):
                urls.append(page.get_url())
    return urls + ["/en/search/?q=riluzole", "/fr/abonnement/"]


def test_every_page_type_fits_a_phone_and_passes_axe(
    seeded_site, live_server, page, tmp_path
):
    page.set_viewport_size({"width": 360, "height": 740})
    failures = {}
    for url in _urls():
        page.goto(live_server.url + url)
        if has_horizontal_scroll(page):
            page.screenshot(path=tmp_path / "scroll.png", full_page=True)
            failures[url] = "horizontal scroll at 360 px"
        violations = serious_accessibility_violations(page)
        if violations:
            failures[url] = violations
    assert not failures, failures
