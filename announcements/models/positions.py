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


class PositionIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["announcements.HomePage"]
    subpage_types = ["announcements.PartnerPosition"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("partner statements index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(filtered_listing(request, PartnerPosition, self))
        return context


class PartnerPosition(AnnouncementPage, Page):
    """What another organisation said about a trial, in its own words."""

    organisation = models.ForeignKey(
        "announcements.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="positions",
    )
    trial = models.ForeignKey(
        "announcements.Trial",
        verbose_name=_("trial"),
        on_delete=models.PROTECT,
        related_name="partner_positions",
    )
    original_language = OriginalLanguageField()
    requires_fr = models.BooleanField(
        _("French version required"),
        default=True,
        help_text=_("Review and publication wait for the French headline and body."),
    )
    requires_en = models.BooleanField(
        _("English version required"),
        default=False,
        help_text=_("Review and publication wait for the English headline and body."),
    )
    dateline_place = models.CharField(_("dateline place"), max_length=255, blank=True)
    source_date = models.DateField(
        _("date of the statement"),
        null=True,
        blank=True,
        help_text=_("Only when the source gives one: never guess a date."),
    )
    source_url = models.URLField(_("source link"), blank=True, max_length=500)
    standfirst = models.TextField(_("standfirst"), blank=True)
    body = RichTextField(_("body"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [
        TitleFieldPanel("title"),
        FieldPanel("standfirst"),
        FieldPanel("body"),
        FieldRowPanel(
            [
                FieldPanel("organisation"),
                PageChooserPanel("trial", "announcements.Trial"),
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
        FieldRowPanel(
            [
                FieldPanel("dateline_place"),
                FieldPanel("source_date"),
                FieldPanel("source_url"),
            ]
        ),
        MultipleChooserPanel(
            "contact_links",
            chooser_field_name="contact",
            heading=_("Press contacts"),
            label=_("Contact"),
        ),
    ]
    parent_page_types = ["announcements.PositionIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("partner statement")
        verbose_name_plural = _("partner statements")

    kind = "position"

    def date_in(self, language):
        return self.source_date


class PartnerPositionContact(Orderable):
    page = ParentalKey(
        PartnerPosition, on_delete=models.CASCADE, related_name="contact_links"
    )
    contact = models.ForeignKey(
        "announcements.PressContact",
        verbose_name=_("contact"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [PageChooserPanel("contact", "announcements.PressContact")]
