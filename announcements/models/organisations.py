from django.db import models
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from .. import images


class Organisation(index.Indexed, models.Model):
    """A body that speaks about a trial: sponsor, network, charity, company."""

    class Kind(models.TextChoices):
        HOSPITAL = "hospital", _("Hospital")
        PATIENT_NETWORK = "patient_network", _("Patient or care network")
        CHARITY = "charity", _("Charity")
        COMPANY = "company", _("Company")
        ACADEMIC = "academic", _("University or research institute")

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(
        _("slug"),
        unique=True,
        help_text=_("Short identifier used in filter links, e.g. “chu-nimes”."),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    website = models.URLField(_("website"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("website"),
        FieldPanel("logo"),
    ]
    search_fields = [
        index.SearchField("name_fr"),
        index.SearchField("name_en"),
        index.AutocompleteField("name_fr"),
        index.AutocompleteField("name_en"),
    ]

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def name_in(self, language):
        return getattr(self, f"name_{language}", None) or self.name_fr

    def as_schema(self, language, request=None):
        """The organisation in schema.org JSON-LD, named in ``language``; with
        its logo when there is one and ``request`` says on which host."""
        data = {"@type": "Organization", "name": self.name_in(language)}
        if self.website:
            data["url"] = self.website
        if request is not None and self.logo_rendition is not None:
            data["logo"] = images.image_object(self.logo_rendition, request)
        return data

    @cached_property
    def logo_rendition(self):
        """The logo as the newsroom shares it, or None."""
        if self.logo_id is None:
            return None
        return images.renditions(self.logo, images.LOGO).get(images.LOGO)

    def share_logo(self, request, language):
        """The logo as the picture of a page that has none of its own."""
        if self.logo_rendition is None:
            return None
        with translation.override(language):
            alt = gettext("Logo of %(organisation)s") % {
                "organisation": self.name_in(language)
            }
        return images.shared(self.logo_rendition, request, alt, large=False)
