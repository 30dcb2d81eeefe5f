"""E-mail alerts: readers who asked to hear of new items by e-mail.

The tables keep the names they had when these models lived in
``announcements`` (``db_table``): moving an app moves no data.

An address is subscribed, per language and per newsroom (a Wagtail site,
``announcements.newsrooms``), to that newsroom's every press release or to
everything about one trial, whichever newsroom published it, once it
confirms (double opt-in); each item is announced once, when it first goes
live.
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from announcements.models import PressRelease

CONFIRMATION_DAYS = 7


def new_token():
    return secrets.token_urlsafe(32)


class AlertSubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def for_item(self, page):
        """Confirmed subscriptions that hear of ``page``: everything about its
        trial, in every newsroom (each newsroom's trial page shows every
        newsroom's items about it), and every press release of the newsroom
        that published it."""
        wanted = models.Q(trial_id=page.trial_id)
        parts = page.get_url_parts() if isinstance(page, PressRelease) else None
        if parts is not None:
            wanted |= models.Q(trial__isnull=True, site_id=parts[0])
        return self.confirmed().filter(wanted)


class AlertSubscription(models.Model):
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("newsroom"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    trial = models.ForeignKey(
        "announcements.Trial",
        verbose_name=_("trial"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: every press release."),
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    objects = AlertSubscriptionQuerySet.as_manager()

    # The token's shape: URLs accept nothing else.
    TOKEN_PATTERN = r"[A-Za-z0-9_-]{43}"  # noqa: S105 (a shape, not a secret)

    class Meta:
        db_table = "announcements_alertsubscription"
        verbose_name = _("e-mail alert")
        verbose_name_plural = _("e-mail alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "email", "language", "trial"],
                condition=models.Q(trial__isnull=False),
                name="one_trial_alert_per_newsroom_address_and_language",
            ),
            models.UniqueConstraint(
                fields=["site", "email", "language"],
                condition=models.Q(trial__isnull=True),
                name="one_release_alert_per_newsroom_address_and_language",
            ),
        ]

    def __str__(self):
        return self.email

    def confirmation_expired(self):
        limit = datetime.timedelta(days=CONFIRMATION_DAYS)
        return self.confirmed_at is None and timezone.now() > self.created_at + limit


class AlertSent(models.Model):
    """An item whose alert is on its way: each item is announced once,
    however often it is published again. Created with the publication that
    first put it live; its messages are then sent by the worker."""

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    # Messages sent so far (the deliveries, counted as each batch ends).
    recipients = models.PositiveIntegerField(default=0)
    # The item was withdrawn (unpublished, under embargo again, made private)
    # before the worker sent every message: the rest wait for it to be
    # public again.
    withheld = models.BooleanField(default=False)

    class Meta:
        db_table = "announcements_alertsent"

    def __str__(self):
        return f"{self.page_id}: {self.recipients}"


class AlertDelivery(models.Model):
    """One subscriber's message about one item, sent: the key that keeps a
    task tried again, or run twice, from sending it a second time."""

    alert = models.ForeignKey(
        AlertSent, on_delete=models.CASCADE, related_name="deliveries"
    )
    subscription = models.ForeignKey(
        AlertSubscription, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "subscription"], name="one_message_per_alert"
            )
        ]

    def __str__(self):
        return f"{self.alert_id} → {self.subscription_id}"
