from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    MultipleChooserPanel,
    PageChooserPanel,
    TitleFieldPanel,
)
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from modelcluster.fields import ParentalKey

from ..panels import TranslationStatusPanel
from .announcement import AnnouncementPage
from .bilingual import OriginalLanguageField
from .listing import filtered_listing
from .trials import RICH_TEXT_FEATURES


class ReleaseIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["announcements.HomePage"]
    subpage_types = ["announcements.PressRelease"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("press release index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(filtered_listing(request, PressRelease, self))
        return context


class PressRelease(AnnouncementPage, Page):
    """A release of the newsroom's own institution about a trial."""

    organisation = models.ForeignKey(
        "announcements.Organisation",
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="press_releases",
    )
    trial = models.ForeignKey(
        "announcements.Trial",
        verbose_name=_("trial"),
        on_delete=models.PROTECT,
        related_name="press_releases",
    )
    original_language = OriginalLanguageField()
    requires_fr = models.BooleanField(
        _("French version required"),
        default=True,
        help_text=_("Review and publication wait for the French headline and body."),
    )
    requires_en = models.BooleanField(
        _("English version required"),
        default=True,
        help_text=_("Review and publication wait for the English headline and body."),
    )
    dateline_place = models.CharField(_("dateline place"), max_length=255, blank=True)
    dateline_date = models.DateField(
        _("dateline date"),
        null=True,
        blank=True,
        help_text=_("The date shown to readers; each language may carry its own."),
    )
    standfirst = models.TextField(
        _("standfirst"),
        blank=True,
        help_text=_("The lead under the headline, in one or two sentences."),
    )
    body = RichTextField(_("body"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [
        TitleFieldPanel("title", heading=_("Headline")),
        FieldPanel("standfirst"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("dateline_place"), FieldPanel("dateline_date")]
                ),
            ],
            heading=_("Dateline"),
        ),
        FieldPanel("body"),
        FieldRowPanel(
            [
                PageChooserPanel("trial", "announcements.Trial"),
                FieldPanel("organisation"),
                FieldPanel("original_language"),
            ]
        ),
        MultiFieldPanel(
            [
                TranslationStatusPanel(),
                FieldRowPanel([FieldPanel("requires_fr"), FieldPanel("requires_en")]),
            ],
            heading=_("Languages"),
        ),
        MultipleChooserPanel(
            "contact_links",
            chooser_field_name="contact",
            heading=_("Press contacts"),
            label=_("Contact"),
        ),
        MultipleChooserPanel(
            "attachments",
            chooser_field_name="document",
            heading=_("Attachments"),
            label=_("Attachment"),
        ),
    ]
    parent_page_types = ["announcements.ReleaseIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("press release")
        verbose_name_plural = _("press releases")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["attachments"] = self.attachments.select_related("document")
        return context

    kind = "release"

    def date_in(self, language):
        return (
            getattr(self, f"dateline_date_{language}")
            or self.dateline_date_fr
            or self.dateline_date_en
        )


class PressReleaseContact(Orderable):
    page = ParentalKey(
        PressRelease, on_delete=models.CASCADE, related_name="contact_links"
    )
    contact = models.ForeignKey(
        "announcements.PressContact",
        verbose_name=_("contact"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [PageChooserPanel("contact", "announcements.PressContact")]


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
