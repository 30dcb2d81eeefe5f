"""E-mail alerts with several newsrooms in one install: each newsroom has its
own subscribers, made at its own host, whose messages link to it and name it.
A release goes to its own newsroom's subscribers to every release; an item
about a trial to that trial's subscribers in every newsroom (each
newsroom's trial page shows every newsroom's items about it), linking to the
item where it was published; an embargoed item to nobody before its lift."""

import datetime
import re
from urllib.parse import urlsplit

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

import pytest

from alerts.mail import send_alert, send_alert_messages
from alerts.models import AlertSent, AlertSubscription
from tests.factories import build_position, build_release, build_trial
from tests.support import OTHER_NEWSROOM as OTHER
from tests.support import run_worker
from tests.test_embargo import EMBARGO, WORD, Embargoed

from .test_email_alerts import PUBLIC

LINK = re.compile(r"https?://\S+")


@pytest.fixture(autouse=True)
def public_address(settings):
    """The first newsroom's address, as production sets it."""
    settings.WAGTAILADMIN_BASE_URL = PUBLIC


def subscribe(client, language, host, email="desk@example.org", trial=None):
    with translation.override(language):
        url = reverse("alert_subscribe")
    return client.post(
        url, {"email": email, "trial": trial.pk if trial else ""}, HTTP_HOST=host
    )


def follow(client, url, method="get", **data):
    """Open a link from a message at its own host."""
    parts = urlsplit(url)
    return getattr(client, method)(parts.path, data, HTTP_HOST=parts.netloc)


def subscribed(client, language, host, **kwargs):
    """Subscribed at ``host`` and confirmed from the message, as a reader
    does."""
    mail.outbox.clear()
    subscribe(client, language, host, **kwargs)
    (message,) = mail.outbox
    follow(client, LINK.findall(message.body)[0], "post")
    mail.outbox.clear()


def sent():
    return sorted((message.to[0], message.subject) for message in mail.outbox)


def by_address():
    return {message.to[0]: message for message in mail.outbox}


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("fr", "Confirmez vos alertes e-mail de la salle de presse « FILSLAN »"),
        ("en", "Confirm your e-mail alerts from the newsroom “FILSLAN network”"),
    ],
)
def test_a_subscription_made_at_a_newsrooms_host_is_its_own(
    home, other, client, language, subject
):
    response = subscribe(client, language, OTHER)
    assert response.status_code == 200
    (message,) = mail.outbox
    assert message.subject == subject
    name = {"fr": "« FILSLAN »", "en": "“FILSLAN network”"}[language]
    assert name in message.body
    url = LINK.findall(message.body)[0]
    assert url.startswith(f"http://{OTHER}/{language}/")
    subscription = AlertSubscription.objects.get()
    assert subscription.site == other
    follow(client, url, "post")
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None

    # The same address at the CHU's newsroom: a second subscription, the
    # CHU's, its links on the public site's address.
    mail.outbox.clear()
    subscribe(client, language, "localhost")
    (message,) = mail.outbox
    assert "CHU de Nîmes" in message.subject
    assert LINK.findall(message.body)[0].startswith(f"{PUBLIC}/{language}/")
    sites = AlertSubscription.objects.values_list("site__hostname", flat=True)
    assert sorted(sites) == sorted(["localhost", OTHER])


def test_a_newsroom_without_a_name_is_not_named(home, client):
    subscribe(client, "en", "localhost")
    (message,) = mail.outbox
    assert message.subject == "Confirm your e-mail alerts from the newsroom"
    assert "asked for the newsroom's e-mail alerts" in message.body


def test_the_trials_offered_are_those_the_newsroom_shows(home, trial, other, client):
    """FILSLAN shows the trial it published about, not the CHU's others."""
    build_position(other.root_page, trial, title_fr="FILSLAN salue")
    unknown = build_trial(home, registry_id="NCT01111111", title_en="UNKNOWN")
    with translation.override("en"):
        url = reverse("subscribe")
    page = client.get(url, HTTP_HOST=OTHER).text
    assert f'<option value="{trial.pk}">' in page
    assert f'value="{unknown.pk}"' not in page
    assert unknown.registry_id not in page  # nor its feed and calendar
    assert unknown.registry_id in client.get(url, HTTP_HOST="localhost").text

    refused = subscribe(client, "en", OTHER, trial=unknown)
    assert refused.status_code == 400
    assert not AlertSubscription.objects.exists() and mail.outbox == []


def test_a_release_goes_to_its_own_newsrooms_subscribers(
    home, trial, other, client, go_live
):
    subscribed(client, "en", "localhost", email="chu@example.org")
    subscribed(client, "en", OTHER, email="filslan@example.org")
    go_live(build_release(other.root_page, trial, live=False, title_en="FILSLAN's"))
    assert sent() == [("filslan@example.org", "FILSLAN's")]
    (message,) = mail.outbox
    assert f"http://{OTHER}/en/press-releases/" in message.body
    stop = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert stop.startswith(f"http://{OTHER}/en/") and stop in message.body
    assert PUBLIC not in message.body

    mail.outbox.clear()
    go_live(build_release(home, trial, live=False, title_en="The CHU's"))
    assert sent() == [("chu@example.org", "The CHU's")]
    assert OTHER not in mail.outbox[0].body

    # Stopped from the link, at FILSLAN's host: FILSLAN hears nothing more.
    follow(client, stop, "post")
    assert list(AlertSubscription.objects.values_list("email", flat=True)) == [
        "chu@example.org"
    ]


