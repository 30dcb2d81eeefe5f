import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, PageChooserPanel

TOKEN_BYTES = 32


def new_token():
    return secrets.token_urlsafe(TOKEN_BYTES)


class EmbargoPreviewLinkQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Links a journalist may still open: not revoked, not expired, and
        for an item not yet public (after the embargo, the public page serves)."""
        now = now or timezone.now()
        return self.filter(
            revoked_at__isnull=True, expires_at__gt=now, page__live=False
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
        blank=True,
        help_text=_(
            "The link stops working then, and in any case when the item goes live."
        ),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
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

    def __str__(self):
        return self.label or self.token[:8]

    def get_absolute_url(self):
        return reverse("embargo_preview", args=(self.token,))

    panels = [
        PageChooserPanel(
            "page", ["announcements.PressRelease", "announcements.PartnerPosition"]
        ),
        FieldPanel("label"),
        FieldPanel("expires_at"),
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
            embargo = scheduled.approved_go_live_at
            if self.expires_at is None or self.expires_at > embargo:
                self.expires_at = embargo
        if self.expires_at is None:
            raise ValidationError({"expires_at": _("Give an expiry time.")})
        if self.expires_at <= timezone.now():
            raise ValidationError({"expires_at": _("This time has already passed.")})

    def url_in(self, language):
        with translation.override(language):
            return self.get_absolute_url()

    def french_link(self):
        return settings.WAGTAILADMIN_BASE_URL + self.url_in("fr")

    french_link.short_description = _("French link")

    def english_link(self):
        return settings.WAGTAILADMIN_BASE_URL + self.url_in("en")

    english_link.short_description = _("English link")
