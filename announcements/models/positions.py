from django.db import models
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Site

from modelcluster.fields import ParentalKey

from .. import languages
from .announcement import (
    PLACE_IN,
    AnnouncementIndexPage,
    AnnouncementPage,
    ContactLink,
    Correction,
    announcement_panels,
)
from .institution import newsroom_logo


class PositionIndexPage(AnnouncementIndexPage):
    subpage_types = ["announcements.PartnerPosition"]
    default_description = _(
        "What partner organisations said about the trials, in their own words."
    )
    empty_listing_text = _("No statement yet.")

    class Meta:
        verbose_name = _("partner statements index")


class PartnerPosition(AnnouncementPage):
    """What another organisation said about a trial, in its own words."""

    source_date = models.DateField(
        _("date of the statement"),
        null=True,
        blank=True,
        help_text=_(
            "Only when the source gives one: never guess a date. Without one, "
            "readers see it as undated, listed after dated items."
        ),
    )
    source_url = models.URLField(_("source link"), blank=True, max_length=500)

    content_panels = announcement_panels(
        dating=MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel(f"dateline_place_{code}", heading=PLACE_IN[code])
                        for code in languages.CODES
                    ]
                ),
                FieldRowPanel([FieldPanel("source_date"), FieldPanel("source_url")]),
            ],
            heading=_("Place, date and source"),
        ),
    )
    parent_page_types = ["announcements.PositionIndexPage"]
    note_answers_claims = True
    dated_by_publication = False

    class Meta(AnnouncementPage.Meta):
        verbose_name = _("partner statement")
        verbose_name_plural = _("partner statements")

    def date_in(self, language):
        return self.source_date

    def publisher_schema(self, request, language):
        # The newsroom publishes the statement; its organisation wrote it.
        site = Site.find_for_request(request) or self.get_site()
        with translation.override(language):
            return {
                "@type": "Organization",
                "name": gettext("Newsroom"),
                "url": site.root_page.get_full_url(request),
                "logo": newsroom_logo(request, language),
            }

    def share_card_text(self, language):
        return (
            gettext("Statement by %(organisation)s")
            % {"organisation": self.organisation.name_in(language)},
            self.reading(language).title,
        )


class PartnerPositionContact(ContactLink):
    page = ParentalKey(
        PartnerPosition, on_delete=models.CASCADE, related_name="contact_links"
    )


class PartnerPositionCorrection(Correction):
    page = ParentalKey(
        PartnerPosition, on_delete=models.CASCADE, related_name="corrections"
    )
