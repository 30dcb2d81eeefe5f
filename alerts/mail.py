"""E-mail alerts' messages: the confirmation an address is asked for, and
each item's alert, sent once, when the item first goes live (at its embargo
lift, when the scheduler publishes it): an item withdrawn before its lift is
never announced. Every alert carries a one-click unsubscribe link (RFC 8058).

Messages go through Django's e-mail backend (the console in development).
"""

import logging

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from wagtail.models import Site

from .models import AlertSent, AlertSubscription

logger = logging.getLogger(__name__)


def public_root():
    """The public site's address, for links in e-mails (read once per
    sending, not once per message)."""
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_url if site else ""


def _link(name, subscription, root):
    with translation.override(subscription.language):
        return root + reverse(name, args=(subscription.token,))


def ask_for_confirmation(subscription):
    with translation.override(subscription.language):
        context = {
            "subscription": subscription,
            "confirm_url": _link("alert_confirm", subscription, public_root()),
        }
        message = EmailMessage(
            subject=str(_("Confirm your e-mail alerts from the newsroom")),
            body=render_to_string("alerts/confirm_email.txt", context),
            to=[subscription.email],
        )
    message.send(fail_silently=False)


def alert_message(page, subscription, root):
    reading = page.reading(subscription.language)
    unsubscribe_url = _link("alert_unsubscribe", subscription, root)
    with translation.override(subscription.language):
        context = {
            "reading": reading,
            "page": page,
            "url": page.get_full_url(),
            "unsubscribe_url": unsubscribe_url,
            "subscription": subscription,
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
    """Sends ``page``'s alert to its subscribers, once; after the commit, so
    that nothing is sent for a publication that was rolled back."""
    page = page.specific
    if not page.live:
        return
    _alert, first = AlertSent.objects.get_or_create(page_id=page.pk)
    if first:
        transaction.on_commit(lambda: _deliver(page.pk))


def _deliver(page_id):
    record = AlertSent.objects.get(page_id=page_id)
    page = record.page.specific
    subscriptions = list(AlertSubscription.objects.for_item(page))
    root = public_root()
    messages = [alert_message(page, sub, root) for sub in subscriptions]
    try:
        if messages:
            with get_connection() as connection:
                connection.send_messages(messages)
    except Exception:
        # The publication stands; the mail server's failure goes to the logs
        # (and ADMINS), and the next publication of the item tries again.
        logger.exception("Alert for page %s not sent", page_id)
        record.delete()
        return
    record.recipients = len(messages)
    record.save(update_fields=["recipients"])
    logger.info("Alert for page %s sent to %s addresses", page_id, len(messages))


def on_published(sender, instance, **kwargs):
    announce(instance)
