from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.models import Page, Site

from .. import languages
from .base import NewsroomPage, plain_text
from .positions import PartnerPosition
from .releases import PressRelease
from .trials import Trial, TrialIndexPage

HOME_TRIALS = 8


class HomePage(NewsroomPage):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "announcements.ReleaseIndexPage",
        "announcements.PositionIndexPage",
        "announcements.TrialIndexPage",
        "announcements.ContactIndexPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def meta_description(self, language):
        return super().meta_description(language) or plain_text(
            self.text_in("intro", language)
        )

    def document_title(self, language):
        # The home page's title is the site's name: said once.
        return self.text_in("seo_title", language) or self.meta_title(language)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_releases"] = (
            PressRelease.objects.descendant_of(self)
            .published()
            .for_cards()
            .by_reader_date(translation.get_language() or languages.DEFAULT)[:5]
        )
        # A partner's newsroom publishes statements more than releases.
        context["latest_statements"] = (
            PartnerPosition.objects.descendant_of(self)
            .published()
            .for_cards()
            .by_reader_date(translation.get_language() or languages.DEFAULT)[:5]
        )
        site = Site.find_for_request(request) or self.get_site()
        trials = Trial.objects.published().shown_in(site).order_by("path")
        # A few, and the directory for the rest.
        context["trials"] = trials[:HOME_TRIALS]
        context["trial_index"] = (
            TrialIndexPage.objects.descendant_of(self).live().first()
            if len(context["trials"]) == HOME_TRIALS
            else None
        )
        return context
