"""Alerts leave through the worker's queue: a publication returns at once
whatever the number of subscribers, having only queued its alert; the worker
sends each subscriber one message, once, however often it runs or a task is
repeated; a message the mail server refuses is tried again later and
delivered once; a publication rolled back queues nothing."""

import datetime
import logging
import smtplib
from collections import Counter

from django.core import mail
from django.core.mail.backends import locmem
from django.db import transaction
from django.utils import timezone

from wagtail.models import Site

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from alerts.mail import send_alert, send_alert_messages
from alerts.models import AlertDelivery, AlertSent, AlertSubscription
from announcements.models import PressRelease
from tests.factories import build_release
from tests.support import run_worker


def confirmed_subscribers(count):
    """``count`` confirmed addresses for every press release of the first
    newsroom, French and English in turn."""
    site = Site.objects.get(is_default_site=True)
    AlertSubscription.objects.bulk_create(
        AlertSubscription(
            site=site,
            email=f"reader{number}@example.org",
            language=("fr", "en")[number % 2],
            confirmed_at=timezone.now(),
        )
        for number in range(count)
    )


def queued():
    """The tasks waiting for the worker: (name, arguments)."""
    return [
        (result.task_name, result.args_kwargs["args"])
        for result in DBTaskResult.objects.ready()
    ]


@pytest.fixture
def release(home, trial):
    return build_release(
        home, trial, live=False, title_fr="Résultats MIROCALS", title_en="Results"
    )


@pytest.fixture
def publish(committed):
    def publish(page):
        with committed():
            page.save_revision().publish()

    return publish


def test_a_thousand_subscribers_one_queued_task_then_one_message_each(
    release, publish, monkeypatch
):
    confirmed_subscribers(1000)
    publish(release)
    # The publication sent nothing and queued one task for the whole alert.
    assert mail.outbox == []
    assert queued() == [("send_alert", [release.pk])]

    connections = []

    def connect(backend):
        connections.append(backend)

    monkeypatch.setattr(locmem.EmailBackend, "open", connect)
    run_worker()
    assert len(connections) == 10  # one connection to the mail server per 100
    assert AlertSent.objects.get(page=release).recipients == 1000
    by_address = {message.to[0]: message for message in mail.outbox}
    assert len(mail.outbox) == len(by_address) == 1000
    assert by_address["reader0@example.org"].subject == "Résultats MIROCALS"
    assert by_address["reader1@example.org"].subject == "Results"
    tokens = dict(AlertSubscription.objects.values_list("email", "token"))
    for address, message in by_address.items():
        assert tokens[address] in message.extra_headers["List-Unsubscribe"]
    assert queued() == []

    mail.outbox.clear()
    run_worker()
    publish(release)  # published again after an edit
    run_worker()
    assert mail.outbox == []


def test_an_item_withdrawn_before_its_alert_left_is_sent_once_public_again(
    release, publish, committed
):
    """Published, then withdrawn (an error seen at once; it may be under
    embargo again) while its alert waits for the worker, whole or split into
    batches: nothing is sent while it is not public. Published again, its
    alert leaves, once."""
    confirmed_subscribers(2)
    publish(release)
    send_alert.call(release.pk)  # as the worker splits it into batches
    assert len(queued()) == 2
    with committed():
        PressRelease.objects.get(pk=release.pk).unpublish()
    run_worker()
    assert mail.outbox == []
    assert AlertSent.objects.get(page=release).withheld

    publish(PressRelease.objects.get(pk=release.pk))
    run_worker()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "reader0@example.org",
        "reader1@example.org",
    ]
    publish(PressRelease.objects.get(pk=release.pk))
    run_worker()
    assert len(mail.outbox) == 2


def test_a_repeated_task_sends_nothing_twice(release, publish):
    confirmed_subscribers(2)
    publish(release)
    run_worker()
    assert len(mail.outbox) == 2
    subscription = AlertSubscription.objects.first()
    send_alert.enqueue(release.pk)
    send_alert_messages.enqueue(release.pk, [subscription.pk])
    run_worker()
    assert len(mail.outbox) == 2
    assert AlertDelivery.objects.count() == 2
    assert AlertSent.objects.get(page=release).recipients == 2


