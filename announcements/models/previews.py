import secrets

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, PageChooserPanel

TOKEN_BYTES = 32
GRANT_PERMISSION = "announcements.grant_embargopreviewlink"


class EmbargoLinkForm(WagtailAdminModelForm):
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


def new_token():
    return secrets.token_urlsafe(TOKEN_BYTES)


class EmbargoPreviewLinkQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Links a journalist may open: granted, not revoked, not expired.
        Once the item is live, such a link leads to its public page."""
        now = now or timezone.now()
        return self.filter(granted_at__isnull=False, revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


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
        max_length=64, unique=True, default=new_token, editable=False
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

    def french_link(self):
        return settings.WAGTAILADMIN_BASE_URL + self.url_in("fr")

    french_link.short_description = _("French link")

    def english_link(self):
        return settings.WAGTAILADMIN_BASE_URL + self.url_in("en")

    english_link.short_description = _("English link")
