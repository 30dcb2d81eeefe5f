"""E-mail alerts, as an alternative to feeds.

A reader gives an address, on the Subscribe page, for every press release or
for everything about one trial, in the language of the site they are on. A
message asks them to confirm (double opt-in); nothing is sent before. Each
item is announced once, when it first goes live (at its embargo lift, when the
scheduler publishes it): an item withdrawn before its lift is never announced.
Every message carries a one-click unsubscribe link (RFC 8058).

Messages go through Django's e-mail backend (the console in development).
"""

import logging

from django import forms
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from wagtail.models import Site

from .models import AlertSent, AlertSubscription, Trial

logger = logging.getLogger(__name__)


class AlertForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    trial = forms.ModelChoiceField(
        label=_("What to receive"),
        queryset=Trial.objects.none(),
        required=False,
        empty_label=_("Every press release"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trial"].queryset = Trial.objects.published().order_by("title")
        self.fields["trial"].label_from_instance = lambda trial: (
            _("Everything about the trial %(trial)s") % {"trial": trial.title}
        )


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
            body=render_to_string("announcements/alerts/confirm_email.txt", context),
            to=[subscription.email],
        )
    message.send(fail_silently=False)


# No CSRF token: the form only ever sends a confirmation request to the
# address given, and the public site sets no cookie (its pages stay cacheable).
@csrf_exempt
@never_cache
@require_http_methods(["POST"])
def subscribe(request):
    """Asks an address to confirm; says the same whether or not it was
    already subscribed, so that the form tells nobody who reads what."""
    form = AlertForm(request.POST)
    if form.data.get("website"):  # a field people never see: a robot
        return render(request, "announcements/alerts/check_inbox.html", {})
    if not form.is_valid():
        return render(
            request,
            "announcements/alerts/form_errors.html",
            {"alert_form": form},
            status=400,
        )
    language = translation.get_language()
    subscription, created = AlertSubscription.objects.get_or_create(
        email=form.cleaned_data["email"].lower(),
        language=language,
        trial=form.cleaned_data["trial"],
    )
    if subscription.confirmed_at is None:
        if not created:  # asked again: a fresh link
            subscription.token = AlertSubscription._meta.get_field("token").default()
            subscription.created_at = timezone.now()
            subscription.save(update_fields=["token", "created_at"])
        ask_for_confirmation(subscription)
    return render(
        request,
        "announcements/alerts/check_inbox.html",
        {"email": subscription.email},
    )


@csrf_exempt  # the token in the address is the proof
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """A page with a button, not a confirmation on opening the link: mail
    scanners open links, readers press buttons."""
    subscription = get_object_or_404(AlertSubscription, token=token)
    expired = subscription.confirmation_expired()
    if request.method == "POST" and not expired and not subscription.confirmed_at:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return _own_page(
        request,
        "announcements/alerts/confirm.html",
        {"subscription": subscription, "expired": expired},
    )


@csrf_exempt  # mail clients post the one-click unsubscribe without a form
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """One click: a mail client's POST (List-Unsubscribe-Post) or the button
    of this page ends the subscription; the address is forgotten."""
    subscription = AlertSubscription.objects.filter(token=token).first()
    done = request.method == "POST"
    if done and subscription is not None:
        subscription.delete()
    return _own_page(
        request,
        "announcements/alerts/unsubscribe.html",
        {"subscription": subscription, "done": done},
    )


def _own_page(request, template, context):
    """A page about one reader's subscription: never in search engines."""
    response = render(request, template, context)
    response["X-Robots-Tag"] = "noindex"
    return response


# Sending ------------------------------------------------------------------


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
        body = render_to_string("announcements/alerts/alert_email.txt", context)
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