def test_an_alert_left_running_by_a_killed_worker_is_sent_by_the_next(
    release, publish, caplog
):
    """The worker was killed while sending (out of memory, its machine
    gone): its task stays "running". The next worker to start sends it, an
    hour on, and leaves alone a task another worker started minutes ago."""
    confirmed_subscribers(2)
    publish(release)
    (alert,) = DBTaskResult.objects.ready()
    alert.claim("killed")
    other = send_alert.enqueue(release.pk)
    DBTaskResult.objects.get(pk=other.id).claim("busy")
    started = timezone.now()
    DBTaskResult.objects.filter(pk=alert.pk).update(
        started_at=started - datetime.timedelta(minutes=61)
    )
    DBTaskResult.objects.filter(pk=other.id).update(
        started_at=started - datetime.timedelta(minutes=5)
    )

    run_worker()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "reader0@example.org",
        "reader1@example.org",
    ]
    assert "1 task(s) left running by a stopped worker are queued again" in caplog.text
    assert DBTaskResult.objects.get(pk=other.id).status == "RUNNING"


def test_a_refused_message_is_tried_again_later_and_delivered_once(
    release, publish, monkeypatch, caplog
):
    """The mail server refuses one address three times (greylisting, an
    outage): the other subscriber has the alert at once; this one is tried
    again 1, then 2, then 4 minutes later, and delivered once."""
    confirmed_subscribers(2)
    refused = "reader0@example.org"
    refusals = []
    send = locmem.EmailBackend.send_messages

    def greylisting(backend, messages):
        if messages[0].to == [refused] and len(refusals) < 3:
            refusals.append(timezone.now())
            raise smtplib.SMTPRecipientsRefused({refused: (451, b"Try later")})
        return send(backend, messages)

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", greylisting)
    start = timezone.now() + datetime.timedelta(seconds=1)

    def at(seconds):
        moment = start + datetime.timedelta(seconds=seconds)
        return time_machine.travel(moment, tick=False)

    with at(0), caplog.at_level(logging.WARNING, logger="newsroom.tasks"):
        publish(release)
        run_worker()
    assert [message.to[0] for message in mail.outbox] == ["reader1@example.org"]
    assert "trying again in 0:01:00" in caplog.text
    for seconds in (0, 59, 60, 179, 180, 419, 420, 3 * 3600):
        with at(seconds):
            run_worker()
    assert [moment - start for moment in refusals] == [
        datetime.timedelta(seconds=seconds) for seconds in (0, 60, 180)
    ]
    sent = Counter(message.to[0] for message in mail.outbox)
    assert sent == {"reader1@example.org": 1, refused: 1}
    assert AlertDelivery.objects.count() == 2
    # Each refused attempt stays on record, with its error.
    failed = DBTaskResult.objects.failed()
    assert [result.exception_class_path for result in failed] == [
        "smtplib.SMTPRecipientsRefused"
    ] * 3


def test_while_the_mail_server_is_down_nothing_is_lost(release, publish, monkeypatch):
    confirmed_subscribers(3)
    send = locmem.EmailBackend.send_messages
    down = True

    def server(backend, messages):
        if down:
            raise ConnectionRefusedError(111, "Connection refused")
        return send(backend, messages)

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", server)
    publish(release)
    run_worker()
    assert mail.outbox == []
    down = False
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        run_worker()
        run_worker()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "reader0@example.org",
        "reader1@example.org",
        "reader2@example.org",
    ]


def test_a_publication_rolled_back_queues_nothing(release, publish, committed):
    confirmed_subscribers(1)

    class Refused(Exception):
        pass

    with committed(), pytest.raises(Refused), transaction.atomic():
        release.save_revision().publish()
        raise Refused
    run_worker()
    assert mail.outbox == [] and queued() == []
    assert not AlertSent.objects.exists()
    release.refresh_from_db()
    publish(release)  # published for real later: announced then
    run_worker()
    assert len(mail.outbox) == 1


def test_who_unsubscribes_before_the_worker_runs_hears_nothing(release, publish):
    confirmed_subscribers(2)
    publish(release)
    AlertSubscription.objects.filter(email="reader0@example.org").delete()
    run_worker()
    assert [message.to[0] for message in mail.outbox] == ["reader1@example.org"]
