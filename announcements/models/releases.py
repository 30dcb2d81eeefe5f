from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    MultipleChooserPanel,
)
from wagtail.models import Orderable

from modelcluster.fields import ParentalKey

from .. import languages
from .announcement import (
    AnnouncementIndexPage,
    AnnouncementPage,
    ContactLink,
    announcement_panels,
    required_language_field,
)


class ReleaseIndexPage(AnnouncementIndexPage):
    subpage_types = ["announcements.PressRelease"]
    default_description = _("The newsroom's press releases about its clinical trials.")
    empty_listing_text = _("No press release yet.")

    class Meta:
        verbose_name = _("press release index")


class PressRelease(AnnouncementPage):
    """A release of the newsroom's own institution about a trial."""

    requires_en = required_language_field("en", default=True)
    dateline_date = models.DateField(
        _("dateline date"),
        null=True,
        blank=True,
        help_text=_("The date shown to readers; each language may carry its own."),
    )

    content_panels = announcement_panels(
        dating=MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("dateline_place"), FieldPanel("dateline_date")]
                )
            ],
            heading=_("Dateline"),
        ),
        extra=[
            MultipleChooserPanel(
                "attachments",
                chooser_field_name="document",
                heading=_("Attachments"),
                label=_("Attachment"),
            )
        ],
    )
    parent_page_types = ["announcements.ReleaseIndexPage"]

    class Meta:
        verbose_name = _("press release")
        verbose_name_plural = _("press releases")

    @classmethod
    def source_date_expression(cls, language):
        return Coalesce(
            *(
                f"dateline_date_{code}"
                for code in [language, *languages.others(language)]
            )
        )

    def date_in(self, language):
        return getattr(self, f"dateline_date_{language}") or next(
            (
                getattr(self, f"dateline_date_{code}")
                for code in languages.others(language)
                if getattr(self, f"dateline_date_{code}")
            ),
            None,
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["attachments"] = self.attachments.select_related("document")
        return context


class PressReleaseContact(ContactLink):
    page = ParentalKey(
        PressRelease, on_delete=models.CASCADE, related_name="contact_links"
    )


class PressReleaseAttachment(Orderable):
    page = ParentalKey(
        PressRelease, on_delete=models.CASCADE, related_name="attachments"
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("document")]
