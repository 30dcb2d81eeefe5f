"""A journalist's link, in a real browser on a phone and on a desktop: the
embargoed release with its banner before the lift, still the release between
the embargo time and the scheduler's run, the public page once it is live."""

import datetime
from io import StringIO

from django.core.management import call_command

import pytest
import time_machine
from playwright.sync_api import expect

from press.models import EmbargoPreviewLink
from tests.test_embargo import EMBARGO, WORD, Embargoed

SIZES = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1366, "height": 800},
}
BANNER = {"fr": "SOUS EMBARGO JUSQU’AU", "en": "EMBARGOED UNTIL"}
TITLE = {"fr": f"Communiqué {WORD}", "en": f"Release {WORD}"}


@pytest.fixture
def link(transactional_db, home, make_user):
    item = Embargoed(home, make_user, "scheduled")
    link = EmbargoPreviewLink(page=item.release, label="Desk santé")
    link.full_clean()
    link.save()
    return link


@pytest.mark.parametrize("size", SIZES)
def test_a_journalists_link_through_the_lift(link, live_server, page, size):
    page.set_viewport_size(SIZES[size])
    urls = {language: live_server.url + link.url_in(language) for language in BANNER}
    for language, url in urls.items():
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE[language])
        expect(page.get_by_text(BANNER[language])).to_be_visible()
    with time_machine.travel(EMBARGO + datetime.timedelta(seconds=20), tick=False):
        page.goto(urls["en"])  # the scheduler has not run yet
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE["en"])
        call_command("publish_scheduled", stdout=StringIO())
        for language, url in urls.items():
            page.goto(url)
            expect(page.get_by_role("heading", level=1)).to_have_text(TITLE[language])
            expect(page.get_by_text(BANNER[language])).to_have_count(0)
            assert "/embargo/" not in page.url
