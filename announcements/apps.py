from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnouncementsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "announcements"
    verbose_name = _("Announcements")

    def ready(self):
        from . import signal_handlers
        from .models import (
            ContactIndexPage,
            PositionIndexPage,
            ReleaseIndexPage,
            TrialIndexPage,
        )
        from .models.bilingual import route_to_child_by_slug

        signal_handlers.register()
        # After wagtail-modeltranslation has patched ``route`` on every page
        # model: index pages find their child with one query.
        for index in (
            ReleaseIndexPage,
            PositionIndexPage,
            TrialIndexPage,
            ContactIndexPage,
        ):
            index.route = route_to_child_by_slug
