"""A journalist's way in a real browser: registration, the address's
confirmation, the press office's approval, the e-mailed sign-in link, the
press area, an embargoed release."""

import datetime
import re
import threading

from django.core import mail
from django.test import Client
from django.utils import timezone

from wagtail.test.utils.form_data import inline_formset, nested_form_data

import pytest
from playwright.sync_api import expect

from announcements.site_tree import ensure_site_tree
from press import views
from press.models import Journalist
from tests.browser import serious_accessibility_violations
from tests.factories import build_release, build_trial, schedule


@pytest.fixture
def embargoed_release(transactional_db, django_user_model):
    home = ensure_site_tree()
    trial = build_trial(home, registry_id="NCT03039673")
    embargo = timezone.now().replace(microsecond=0) + datetime.timedelta(days=2)
    return schedule(
        build_release(
            home,
            trial,
            live=False,
            title_fr="Résultats de l’essai Orion",
            title_en="Results of the Orion trial",
        ),
        embargo,
    )


@pytest.fixture
def after_response(monkeypatch):
    """Waits for the next of what the live server does once a response has
    gone (the press area's mails): the browser may show the page first, and
    the test's own requests must not overlap it."""
    done = threading.Semaphore(0)
    deferred = views.after_response

    def after_response(response, send):
        def sending():
            try:
                send()
            finally:
                done.release()

        return deferred(response, sending)

    monkeypatch.setattr(views, "after_response", after_response)
    return lambda: done.acquire(timeout=15)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-GB"}


def approve_as_the_press_office(make_user, release):
    """The press office approves the request and opens the release to them."""
    reviewer = Client()
    reviewer.force_login(make_user("claire", "Communications reviewers"))
    journalist = Journalist.objects.get()
    response = reviewer.post(f"/admin/journalists/approve/{journalist.pk}/")
    assert response.status_code == 302
    form = {
        "newsroom": journalist.newsroom_id,
        "name": journalist.name,
        "outlet": journalist.outlet,
        "email": journalist.email,
        "language": journalist.language,
        "grants": inline_formset([{"page": release.pk}]),
    }
    edit = f"/admin/journalists/edit/{journalist.pk}/"
    assert reviewer.post(edit, nested_form_data(form)).status_code == 302


def test_a_journalist_registers_is_approved_and_reads_an_embargoed_release(
    embargoed_release, live_server, page, make_user, after_response
):
    page.goto(live_server.url + "/en/")
    page.get_by_role("link", name="Press area for journalists").click()
    page.get_by_role("link", name="Register for the press area").click()
    expect(page.locator("h1")).to_have_text("Register for the press area")
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Name").fill("Ada Reporter")
    page.get_by_label("Outlet").fill("Science Daily")
    page.get_by_label("Professional e-mail").fill("ada@science.example")
    page.locator("select[name=language]").select_option("en")
    page.get_by_role("button", name="Send my request").click()
    expect(page.locator("h1")).to_have_text("Check your inbox")

    assert after_response()
    (confirmation,) = mail.outbox
    path = re.search(r"https?://[^/\s]+(/en/press/register/\S+/)", confirmation.body)
    page.goto(live_server.url + path[1])
    page.get_by_role("button", name="Confirm my address").click()
    expect(page.locator("h1")).to_have_text("Address confirmed")
    assert after_response()  # the press office is told

    approve_as_the_press_office(make_user, embargoed_release)
    _, decision = mail.outbox
    link = re.search(r"https?://[^/\s]+(/en/press/sign-in/\S+/)", decision.body)[1]

    page.goto(live_server.url + link)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Press area")
    expect(page.locator(".embargo-notice")).to_contain_text("UTC")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("link", name="Results of the Orion trial").click()
    expect(page.locator(".embargo-banner")).to_contain_text("EMBARGOED UNTIL")
    expect(page.locator("h1")).to_contain_text("Results of the Orion trial")

    # The same release in French, still in the press area.
    page.get_by_role("link", name="Français").click()
    expect(page.locator("h1")).to_contain_text("Résultats de l’essai Orion")
    expect(page.locator(".embargo-banner")).to_contain_text("SOUS EMBARGO")
    expect(page).to_have_url(re.compile(rf"/fr/presse/{embargoed_release.pk}/$"))