def test_an_item_about_a_trial_reaches_its_subscribers_in_every_newsroom(
    home, trial, other, client, go_live
):
    build_position(other.root_page, trial, title_en="FILSLAN welcomes")
    subscribed(client, "en", OTHER, email="trial@filslan.example", trial=trial)
    subscribed(client, "en", OTHER, email="all@filslan.example")
    subscribed(client, "en", "localhost", email="trial@chu.example", trial=trial)

    go_live(build_release(home, trial, live=False, title_en="CHU results"))
    assert sent() == [
        ("trial@chu.example", "CHU results"),
        ("trial@filslan.example", "CHU results"),
    ]
    filslan = by_address()["trial@filslan.example"]
    # The item where it was published, the CHU's; the way out, FILSLAN's,
    # and FILSLAN named as the newsroom the reader asked.
    assert f"{PUBLIC}/en/press-releases/" in filslan.body
    stop = filslan.extra_headers["List-Unsubscribe"].strip("<>")
    assert stop.startswith(f"http://{OTHER}/en/")
    assert (
        "You receive these alerts from the newsroom “FILSLAN network” for: "
        "every press release and partner statement about the trial MIROCALS"
    ) in filslan.body
    assert "newsroom “CHU de Nîmes”" in by_address()["trial@chu.example"].body

    mail.outbox.clear()
    go_live(build_position(other.root_page, trial, live=False, title_en="Thanks"))
    assert sent() == [
        ("trial@chu.example", "Thanks"),
        ("trial@filslan.example", "Thanks"),
    ]
    chu = by_address()["trial@chu.example"]
    assert f"http://{OTHER}/en/statements/" in chu.body
    assert chu.extra_headers["List-Unsubscribe"].startswith(f"<{PUBLIC}/en/")


def test_a_reader_who_follows_an_item_several_ways_gets_it_once(
    home, trial, other, client, go_live
):
    """Every release of the CHU, MIROCALS at the CHU and at FILSLAN, in
    English; MIROCALS in French too: one message per language, the English
    one from the subscription in the newsroom that published the item."""
    build_position(other.root_page, trial, title_en="FILSLAN welcomes")
    reader = "desk@example.org"
    subscribed(client, "en", OTHER, email=reader, trial=trial)
    subscribed(client, "en", "localhost", email=reader, trial=trial)
    subscribed(client, "en", "localhost", email=reader.upper())
    subscribed(client, "fr", "localhost", email=reader, trial=trial)
    subscribed(client, "en", OTHER, email="other@example.org", trial=trial)

    go_live(
        build_release(
            home, trial, live=False, title_en="CHU results", title_fr="Résultats"
        )
    )
    assert sorted(
        (message.to[0].lower(), message.subject) for message in mail.outbox
    ) == [
        (reader, "CHU results"),
        (reader, "Résultats"),
        ("other@example.org", "CHU results"),
    ]
    english = next(
        m
        for m in mail.outbox
        if m.subject == "CHU results" and "desk" in m.to[0].lower()
    )
    stop = english.extra_headers["List-Unsubscribe"].strip("<>")
    assert stop.startswith(f"{PUBLIC}/en/"), "the publishing newsroom's subscription"
    french = next(m for m in mail.outbox if m.subject == "Résultats")
    assert (
        "Vous recevez ces alertes de la salle de presse « CHU de Nîmes » pour :"
    ) in french.body

    # Sent again (a retried task), it reaches nobody twice.
    mail.outbox.clear()
    record = AlertSent.objects.get(page__title_en="CHU results")
    assert send_alert.call(record.page_id) == 0
    run_worker()
    assert mail.outbox == []


def test_an_embargoed_item_reaches_another_newsroom_only_at_its_lift(
    home, make_user, other, client, lift
):
    item = Embargoed(home, make_user, "scheduled")
    build_position(other.root_page, item.trial, title_en="FILSLAN welcomes")
    subscribed(client, "en", OTHER, email="trial@filslan.example", trial=item.trial)
    subscribed(client, "en", OTHER, email="all@filslan.example")
    lift(EMBARGO - datetime.timedelta(minutes=1))
    assert mail.outbox == []
    lift(EMBARGO + datetime.timedelta(seconds=30))
    assert sent() == [
        ("trial@filslan.example", f"Release {WORD}"),
        ("trial@filslan.example", f"Statement {WORD}"),
    ]
    for message in mail.outbox:
        assert f"{PUBLIC}/en/" in message.body


def test_a_batch_reads_no_newsroom_or_trial_per_subscriber(home, trial, other):
    """The CHU's release about the trial, to the CHU's subscribers to every
    release and to the trial's in both newsrooms: a batch of nine runs the
    queries a batch of three does, besides each message's delivery row."""
    release = build_release(home, trial, title_en="CHU results")
    now = timezone.now()
    AlertSubscription.objects.bulk_create(
        AlertSubscription(
            site=site,
            email=f"reader{number}@example.org",
            language=("fr", "en")[number % 2],
            trial=about,
            confirmed_at=now,
        )
        for number in range(4)
        for site, about in (
            (home.get_site(), None),
            (home.get_site(), trial),
            (other, trial),
            (other, None),  # FILSLAN's releases only: not this one
        )
    )
    ids = list(
        AlertSubscription.objects.for_item(release)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    assert len(ids) == 12

    for language in ("fr", "en"):  # Wagtail's site root paths, cached
        with translation.override(language):
            release.get_url_parts()

    def queries(batch):
        with CaptureQueriesContext(connection) as captured:
            assert send_alert_messages.call(release.pk, batch) == len(batch)
        return [
            query["sql"]
            for query in captured.captured_queries
            if "alertdelivery" not in query["sql"] and "SAVEPOINT" not in query["sql"]
        ]

    assert len(queries(ids[:3])) == len(queries(ids[3:]))
    assert AlertSent.objects.get(page=release).recipients == 12
