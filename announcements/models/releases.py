from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    MultipleChooserPanel,
)
from wagtail.models import Orderable

from modelcluster.fields import ParentalKey

from .. import images, languages
from .announcement import (
    DATE_DEFAULT_HELP,
    DATE_IN,
    PLACE_IN,
    AnnouncementIndexPage,
    AnnouncementPage,
    ContactLink,
    Correction,
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
        help_text=_(
            "The date shown to readers; each language may carry its own. Leave "
            "empty and readers see the day it goes public (the embargo day, "
            "Paris time), on the page, in listings, feeds and search engines."
        ),
    )

    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown under the standfirst and when the release is shared."),
    )
    lead_image_alt = models.CharField(
        _("alternative text"),
        max_length=255,
        blank=True,
        help_text=_(
            "What the image shows, for readers who cannot see it. Required when "
            "an image is chosen."
        ),
    )
    lead_image_caption = models.CharField(_("caption"), max_length=255, blank=True)
    lead_image_credit = models.CharField(
        _("credit"),
        max_length=255,
        blank=True,
        help_text=_("Photographer or rights holder, shown after “©”."),
    )

    content_panels = announcement_panels(
        illustration=[
            MultiFieldPanel(
                [
                    FieldPanel("lead_image"),
                    FieldPanel("lead_image_alt"),
                    FieldPanel("lead_image_caption"),
                    FieldPanel("lead_image_credit"),
                ],
                heading=_("Lead image"),
            )
        ],
        dating=MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel(f"dateline_place_{code}", heading=PLACE_IN[code]),
                        FieldPanel(
                            f"dateline_date_{code}",
                            heading=DATE_IN[code],
                            help_text=DATE_DEFAULT_HELP,
                        ),
                    ]
                )
                for code in languages.CODES
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
    route_related = (*AnnouncementPage.route_related, "lead_image")

    class Meta(AnnouncementPage.Meta):
        verbose_name = _("press release")
        verbose_name_plural = _("press releases")

    def date_in(self, language):
        return getattr(self, f"dateline_date_{language}") or next(
            (
                getattr(self, f"dateline_date_{code}")
                for code in languages.others(language)
                if getattr(self, f"dateline_date_{code}")
            ),
            None,
        )

    def clean(self):
        """An image is described for readers who cannot see it: in French,
        which every reader may fall back to, and in English when the English
        version is required."""
        super().clean()
        if self.lead_image_id is None:
            return
        errors = {}
        for code in languages.CODES:
            required = code == languages.DEFAULT or getattr(self, f"requires_{code}")
            alt = getattr(self, f"lead_image_alt_{code}", "") or ""
            if required and not alt.strip():
                errors[f"lead_image_alt_{code}"] = ValidationError(
                    _(
                        "Describe the image in %(language)s for readers who cannot "
                        "see it: the alternative text is required when an image "
                        "is chosen."
                    ),
                    code="lead_image_alt",
                    params={"language": languages.NAMES[code]},
                )
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["attachments"] = self.attachments.select_related("document")
        context["lead_image"] = self.lead_figure()
        return context

    # Lead image ---------------------------------------------------------------

    def lead_image_text(self, part, language):
        """``(text, language it is in)`` of the image's ``alt``, ``caption`` or
        ``credit`` for a text read in ``language``: that language's, else the
        French one."""
        for code in dict.fromkeys([language, languages.DEFAULT]):
            text = getattr(self, f"lead_image_{part}_{code}", "")
            if text:
                return text, code
        return "", language

    def lead_figure(self):
        """What the release page's ``<figure>`` shows, in the reader's
        language; ``*_lang`` names the language of a text that is not the
        page's (None when it is)."""
        if self.lead_image is None:
            return None
        page_language = translation.get_language() or languages.DEFAULT
        content = self.content_language(page_language)
        figure = {"image": self.lead_image}
        for part in ("alt", "caption", "credit"):
            text, code = self.lead_image_text(part, content)
            figure[part] = text
            figure[f"{part}_lang"] = code if code != page_language else None
        return figure

    @cached_property
    def lead_image_renditions(self):
        """The lead image as shared and as search engines see it (one query)."""
        if self.lead_image_id is None:
            return {}
        return images.renditions(self.lead_image, images.SHARE, *images.ARTICLE_CROPS)

    def share_image(self, request, language):
        rendition = self.lead_image_renditions.get(images.SHARE)
        if rendition is None:
            # No lead image: the organisation's logo, as for a statement.
            return super().share_image(request, language)
        alt, _code = self.lead_image_text("alt", self.content_language(language))
        return images.shared(rendition, request, alt, large=True)

    def schema_images(self, request, language):
        crops = [
            self.lead_image_renditions[spec]
            for spec in images.ARTICLE_CROPS
            if spec in self.lead_image_renditions
        ]
        if not crops:
            return super().schema_images(request, language)
        return [images.absolute_url(rendition, request) for rendition in crops]


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


class PressReleaseCorrection(Correction):
    page = ParentalKey(
        PressRelease, on_delete=models.CASCADE, related_name="corrections"
    )
