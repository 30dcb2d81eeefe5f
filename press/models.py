"""Journalists' accounts, the secret links, what each may read before the
embargo, and the log of every such reading.

The tables keep the names they had when these models lived in
``announcements`` (``db_table``): moving an app moves no data.

A journalist is not a user of the site: the account lives here, outside
``django.contrib.auth``, so that no approval, mistake or group can ever open
the Wagtail admin to a journalist. Communications reviewers approve or refuse
each registration; an approved journalist reads embargoed items either all of
them (``all_embargoed``) or per item (``PressAccess``), until each lifts.

Each newsroom (a Wagtail site, ``announcements.newsrooms``) has its own press
area: a journalist's account is the newsroom's they registered with, read at
its address only, and opens that newsroom's embargoed items alone; its press
office, and no other, decides on it and reads its log.
"""

import datetime
import secrets

from django import forms
from django.conf import settings
from django.contrib.auth.hashers import (
    check_password,
    is_password_usable,
    make_password,
)
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, PageChooserPanel
from wagtail.models import Page, Site

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from announcements.embargo import embargoed_items, lifted_items
from announcements.newsrooms import address_of
from announcements.reader_input import single_line
from announcements.teams import in_newsroom, pages_in, sites_of

EMBARGOED_TYPES = ["announcements.PressRelease", "announcements.PartnerPosition"]


def new_calendar_token():
    return secrets.token_urlsafe(32)


def new_nonce():
    return secrets.token_urlsafe(16)


# A journalist's calendar keeps a lifted embargo this long, linking to the
# public item.
LIFTED_KEPT = datetime.timedelta(days=30)


