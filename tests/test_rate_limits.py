"""Public forms that send mail, or try a password, are limited per address
and per client: a stranger cannot flood one journalist's or one reader's
inbox, nor one client try without end. A limited request is told so, in the
reader's language, and sends nothing."""

from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

import pytest
import time_machine

from tests.factories import JournalistFactory


@pytest.fixture(autouse=True)
def limits(settings):
    settings.RATE_LIMIT_PER_ADDRESS = "3/h"
    settings.RATE_LIMIT_PER_CLIENT = "6/h"
    # The clock stands still: a window that ended mid-test would start the
    # count again.
    with time_machine.travel(timezone.now(), tick=False):
        yield


def link_request(client, email, ip):
    return client.post("/en/press/sign-in/", {"link-email": email}, REMOTE_ADDR=ip)


def registration(client, email, ip, site="en"):
    path = "/en/press/register/" if site == "en" else "/fr/presse/inscription/"
    data = {"name": "A B", "outlet": "C", "email": email, "language": site}
    return client.post(path, data, REMOTE_ADDR=ip)


def subscription(client, email, ip):
    with translation.override("en"):
        url = reverse("alert_subscribe")
    return client.post(url, {"email": email, "trial": ""}, REMOTE_ADDR=ip)


DOORS = {
    "sign-in link": link_request,
    "registration": registration,
    "alert subscription": subscription,
}


@pytest.mark.parametrize("door", DOORS)
def test_one_address_gets_a_few_mails_whoever_asks(db, client, mailoutbox, door):
    """Twenty requests from twenty clients: three mails, then 429s."""
    journalist = JournalistFactory(language="en")
    answers = [DOORS[door](client, journalist.email, f"192.0.2.{n}") for n in range(20)]
    assert [answer.status_code for answer in answers] == [200] * 3 + [429] * 17
    assert len(mailoutbox) == 3
    assert "Too many requests for this address" in answers[-1].text


@pytest.mark.parametrize("door", DOORS)
def test_one_client_gets_a_few_mails_sent_whatever_the_address(
    db, client, mailoutbox, door
):
    answers = [
        DOORS[door](client, f"reader{n}@example.org", "198.51.100.9") for n in range(10)
    ]
    assert [answer.status_code for answer in answers] == [200] * 6 + [429] * 4
    assert len(mailoutbox) <= 6
    # Another client is not held back.
    assert DOORS[door](client, "other@example.org", "198.51.100.10").status_code == 200


def test_a_limited_registration_is_told_so_in_french(db, client, mailoutbox):
    for _ in range(3):
        registration(client, "a@example.org", "192.0.2.1", site="fr")
    response = registration(client, "a@example.org", "192.0.2.2", site="fr")
    assert response.status_code == 429
    assert "Trop de demandes pour cette adresse" in response.text
    assert 'name="outlet"' in response.text  # the form again, filled in
    assert len(mailoutbox) == 3


def test_password_guesses_from_one_client_are_limited_across_addresses(db, client):
    """The lockout counts per address; across many addresses, per client."""
    journalist = JournalistFactory()
    for n in range(6):
        client.post(
            "/en/press/sign-in/",
            {"password-email": f"x{n}@example.org", "password-password": "guess"},
            REMOTE_ADDR="203.0.113.5",
        )
    response = client.post(
        "/en/press/sign-in/",
        {"password-email": journalist.email, "password-password": "pw"},
        REMOTE_ADDR="203.0.113.5",
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "press_journalist" not in client.session


def test_behind_the_proxy_each_client_is_counted_apart(db, client, settings):
    """The client is read from X-Forwarded-For as the login lockout reads it
    (``AXES_IPWARE_*``), not the proxy's own address."""
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

    def through_proxy(email, client_ip):
        return client.post(
            "/en/press/sign-in/",
            {"link-email": email},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=client_ip,
        )

    for n in range(6):
        assert through_proxy(f"r{n}@example.org", "192.0.2.77").status_code == 200
    assert through_proxy("r7@example.org", "192.0.2.77").status_code == 429
    assert through_proxy("r8@example.org", "192.0.2.78").status_code == 200


def test_the_alert_form_needs_its_csrf_token(db, mailoutbox):
    """Another site cannot make its visitors' browsers subscribe someone; the
    Subscribe page gives each reader their token (and is never cached)."""
    browser = Client(enforce_csrf_checks=True)
    with translation.override("en"):
        url = reverse("alert_subscribe")
    forged = browser.post(url, {"email": "victim@example.org", "trial": ""})
    assert forged.status_code == 403 and mailoutbox == []
    page = browser.get("/en/subscribe/")
    assert page.status_code == 200 and "csrftoken" in page.cookies
    token = page.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"')[0]
    sent = browser.post(
        url, {"email": "me@example.org", "trial": "", "csrfmiddlewaretoken": token}
    )
    assert sent.status_code == 200 and len(mailoutbox) == 1


def test_the_subscribe_page_is_not_served_from_the_page_cache(
    db, site_tree_once, page_cache_on
):
    """Each reader gets their own CSRF token: the page is never kept."""
    first, second = Client(), Client()
    tokens = []
    for browser in (first, second):
        page = browser.get("/en/subscribe/")
        assert page.status_code == 200
        tokens.append(page.cookies["csrftoken"].value)
    assert tokens[0] != tokens[1]
