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
from wagtail.search import index

from modelcluster.fields import ParentalKey

from ..forms import AnnouncementPageForm
from ..panels import TranslationStatusPanel
from .bilingual import BilingualPage, OriginalLanguageField
from .listing import filtered_listing
from .trials import RICH_TEXT_FEATURES

OTHER_STATEMENTS = 6


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
        positions = (
            PartnerPosition.objects.child_of(self)
            .live()
            .public()
            .select_related("organisation", "trial")
            .order_by("-first_published_at")
        )
        context.update(filtered_listing(request, positions))
        return context


class PartnerPosition(BilingualPage, Page):
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
    base_form_class = AnnouncementPageForm
    search_fields = [
        *Page.search_fields,
        index.AutocompleteField("title_fr"),
        index.AutocompleteField("title_en"),
        index.SearchField("title_fr", boost=2),
        index.SearchField("title_en", boost=2),
        index.SearchField("standfirst_fr"),
        index.SearchField("standfirst_en"),
        index.SearchField("body_fr"),
        index.SearchField("body_en"),
        index.FilterField("trial"),
        index.FilterField("organisation"),
    ]
    parent_page_types = ["announcements.PositionIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("partner statement")
        verbose_name_plural = _("partner statements")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["contacts"] = [
            link.contact
            for link in self.contact_links.filter(contact__live=True).select_related(
                "contact__organisation"
            )
        ]
        # The newest few; the trial page has them all.
        context["other_statements"] = self.trial.statements(exclude=self)[
            :OTHER_STATEMENTS
        ]
        return context

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