class JournalistForm(WagtailAdminModelForm):
    """The press office chooses among its own newsrooms, and grants items of
    the journalist's newsroom only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("newsroom")
        if field is not None and self.for_user is not None:
            own = sites_of(self.for_user)
            field.queryset = Site.objects.filter(pk__in=[site.pk for site in own])
            if self.instance.pk is None and len(own) == 1:
                field.initial = own[0].pk

    def clean(self):
        cleaned_data = super().clean()
        newsroom = cleaned_data.get("newsroom")
        grants = self.formsets.get("grants")
        if newsroom is None or grants is None:
            return cleaned_data
        for form in grants.forms:
            if not form.is_valid() or grants._should_delete_form(form):
                continue
            page = form.cleaned_data.get("page")
            if page is not None and not in_newsroom(newsroom, page):
                form.add_error(
                    "page",
                    _(
                        "“%(item)s” is not an item of %(newsroom)s: a journalist "
                        "is granted their own newsroom's items only."
                    )
                    % {"item": page.get_admin_display_title(), "newsroom": newsroom},
                )
        return cleaned_data


class JournalistQuerySet(models.QuerySet):
    def in_newsrooms(self, sites):
        return self.filter(newsroom__in=sites)


class Journalist(ClusterableModel):
    """A journalist who asked to read embargoed items, and the answer."""

    class Status(models.IntegerChoices):
        # Pending first: the review queue lists them in this order.
        PENDING = 1, _("Pending review")
        APPROVED = 2, _("Approved")
        REFUSED = 3, _("Refused")
        REVOKED = 4, _("Access revoked")

    newsroom = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("newsroom"),
        on_delete=models.CASCADE,
        related_name="journalists",
        help_text=_(
            "The newsroom whose press area they read: its embargoed items only, "
            "at its address."
        ),
    )
    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    outlet = models.CharField(
        _("outlet"),
        max_length=200,
        validators=[single_line],
        help_text=_("The newspaper, agency, radio or channel they work for."),
    )
    email = models.EmailField(
        _("professional e-mail"),
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
    # When the journalist proved they receive mail at ``email``: by the
    # registration's confirmation link or a used sign-in link. Until then
    # nothing opens: no approval, no password.
    email_confirmed_at = models.DateTimeField(
        _("address confirmed at"), null=True, blank=True, editable=False
    )
    sign_in_nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    # Part of every session's proof (``press.views._session_hash``).
    session_secret = models.CharField(max_length=32, default=new_nonce, editable=False)
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

    objects = JournalistQuerySet.as_manager()

    base_form_class = JournalistForm
    panels = [
        FieldPanel("newsroom"),
        FieldPanel("name"),
        FieldPanel("outlet"),
        FieldPanel("email"),
        FieldPanel("language"),
        FieldPanel("all_embargoed"),
        InlinePanel("grants", heading=_("Items granted"), label=_("Item")),
    ]

    class Meta:
        db_table = "announcements_journalist"
        verbose_name = _("journalist")
        verbose_name_plural = _("journalists")
        ordering = ["status", "-registered_at"]
        # One person may hold an account with each of several newsrooms.
        constraints = [
            models.UniqueConstraint(
                fields=["newsroom", "email"],
                name="one_account_per_newsroom_and_address",
                violation_error_message=_(
                    "This newsroom already has a journalist with this address."
                ),
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.outlet})"

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED

    def set_password(self, raw_password):
        self.password = make_password(raw_password) if raw_password else ""

    @property
    def has_password(self):
        return bool(self.password) and is_password_usable(self.password)

    def check_password(self, raw_password):
        """Whether ``raw_password`` is this journalist's, once the address is
        proved; a hash is computed either way, so that the time taken tells
        nobody whether the account exists or has a password."""
        if self.email_confirmed_at is None or not self.has_password:
            make_password(raw_password)
            return False
        return check_password(raw_password, self.password)

    def save(self, *args, **kwargs):
        # An address changed in the admin is not proved by the old one's
        # proof, nor by a sign-in link sent to the old one (using a link
        # proves the address).
        update_fields = kwargs.get("update_fields")
        if self.pk is not None and (update_fields is None or "email" in update_fields):
            stored = Journalist.objects.filter(pk=self.pk).values("email").first()
            if stored is not None and stored["email"] != self.email:
                self.email_confirmed_at = None
                self.sign_in_nonce = new_nonce()
                if update_fields is not None:
                    kwargs["update_fields"] = {
                        *update_fields,
                        "email_confirmed_at",
                        "sign_in_nonce",
                    }
        super().save(*args, **kwargs)

    def end_access(self):
        """At revocation: every session, calendar address and sign-in link
        given so far stops for good, even if the account is approved again."""
        self.sign_in_nonce = new_nonce()
        self.session_secret = new_nonce()
        self.calendar_token = new_calendar_token()
        return ["sign_in_nonce", "session_secret", "calendar_token"]

    def readable_items(self):
        """``{page_id: embargo}`` of the embargoed items this journalist may
        read now: none unless approved; all, or those granted."""
        return self._open_to(embargoed_items)

    def recently_lifted_items(self):
        """``{page_id: embargo}`` of the items open to this journalist whose
        embargo lifted in the last ``LIFTED_KEPT``: their calendar keeps them."""
        return self._open_to(lambda: lifted_items(since=timezone.now() - LIFTED_KEPT))

    def _open_to(self, items_of):
        """Those of ``items_of()`` in the journalist's newsroom, all or those
        granted: one query, whatever their number."""
        if not self.is_approved:
            return {}
        items = items_of()
        if not items:
            return {}
        pages = Page.objects.in_site(self.newsroom).filter(pk__in=items)
        if not self.all_embargoed:
            # From the database, whatever this instance holds in memory (a
            # cluster's form may hold grants not yet saved).
            pages = pages.filter(
                pk__in=PressAccess.objects.filter(journalist=self).values("page_id")
            )
        return {pk: items[pk] for pk in pages.values_list("pk", flat=True)}

    def address(self, path):
        """``path`` at the journalist's newsroom's address, for links sent
        to them (e-mails, their calendar)."""
        return address_of(self.newsroom) + path


class PasswordAttempts(models.Model):
    """Password sign-ins tried for one address from one client within the
    lockout's cool-off, counted in the database (not in the cache, which may
    be down): each attempt is counted, atomically, before its password is
    checked, so that parallel attempts cannot check more than the limit."""

    email = models.CharField(max_length=254)
    client = models.CharField(max_length=45, blank=True)
    attempts = models.PositiveIntegerField(default=1)
    last_attempt_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["email", "client"], name="one_count_per_address_and_client"
            )
        ]

    def __str__(self):
        return f"{self.email} ({self.client}): {self.attempts}"

    @classmethod
    def count(cls, email, client):
        """Counts one attempt; how many were made in the cool-off (this one
        included). Another attempt counted meanwhile may be included too:
        never fewer."""
        now = timezone.now()
        row, created = cls.objects.get_or_create(
            email=email, client=client, defaults={"last_attempt_at": now}
        )
        if created:
            return row.attempts
        within = now - settings.AXES_COOLOFF_TIME
        cls.objects.filter(pk=row.pk).update(
            attempts=models.Case(
                models.When(last_attempt_at__gt=within, then=models.F("attempts") + 1),
                default=models.Value(1),
            ),
            last_attempt_at=now,
        )
        return cls.objects.values_list("attempts", flat=True).get(pk=row.pk)

    @classmethod
    def forget(cls, email, client):
        cls.objects.filter(email=email, client=client).delete()


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
        db_table = "announcements_pressaccess"
        verbose_name = _("item granted")
        verbose_name_plural = _("items granted")
        constraints = [
            models.UniqueConstraint(
                fields=["journalist", "page"], name="one_grant_per_item"
            )
        ]

    def __str__(self):
        return str(self.page)


class AccessLogQuerySet(models.QuerySet):
    def in_newsrooms(self, sites):
        return self.filter(newsroom__in=sites)


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
        "press.EmbargoPreviewLink",
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
    # Whose press office investigates it: kept when the page goes.
    newsroom = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("newsroom"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        db_table = "announcements_accesslog"
        verbose_name = _("embargoed reading")
        verbose_name_plural = _("embargoed readings")
        ordering = ["-viewed_at", "-pk"]

    def __str__(self):
        return f"{self.who}: {self.title}"


TOKEN_BYTES = 32
GRANT_PERMISSION = "press.grant_embargopreviewlink"


class EmbargoLinkForm(WagtailAdminModelForm):
    def clean_page(self):
        page = self.cleaned_data.get("page")
        if page is not None and self.for_user is not None:
            if not any(in_newsroom(site, page) for site in sites_of(self.for_user)):
                raise ValidationError(
                    _("This item is not one of your newsroom's: choose one of yours.")
                )
        return page

    grant = forms.BooleanField(
        label=_("Grant this link"),
        required=False,
        help_text=_("An editor asked for it: it works once granted."),
    )
    revoke = forms.BooleanField(
        label=_("Revoke this link"),
        required=False,
        help_text=_("It stops working at once, for good."),
    )


class ChangeOnlyPanel(FieldPanel):
    """Granting and revoking concern a link that exists."""

    class BoundPanel(FieldPanel.BoundPanel):
        def is_shown(self):
            return self.instance.pk is not None and super().is_shown()


def new_link_token():
    return secrets.token_urlsafe(TOKEN_BYTES)


class EmbargoPreviewLinkQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Links a journalist may open: granted, not revoked, not expired.
        Once the item is live, such a link leads to its public page."""
        now = now or timezone.now()
        return self.filter(granted_at__isnull=False, revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )

    def in_newsrooms(self, sites):
        return self.filter(pages_in(sites))


