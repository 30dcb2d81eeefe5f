from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnouncementsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "announcements"
    verbose_name = _("Announcements")

    def ready(self):
        from . import signal_handlers
        from .models.base import IndexPage

        signal_handlers.register()
        # wagtail-modeltranslation assigns its own route() to every translated
        # page class when it starts, before this; index pages keep theirs.
        for index in IndexPage.page_types():
            index.route = IndexPage.route
