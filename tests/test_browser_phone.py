"""A phone reader and a desktop reader, in a real browser, in both languages:
a trial's facts are label above value on a phone (never a one-word ribbon),
no word or identifier is cut, the header is compact and still leads
everywhere, and the desktop keeps its side-by-side facts."""

from io import StringIO

from django.core.management import call_command
from django.utils import translation

import pytest
from playwright.sync_api import expect

from announcements.models import (
    ContactIndexPage,
    GlossaryTerm,
    HomePage,
    LaySummary,
    PressRelease,
    Trial,
)
from announcements.site_tree import ensure_site_tree
from tests.browser import has_horizontal_scroll, serious_accessibility_violations
from tests.ctgov import ctgov  # noqa: F401 (fixture)
from tests.factories import build_summary

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 800}
INSTITUTION = {"fr": "CHU de Nîmes", "en": "Nîmes University Hospital"}
CONTACTS = {"fr": "Contacts presse", "en": "Press contacts"}

# Words cut across two lines: each run of letters between spaces, hyphens and
# slashes (where a line may rightly end) must sit on one line.
BROKEN_WORDS = """(root) => {
  const broken = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!element || element.getBoundingClientRect().width <= 1) continue;
    for (const match of node.data.matchAll(/[^\\s\\-\\u2010-\\u2014\\/]+/g)) {
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = [...range.getClientRects()]
        .filter((rect) => rect.width > 0)
        .map((rect) => rect.top);
      if (tops.length && Math.max(...tops) - Math.min(...tops) > 2) {
        broken.push(match[0]);
      }
    }
  }
  return broken;
}"""

LINES_OF = """(element) => {
  const range = document.createRange();
  range.selectNodeContents(element);
  const tops = [...range.getClientRects()]
    .filter((rect) => rect.width > 0)
    .map((rect) => Math.round(rect.top));
  return new Set(tops).size;
}"""


@pytest.fixture
def seeded_site(transactional_db, ctgov):  # noqa: F811
    """The seed, with the trial's registry record imported (its table of
    registered and published facts is the widest thing on a phone)."""
    ensure_site_tree()
    call_command("load_seed_content", stdout=StringIO())
    call_command("import_registry", "NCT03039673", stdout=StringIO())
    # Not seed content (none of the sources is one): a lay summary written
    # here, so that its page and the trial's section for patients are read.
    GlossaryTerm.objects.create(
        term_fr="placebo",
        term_en="placebo",
        definition_fr="Un produit qui ressemble au médicament, sans substance active.",
        definition_en="A product like the medicine, with no active substance.",
    )
    build_summary(
        Trial.objects.get(),
        treatments_fr="La moitié a reçu le médicament, l’autre moitié un placebo.",
        treatments_en="Half got the medicine, the other half a placebo.",
    )


def _urls(language):
    with translation.override(language):
        return {
            "home": HomePage.objects.get().get_url(),
            "trial": Trial.objects.get().get_url(),
            "release": PressRelease.objects.get().get_url(),
            "contacts": ContactIndexPage.objects.get().get_url(),
            "lay summary": LaySummary.objects.get().get_url(),
        }


def _what_a_reader_sees_wrong(page):
    """Faults any page may have, at any width."""
    faults = {}
    broken = page.locator("body").evaluate(BROKEN_WORDS)
    if broken:
        faults["words cut across lines"] = broken
    identifiers = page.locator(".identifier, a[href^='tel:'], a[href^='mailto:']")
    for index in range(identifiers.count()):
        identifier = identifiers.nth(index)
        if identifier.evaluate(LINES_OF) != 1:
            faults.setdefault("identifiers on two lines", []).append(
                identifier.inner_text()
            )
    if has_horizontal_scroll(page):
        faults["horizontal scroll"] = True
    violations = serious_accessibility_violations(page)
    if violations:
        faults["accessibility"] = violations
    brand = page.locator(".site-header .brand")
    if (
        INSTITUTION[page.locator("html").get_attribute("lang")]
        not in brand.inner_text()
    ):
        faults["institution not named"] = brand.inner_text()
    return faults