class EmbargoPreviewLink(models.Model):
    """A secret link showing an embargoed item to journalists before its time."""

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("release or statement"),
        on_delete=models.CASCADE,
        related_name="embargo_preview_links",
    )
    label = models.CharField(
        _("given to"),
        max_length=255,
        blank=True,
        help_text=_("Who the link is for, e.g. “Health desk, Le Monde”."),
    )
    token = models.CharField(
        max_length=64, unique=True, default=new_link_token, editable=False
    )
    expires_at = models.DateTimeField(
        _("expires at"),
        null=True,
        blank=True,
        help_text=_(
            "Leave empty for a link that shows the release until its embargo "
            "lifts; from then on it leads to the public page."
        ),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # Editors may ask for a link; it works once a communications reviewer or a
    # publisher grants it.
    granted_at = models.DateTimeField(
        _("granted at"), null=True, blank=True, default=timezone.now
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EmbargoPreviewLinkQuerySet.as_manager()

    # The shape of every token (TOKEN_BYTES random bytes in URL-safe base64
    # without padding): the preview's address accepts nothing else.
    TOKEN_PATTERN = r"[A-Za-z0-9_-]{43}"  # noqa: S105 (a shape, not a secret)

    class Meta:
        db_table = "announcements_embargopreviewlink"
        verbose_name = _("embargo preview link")
        verbose_name_plural = _("embargo preview links")
        ordering = ["-created_at"]
        permissions = [("grant_embargopreviewlink", _("Can grant embargo links"))]

    def __str__(self):
        return self.label or self.token[:8]

    def get_absolute_url(self):
        return reverse("embargo_preview", args=(self.token,))

    base_form_class = EmbargoLinkForm
    panels = [
        PageChooserPanel(
            "page", ["announcements.PressRelease", "announcements.PartnerPosition"]
        ),
        FieldPanel("label"),
        FieldPanel("expires_at"),
        ChangeOnlyPanel("grant", permission=GRANT_PERMISSION),
        ChangeOnlyPanel("revoke", permission=GRANT_PERMISSION),
    ]

    def clean(self):
        if self.page_id:
            page = self.page.specific
            if page.live:
                raise ValidationError(
                    {
                        "page": _(
                            "This item is already public: it needs no preview link."
                        )
                    }
                )
            scheduled = page.scheduled_revision
            if scheduled is None:
                raise ValidationError(
                    {
                        "page": _(
                            "Only an approved item scheduled for its embargo can be "
                            "previewed: finish its review first."
                        )
                    }
                )
            # A link that would outlive the embargo lasts until the lift, and
            # follows the embargo if it moves.
            if self.expires_at and self.expires_at >= scheduled.approved_go_live_at:
                self.expires_at = None
        if self.expires_at is not None and self.expires_at <= timezone.now():
            raise ValidationError({"expires_at": _("This time has already passed.")})

    def status(self):
        if self.revoked_at:
            return _("Revoked")
        if self.granted_at is None:
            return _("Requested")
        if self.expires_at and self.expires_at <= timezone.now():
            return _("Expired")
        return _("Active")

    status.short_description = _("Status")

    def grant(self, user):
        self.granted_at = timezone.now()
        self.granted_by = user
        self.save(update_fields=["granted_at", "granted_by"])

    def revoke(self):
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])

    def url_in(self, language):
        with translation.override(language):
            return self.get_absolute_url()

    @cached_property
    def _address(self):
        # The item's newsroom's address: the link works there only.
        return address_of(self.page.get_site())

    def french_link(self):
        return self._address + self.url_in("fr")

    french_link.short_description = _("French link")

    def english_link(self):
        return self._address + self.url_in("en")

    english_link.short_description = _("English link")
