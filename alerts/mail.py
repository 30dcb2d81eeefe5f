"""E-mail alerts' messages: the confirmation an address is asked for, and
each item's alert, sent once, when the item first goes live (at its embargo
lift, when the scheduler publishes it): an item withdrawn before its lift is
never announced, and one withdrawn before the worker sent every message
sends no more until it is public again (``AlertSent.withheld``). Every alert
carries a one-click unsubscribe link (RFC 8058).

A publication only queues its alert, once committed: one task, whatever the
number of subscribers, so that publishing waits for no mail server. The
worker runs it (``send_alert``), which splits the subscribers into batches
(``send_alert_messages``), each sent over one connection to the mail server.
Each message is sent once (``AlertDelivery``); a batch the mail server failed
or refused in part is tried again later, whole, until every message has
gone, and skips those that went (newsroom/tasks.py).

Each newsroom (a Wagtail site) has its own subscribers: a release goes to
its own newsroom's subscribers to every release, and an item about a trial
to that trial's subscribers in every newsroom; an address that hears of it
through several subscriptions gets one message per language
(``_one_per_reader``). The links a message carries lead to the
subscription's newsroom, the item's to where it was published
(``newsrooms.address_of``).

Messages go through Django's e-mail backend (the console in development).
"""

import logging
import smtplib

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from wagtail.models import Site

from django_tasks import task

from announcements import newsrooms
from newsroom.tasks import BACKEND, enqueue_on_commit, retry_later

from .models import AlertDelivery, AlertSent, AlertSubscription

logger = logging.getLogger(__name__)

# Messages per batch: one task and one connection to the mail server each.
BATCH = 100
# The mail server refused this message, and only it: the batch goes on.
REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)


def _link(name, subscription):
    with translation.override(subscription.language):
        return newsrooms.address_of(subscription.site) + reverse(
            name, args=(subscription.token,)
        )


def ask_for_confirmation(subscription):
    """The message asking to confirm, naming the newsroom when it has a name,
    so that a reader subscribing to two newsrooms tells them apart."""
    newsroom = newsrooms.name_of(subscription.site, subscription.language)
    with translation.override(subscription.language):
        subject = (
            _("Confirm your e-mail alerts from the newsroom “%(newsroom)s”")
            % {"newsroom": newsroom}
            if newsroom
            else _("Confirm your e-mail alerts from the newsroom")
        )
        context = {
            "subscription": subscription,
            "newsroom": newsroom,
            "confirm_url": _link("alert_confirm", subscription),
        }
        message = EmailMessage(
            subject=str(subject),
            body=render_to_string("alerts/confirm_email.txt", context),
            to=[subscription.email],
        )
    message.send(fail_silently=False)


def alert_message(page, subscription, page_root):
    """``page``'s alert for ``subscription``, linking to the item where it
    was published (``page_root``: the address of its newsroom), whichever
    newsroom the subscription is in; the link to stop is the
    subscription's newsroom's."""
    reading = page.reading(subscription.language)
    unsubscribe_url = _link("alert_unsubscribe", subscription)
    with translation.override(subscription.language):
        context = {
            "reading": reading,
            "page": page,
            "url": page_root + page.get_url_parts()[2],
            "unsubscribe_url": unsubscribe_url,
            "subscription": subscription,
            "newsroom": newsrooms.name_of(subscription.site, subscription.language),
        }
        body = render_to_string("alerts/alert_email.txt", context)
    return EmailMessage(
        subject=reading.title,
        body=body,
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )


def announce(page):
    """Queues ``page``'s alert when it first goes live, once however often it
    is published again; after the commit, so that nothing is sent for a
    publication that was rolled back."""
    page = page.specific
    if not page.live:
        return
    alert, first = AlertSent.objects.get_or_create(page_id=page.pk)
    if alert.withheld:
        AlertSent.objects.filter(pk=alert.pk).update(withheld=False)
    elif not first:
        return
    if AlertSubscription.objects.for_item(page).exists():
        enqueue_on_commit(send_alert, page.pk)


