"""The institution the newsroom publishes for, as a Wagtail site setting.

Readers see its name and logo in every page's header, so that they know
whose newsroom they are reading; its organisation's press office comes first
on the contacts page.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Site

from .. import images, languages, share_cards


@register_setting(icon="home")
class Institution(BaseSiteSetting):
    name = models.CharField(
        _("name"),
        max_length=255,
        blank=True,
        help_text=_("Shown in every page's header, e.g. “CHU de Nîmes”."),
    )
    organisation = models.ForeignKey(
        "announcements.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The institution among the organisations: its press contacts are "
            "listed first on the contacts page."
        ),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown beside the name in every page's header."),
    )
    logo_alt = models.CharField(
        _("logo's alternative text"),
        max_length=255,
        blank=True,
        help_text=_(
            "What the logo says, for readers who cannot see it, e.g. “Logo of "
            "CHU de Nîmes”. Required in both languages when a logo is chosen."
        ),
    )

    lay_reading_target = models.PositiveSmallIntegerField(
        _("reading ease aimed at in lay summaries"),
        default=60,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "The Flesch reading ease (French: Kandel and Moles) each lay "
            "summary's editor is shown against: 60 to 70 reads as plain "
            "language, under 30 as a scientific paper."
        ),
    )

    select_related = ["logo", "organisation"]
    panels = [
        FieldPanel("name"),
        FieldPanel("organisation"),
        MultiFieldPanel([FieldPanel("logo"), FieldPanel("logo_alt")], _("Logo")),
        FieldPanel("lay_reading_target"),
    ]

    class Meta:
        verbose_name = _("institution")

    @classmethod
    def for_request_or_none(cls, request):
        """The setting of the request's site; None when no site answers
        (a host no site serves, and no default site)."""
        if request is None:
            return None
        try:
            return cls.for_request(request)
        except cls.DoesNotExist:
            return None

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Wagtail's admin names a newsroom by its site's name (the dashboard's
        # heading, the newsroom choices): the institution's, as readers see it
        # first. ``update``: nothing of the site that pages depend on changes.
        name = self.name_in(languages.DEFAULT)
        if name:
            Site.objects.filter(pk=self.site_id).exclude(site_name=name).update(
                site_name=name
            )

    def name_in(self, language):
        """The institution's name for readers of ``language``: its own, else
        the other language's, else its organisation's name."""
        for code in dict.fromkeys([language, *languages.CODES]):
            name = getattr(self, f"name_{code}", None)
            if name:
                return name
        if self.organisation_id:
            return self.organisation.name_in(language)
        return ""

    def signature(self, language):
        """Whose newsroom this is, as a drawn picture signs it: "CHU de Nîmes
        · Salle de presse"."""
        with translation.override(language):
            newsroom = gettext("Newsroom")
        name = self.name_in(language)
        return f"{name} · {newsroom}" if name else newsroom

    def share_logo(self, request, language):
        """The logo as the picture of a page that has none of its own, or None."""
        if self.logo_id is None:
            return None
        rendition = images.renditions(self.logo, images.LOGO).get(images.LOGO)
        if rendition is None:
            return None
        alt = getattr(
            self, f"logo_alt_{languages.shown_in(self, 'logo_alt', language)}"
        )
        return images.shared(rendition, request, alt, large=False)

    def clean(self):
        """A logo is described for readers who cannot see it, in both
        languages: the header shows it on both sites."""
        super().clean()
        if self.logo_id is None:
            return
        errors = {}
        for code in languages.CODES:
            alt = getattr(self, f"logo_alt_{code}", "") or ""
            if not alt.strip():
                errors[f"logo_alt_{code}"] = ValidationError(
                    _(
                        "Describe the logo in %(language)s for readers who cannot "
                        "see it: the alternative text is required when a logo "
                        "is chosen."
                    ),
                    code="logo_alt",
                    params={"language": languages.NAMES[code]},
                )
        if errors:
            raise ValidationError(errors)


def signature_of(request, language):
    """The request's site's ``Institution.signature``; "Newsroom" alone when
    no institution answers for the site."""
    institution = Institution.for_request_or_none(request)
    if institution is not None:
        return institution.signature(language)
    with translation.override(language):
        return gettext("Newsroom")


def titled_for(request, title):
    """``title`` (a feed's, a calendar's) naming whose newsroom it is, for
    readers who follow several: "CHU de Nîmes · Newsroom: press releases"."""
    institution = Institution.for_request_or_none(request)
    name = institution.name_in(translation.get_language()) if institution else ""
    return f"{name} · {title}" if name else str(title)


def newsroom_share_image(request, language):
    """The newsroom's own picture, as ``images.shared`` describes it: the
    institution's logo, else the logo the newsroom draws (``share_cards``),
    which shows, and is described by, the newsroom's signature."""
    institution = Institution.for_request_or_none(request)
    shared = institution and institution.share_logo(request, language)
    if shared:
        return shared
    with translation.override(language):
        path = reverse("share_logo")
    return {
        "url": request.build_absolute_uri(path),
        "width": share_cards.LOGO[0],
        "height": share_cards.LOGO[1],
        "alt": signature_of(request, language),
        "large": False,
    }


def newsroom_logo(request, language):
    """``newsroom_share_image`` as a schema.org ``ImageObject``: the logo of
    a publisher that has none of its own."""
    shared = newsroom_share_image(request, language)
    return {
        "@type": "ImageObject",
        "url": shared["url"],
        "width": shared["width"],
        "height": shared["height"],
    }
