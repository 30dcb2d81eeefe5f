"""Journalists' accounts, what each may read before the embargo, and the log
of every such reading.

A journalist is not a user of the site: the account lives here, outside
``django.contrib.auth``, so that no approval, mistake or group can ever open
the Wagtail admin to a journalist. Communications reviewers approve or refuse
each registration; an approved journalist reads embargoed items either all of
them (``all_embargoed``) or per item (``PressAccess``), until each lifts.
"""

import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel, PageChooserPanel
from wagtail.models import Page, Revision

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

EMBARGOED_TYPES = ["announcements.PressRelease", "announcements.PartnerPosition"]


def new_calendar_token():
    return secrets.token_urlsafe(32)


def new_nonce():
    return secrets.token_urlsafe(16)


def embargoed_items():
    """Releases and statements approved and scheduled for their embargo, and
    not public yet: ``{page_id: embargo}``. Between the embargo time and the
    scheduler's run an item stays here, as it stays behind a journalist's
    link: nobody meets a gap in which it is neither."""
    from .positions import PartnerPosition
    from .releases import PressRelease

    scheduled = {
        int(object_id): embargo
        for object_id, embargo in Revision.page_revisions.filter(
            approved_go_live_at__isnull=False
        ).values_list("object_id", "approved_go_live_at")
    }
    if not scheduled:
        return {}
    types = ContentType.objects.get_for_models(PressRelease, PartnerPosition)
    page_ids = Page.objects.filter(
        pk__in=scheduled, live=False, content_type__in=types.values()
    ).values_list("pk", flat=True)
    return {pk: scheduled[pk] for pk in page_ids}


class Journalist(ClusterableModel):
    """A journalist who asked to read embargoed items, and the answer."""

    class Status(models.IntegerChoices):
        # Pending first: the review queue lists them in this order.
        PENDING = 1, _("Pending review")
        APPROVED = 2, _("Approved")
        REFUSED = 3, _("Refused")
        REVOKED = 4, _("Access revoked")

    name = models.CharField(_("name"), max_length=200)
    outlet = models.CharField(
        _("outlet"),
        max_length=200,
        help_text=_("The newspaper, agency, radio or channel they work for."),
    )
    email = models.EmailField(
        _("professional e-mail"),
        unique=True,
        help_text=_("Sign-in links and decisions are sent to this address."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    status = models.PositiveSmallIntegerField(
        _("status"), choices=Status.choices, default=Status.PENDING
    )
    all_embargoed = models.BooleanField(
        _("every embargoed item"),
        default=False,
        help_text=_(
            "Reads every approved, scheduled release and statement before its "
            "embargo. Otherwise only the items granted below."
        ),
    )
    password = models.CharField(max_length=128, blank=True, editable=False)
    sign_in_nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    calendar_token = models.CharField(
        max_length=64, unique=True, default=new_calendar_token, editable=False
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("outlet"),
        FieldPanel("email"),
        FieldPanel("language"),
        FieldPanel("all_embargoed"),
        InlinePanel("grants", heading=_("Items granted"), label=_("Item")),
    ]

    class Meta:
        verbose_name = _("journalist")
        verbose_name_plural = _("journalists")
        ordering = ["status", "-registered_at"]

    def __str__(self):
        return f"{self.name} ({self.outlet})"

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED

    def set_password(self, raw_password):
        self.password = make_password(raw_password) if raw_password else ""

    def check_password(self, raw_password):
        return bool(self.password) and check_password(raw_password, self.password)

    def readable_items(self):
        """``{page_id: embargo}`` of the embargoed items this journalist may
        read now: none unless approved; all, or those granted."""
        if not self.is_approved:
            return {}
        items = embargoed_items()
        if self.all_embargoed:
            return items
        # From the database, whatever this instance holds in memory (a
        # cluster's form may hold grants not yet saved).
        granted = set(
            PressAccess.objects.filter(journalist=self).values_list(
                "page_id", flat=True
            )
        )
        return {pk: embargo for pk, embargo in items.items() if pk in granted}


class PressAccess(models.Model):
    """One embargoed item opened to one journalist; removing it revokes it."""

    journalist = ParentalKey(
        Journalist, on_delete=models.CASCADE, related_name="grants"
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("release or statement"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    panels = [PageChooserPanel("page", EMBARGOED_TYPES)]

    class Meta:
        verbose_name = _("item granted")
        verbose_name_plural = _("items granted")
        constraints = [
            models.UniqueConstraint(
                fields=["journalist", "page"], name="one_grant_per_item"
            )
        ]

    def __str__(self):
        return str(self.page)


class AccessLog(models.Model):
    """One reading of an embargoed item before its lift: who, what, when,
    through which door. This is how a press office investigates a broken
    embargo, so entries keep their words when the account, link or page goes."""

    class Via(models.TextChoices):
        ACCOUNT = "account", _("Press account")
        LINK = "link", _("Secret link")

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("release or statement"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="press_views",
    )
    title = models.CharField(_("item"), max_length=255)
    document = models.CharField(_("attachment"), max_length=255, blank=True)
    via = models.CharField(_("through"), max_length=8, choices=Via.choices)
    journalist = models.ForeignKey(
        Journalist,
        verbose_name=_("journalist"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    link = models.ForeignKey(
        "announcements.EmbargoPreviewLink",
        verbose_name=_("secret link"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    who = models.CharField(_("who"), max_length=255)
    language = models.CharField(_("language"), max_length=8)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    viewed_at = models.DateTimeField(_("viewed at"), default=timezone.now)

    class Meta:
        verbose_name = _("embargoed reading")
        verbose_name_plural = _("embargoed readings")
        ordering = ["-viewed_at", "-pk"]

    def __str__(self):
        return f"{self.who}: {self.title}"