def _first_contact_organisation(page):
    return page.locator(".contact-card .contact-organisation").first.inner_text()


# One test per screen size, both languages in each: this module stays as small
# as the other live-server modules, which pytest-xdist (--dist loadfile, larger
# files first) would otherwise run before the modules that need the migrated
# page tree a live-server test empties.


def test_a_phone_reader_reads_whole_facts_and_words(seeded_site, live_server, page):
    page.set_viewport_size(PHONE)
    for language in ("fr", "en"):
        _phone_visit(page, live_server.url, language)


def _phone_visit(page, server, language):
    urls = _urls(language)
    failures = {}
    for name, url in urls.items():
        page.goto(server + url)
        faults = _what_a_reader_sees_wrong(page)
        # Each value of a trial's facts has at least half the screen.
        for dd in page.locator("dl.facts dd").all():
            width = dd.bounding_box()["width"]
            if width < PHONE["width"] / 2:
                faults.setdefault("narrow values", []).append(
                    (dd.inner_text()[:30], width)
                )
        header = page.locator(".site-header").bounding_box()["height"]
        if header > PHONE["height"] / 5:
            faults["header height"] = header
        if faults:
            failures[name] = faults
    assert not failures, (language, failures)

    # Facts are label above value: the trial's record and the release's box.
    for name in ("trial", "release"):
        page.goto(server + urls[name])
        facts = page.locator("dl.facts").first
        label = facts.locator("dt").first.bounding_box()
        value = facts.locator("dd").first.bounding_box()
        assert value["y"] >= label["y"] + label["height"] - 1, (language, name)
        expect(facts.locator("dd a.identifier").first).to_have_text("NCT03039673")

    # Registered and published: each fact's values under its name, whole.
    page.goto(server + urls["trial"])
    comparison = page.locator("[data-registry-comparison] tbody tr").first
    for cell in comparison.locator("td").all():
        assert cell.bounding_box()["width"] > PHONE["width"] / 2, language

    # The compact header still shows every section, the other language and
    # the search, and leads to them.
    page.goto(server + urls["trial"])
    sections = page.locator(".site-nav a")
    expect(sections).to_have_count(4)
    for link in sections.all():
        expect(link).to_be_in_viewport()
    other = "English" if language == "fr" else "Français"
    expect(page.get_by_role("link", name=other)).to_be_in_viewport()
    expect(page.get_by_role("searchbox")).to_be_in_viewport()
    page.locator(".site-nav").get_by_role("link", name=CONTACTS[language]).click()
    expect(page.locator("h1")).to_have_text(CONTACTS[language])
    # The institution's own press office first.
    assert _first_contact_organisation(page) == INSTITUTION[language]


def test_a_desktop_reader_keeps_side_by_side_facts(seeded_site, live_server, page):
    page.set_viewport_size(DESKTOP)
    for language in ("fr", "en"):
        urls = _urls(language)
        failures = {}
        for name, url in urls.items():
            page.goto(live_server.url + url)
            faults = _what_a_reader_sees_wrong(page)
            for facts in page.locator("dl.facts").all():
                for dt in facts.locator("dt").all():
                    label = dt.bounding_box()
                    value = dt.locator("xpath=following-sibling::dd[1]").bounding_box()
                    if abs(value["y"] - label["y"]) > 2 or value["x"] <= label["x"]:
                        faults.setdefault("facts not side by side", []).append(
                            dt.inner_text()
                        )
            # Brand, search and languages on one line, the sections on the next.
            header = page.locator(".site-header").bounding_box()["height"]
            if header > 120:
                faults["header height"] = header
            if faults:
                failures[name] = faults
        assert not failures, (language, failures)
        page.goto(live_server.url + urls["contacts"])
        assert _first_contact_organisation(page) == INSTITUTION[language]