def _withheld(record):
    """Is the item no longer public (unpublished, under embargo again, made
    private) since its alert was queued? Then nothing more is sent until it
    is public again (``announce``)."""
    page = record.page.specific
    if type(page).objects.published().filter(pk=page.pk).exists():
        return False
    AlertSent.objects.filter(pk=record.pk).update(withheld=True)
    logger.info("Alert for page %s withheld: the item is no longer public", page.pk)
    return True


@task(backend=BACKEND)
def send_alert(page_id, attempt=1):
    """Queues the item's messages, in batches, for its subscribers who have
    not had it: all the batches, or none if this fails (and is tried
    again)."""
    try:
        with transaction.atomic():
            record = AlertSent.objects.filter(page_id=page_id).first()
            if record is None:  # the item was deleted meanwhile
                return 0
            if _withheld(record):
                return 0
            waiting = _one_per_reader(record)
            for start in range(0, len(waiting), BATCH):
                send_alert_messages.enqueue(page_id, waiting[start : start + BATCH])
    except Exception:
        retry_later(send_alert, attempt, page_id)
        raise
    logger.info("Alert for page %s queued for %s addresses", page_id, len(waiting))
    return len(waiting)


def _one_per_reader(record):
    """The subscriptions to write to: one per address and language. An
    address may hear of the item through several (its newsroom's releases,
    its trial here and in another newsroom): the one in the newsroom that
    published it is used, else the oldest; none for an address it reached."""
    page = record.page.specific
    parts = page.get_url_parts()
    publisher = parts[0] if parts else None
    reached = {
        (email.lower(), language)
        for email, language in record.deliveries.values_list(
            "subscription__email", "subscription__language"
        )
    }
    chosen = {}
    for pk, email, language, site_id in (
        AlertSubscription.objects.for_item(page)
        .order_by("pk")
        .values_list("pk", "email", "language", "site_id")
    ):
        reader = (email.lower(), language)
        if reader in reached:
            continue
        if reader not in chosen or (
            site_id == publisher and chosen[reader][1] != publisher
        ):
            chosen[reader] = (pk, site_id)
    return sorted(pk for pk, _site in chosen.values())


@task(backend=BACKEND)
def send_alert_messages(page_id, subscription_ids, attempt=1):
    """Sends the item's alert to each of these subscribers who has not had
    it and is still subscribed; tried again later, whole, when the mail
    server fails or refuses some. Returns how many it sent."""
    try:
        return _send_batch(page_id, subscription_ids)
    except Exception:
        retry_later(send_alert_messages, attempt, page_id, subscription_ids)
        raise


def _send_batch(page_id, subscription_ids):
    record = AlertSent.objects.filter(page_id=page_id).first()
    if record is None or _withheld(record):
        return 0
    page = record.page.specific
    page_root = newsrooms.address_of(Site.objects.get(pk=page.get_url_parts()[0]))
    subscriptions = (
        AlertSubscription.objects.confirmed()
        .filter(pk__in=subscription_ids)
        .exclude(pk__in=record.deliveries.values("subscription_id"))
        .select_related("site__institution__organisation", "trial")
        .order_by("pk")
    )
    sent, refused = 0, {}
    try:
        with get_connection() as connection:
            for subscription in subscriptions:
                message = alert_message(page, subscription, page_root)
                try:
                    sent += _send_once(connection, message, record, subscription)
                except REFUSED as error:
                    refused[subscription.email] = str(error)
    finally:
        AlertSent.objects.filter(pk=record.pk).update(recipients=F("recipients") + sent)
        logger.info("Alert for page %s sent to %s addresses", page_id, sent)
    if refused:
        raise smtplib.SMTPRecipientsRefused(refused)
    return sent


def _send_once(connection, message, record, subscription):
    # The row and the sending commit together: a failed send leaves no row,
    # and a second run of this batch waits for the first's row, then skips.
    with transaction.atomic():
        _delivery, first = AlertDelivery.objects.get_or_create(
            alert=record, subscription=subscription
        )
        if first:
            connection.send_messages([message])
    return first


def on_published(sender, instance, **kwargs):
    announce(instance)
