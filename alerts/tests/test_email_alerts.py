"""E-mail alerts: a reader subscribes on the Subscribe page, confirms from
the message, receives one alert per item when it goes live (at its embargo
lift too, never before), in their language, and stops them in one click.
Alerts leave through the worker's queue: publishing only queues them."""

import datetime
import re

from django.core import mail
from django.urls import reverse
from django.utils import translation

import pytest

from alerts.models import AlertSubscription
from announcements.models import PressRelease
from tests.factories import build_position, build_release, build_trial
from tests.test_embargo import EMBARGO, WORD, Embargoed

LINK = re.compile(r"https?://\S+")
# The public site's address, as production sets it: every link in a mail.
PUBLIC = "https://news.example.org"


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.WAGTAILADMIN_BASE_URL = PUBLIC


def subscribe(client, language, email="desk@example.org", trial=None):
    with translation.override(language):
        url = reverse("alert_subscribe")
    return client.post(url, {"email": email, "trial": trial.pk if trial else ""})


def confirm(client, message):
    """What a reader does: open the link in the message, press the button."""
    url = LINK.findall(message.body)[0]
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url)


def subscribed(client, language, **kwargs):
    mail.outbox.clear()
    subscribe(client, language, **kwargs)
    (message,) = mail.outbox
    confirm(client, message)
    mail.outbox.clear()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_reader_subscribes_and_confirms_in_their_language(
    home, trial, client, language
):
    response = subscribe(client, language, email="Desk@Example.org")
    assert response.status_code == 200
    inbox = {"fr": "Consultez votre messagerie", "en": "Check your inbox"}[language]
    assert inbox in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["desk@example.org"]
    subject = {"fr": "Confirmez", "en": "Confirm"}[language]
    assert message.subject.startswith(subject)
    url = LINK.findall(message.body)[0]
    assert url.startswith(f"{PUBLIC}/{language}/")
    subscription = AlertSubscription.objects.get()
    assert subscription.language == language and subscription.confirmed_at is None

    # Opening the link (as a mail scanner does) confirms nothing.
    client.get(url)
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    done = client.post(url)
    assert "desk@example.org" in done.content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None


def test_nothing_is_sent_before_confirmation(home, trial, client, go_live):
    subscribe(client, "en")
    mail.outbox.clear()
    go_live(build_release(home, trial, live=False))
    assert mail.outbox == []


def test_a_bad_address_is_refused_and_nothing_is_stored(home, client):
    response = subscribe(client, "en", email="not an address")
    assert response.status_code == 400
    assert "Enter a valid email address" in response.content.decode()
    assert not AlertSubscription.objects.exists()
    assert mail.outbox == []


def test_asking_twice_says_the_same_and_keeps_one_subscription(home, trial, client):
    subscribed(client, "en")
    again = subscribe(client, "en")
    assert "Check your inbox" in again.content.decode()
    assert AlertSubscription.objects.count() == 1
    assert mail.outbox == []  # already confirmed: nothing to confirm


def test_one_alert_per_item_in_the_readers_language(home, trial, client, go_live):
    subscribed(client, "fr")
    subscribed(client, "en", email="newsdesk@example.org")
    release = go_live(
        build_release(
            home,
            trial,
            live=False,
            title_fr="Résultats MIROCALS",
            title_en="MIROCALS results",
        )
    )
    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address["desk@example.org"].subject == "Résultats MIROCALS"
    assert by_address["newsdesk@example.org"].subject == "MIROCALS results"
    english = by_address["newsdesk@example.org"]
    assert f"{PUBLIC}/en/press-releases/" in english.body
    assert "localhost" not in english.body
    # One click to stop, for mail clients (RFC 8058).
    unsubscribe = english.extra_headers["List-Unsubscribe"].strip("<>")
    assert english.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    assert unsubscribe in english.body and unsubscribe.startswith(PUBLIC)
    # Published again after an edit: no second alert.
    mail.outbox.clear()
    release.title_en = "MIROCALS results (corrected)"
    go_live(release)
    assert mail.outbox == []


def test_alerts_for_one_trial_and_for_every_release(home, trial, client, go_live):
    other = build_trial(home, registry_id="NCT01111111", title_en="OTHER")
    subscribed(client, "en", email="trial@example.org", trial=trial)
    subscribed(client, "en", email="releases@example.org")
    go_live(build_position(home, trial, live=False, title_en="Partner statement"))
    go_live(build_release(home, other, live=False, title_en="Other release"))
    sent = sorted((message.to[0], message.subject) for message in mail.outbox)
    assert sent == [
        ("releases@example.org", "Other release"),
        ("trial@example.org", "Partner statement"),
    ]


def test_one_click_unsubscribe(home, trial, client, go_live):
    subscribed(client, "en")
    go_live(build_release(home, trial, live=False))
    url = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    # A mail client's one-click POST, with no cookie and no form token.
    client.post(url, {"List-Unsubscribe": "One-Click"})
    assert not AlertSubscription.objects.exists()
    mail.outbox.clear()
    go_live(build_release(home, trial, live=False, title_en="Later"))
    assert mail.outbox == []
    assert "receives no alerts any more" in client.get(url).content.decode()


class TestAtTheEmbargo:
    def test_sent_at_the_lift_and_not_before(self, home, make_user, client, lift):
        item = Embargoed(home, make_user, "scheduled")
        subscribed(client, "en", trial=item.trial)
        assert mail.outbox == []
        lift(EMBARGO - datetime.timedelta(minutes=1))
        assert mail.outbox == []
        lift(EMBARGO + datetime.timedelta(seconds=30))
        subjects = sorted(message.subject for message in mail.outbox)
        assert subjects == [f"Release {WORD}", f"Statement {WORD}"]

    def test_nothing_is_sent_for_an_item_withdrawn_before_its_lift(
        self, home, make_user, client, lift
    ):
        item = Embargoed(home, make_user, "scheduled")
        subscribed(client, "en", trial=item.trial)
        for page in item.pages:  # the schedule cancelled, as the admin does
            revision = type(page).objects.get(pk=page.pk).scheduled_revision
            revision.approved_go_live_at = None
            revision.save()
        lift(EMBARGO + datetime.timedelta(minutes=5))
        assert mail.outbox == []
        assert not PressRelease.objects.get(pk=item.release.pk).live


def test_an_undated_statements_alert_says_its_source_gives_no_date(
    home, trial, client, go_live
):
    subscribed(client, "fr", trial=trial)
    go_live(
        build_position(
            home, trial, live=False, title_fr="Position sans date", source_date=None
        )
    )
    (message,) = mail.outbox
    assert "date non donnée par la source" in message.body
    assert " · \n" not in message.body
