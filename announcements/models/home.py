from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class HomePage(Page):
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

    def get_context(self, request, *args, **kwargs):
        from .releases import PressRelease
        from .trials import Trial

        context = super().get_context(request, *args, **kwargs)
        context["latest_releases"] = (
            PressRelease.objects.live()
            .public()
            .descendant_of(self)
            .select_related("organisation", "trial")
            .order_by("-first_published_at")[:5]
        )
        context["trials"] = Trial.objects.live().public().descendant_of(self)
        return context
