"""A subscriber in a real browser, on a phone and on a desktop, in both
languages: a feed opened in the browser is a page that says what it is, with
its address to copy; the e-mail alert form subscribes, and the message's
link confirms with one button."""

import re
from io import StringIO

from django.conf import settings
from django.core import mail
from django.core.management import call_command

import pytest
from playwright.sync_api import expect

from announcements.site_tree import ensure_site_tree
from tests.browser import has_horizontal_scroll, serious_accessibility_violations
from tests.factories import feed_url

SIZES = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1366, "height": 800},
}
WORDS = {
    "fr": {
        "subscribe": "/fr/abonnement/",
        "alerts": "Recevoir les alertes par e-mail",
        "how": "Comment s’abonner",
        "copy": "Copier l’adresse",
        "copied": "Adresse copiée",
        "email": "Votre adresse e-mail",
        "send": "Recevoir les alertes",
        "inbox": "Consultez votre messagerie",
        "confirm": "Confirmer",
        "confirmed": "C’est confirmé",
    },
    "en": {
        "subscribe": "/en/subscribe/",
        "alerts": "Get e-mail alerts",
        "how": "How to subscribe",
        "copy": "Copy the address",
        "copied": "Address copied",
        "email": "Your e-mail address",
        "send": "Receive the alerts",
        "inbox": "Check your inbox",
        "confirm": "Confirm",
        "confirmed": "Confirmed",
    },
}


@pytest.fixture
def seeded_site(transactional_db):
    ensure_site_tree()
    call_command("load_seed_content", stdout=StringIO())


def _looks_right(page):
    assert not has_horizontal_scroll(page), page.url
    assert not serious_accessibility_violations(page), page.url


@pytest.mark.parametrize("size", SIZES)
def test_a_subscriber_reads_a_feed_and_asks_for_alerts(
    seeded_site, live_server, page, size
):
    page.set_viewport_size(SIZES[size])
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    for language, words in WORDS.items():
        # The feed, opened in the browser: a page, not raw XML.
        url = live_server.url + feed_url(language)
        page.goto(url)
        expect(page.get_by_role("heading", name=words["how"])).to_be_visible()
        expect(page.locator("#feed-url")).to_have_value(url)
        expect(page.locator(".card-list li").first).to_be_visible()
        page.get_by_role("button", name=words["copy"]).click()
        expect(page.locator(".feed-copied")).to_have_text(words["copied"])
        assert page.evaluate("navigator.clipboard.readText()") == url
        _looks_right(page)

        # Alerts by e-mail, found from the home page.
        mail.outbox.clear()
        page.goto(f"{live_server.url}/{language}/")
        page.get_by_role("link", name=words["alerts"]).click()
        expect(page).to_have_url(f"{live_server.url}{words['subscribe']}#alerts")
        expect(page.get_by_label(words["email"])).to_be_in_viewport()
        _looks_right(page)
        page.get_by_label(words["email"]).fill(f"{size}-{language}@example.org")
        page.get_by_role("button", name=words["send"]).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(words["inbox"])
        (message,) = mail.outbox
        link = re.search(r"https?://\S+", message.body).group()
        assert link.startswith(settings.WAGTAILADMIN_BASE_URL)
        page.goto(link.replace(settings.WAGTAILADMIN_BASE_URL, live_server.url))
        page.get_by_role("button", name=words["confirm"]).click()
        expect(page.locator(".alert-done")).to_contain_text(words["confirmed"])
        _looks_right(page)
