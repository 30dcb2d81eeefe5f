from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnouncementsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "announcements"
    verbose_name = _("Announcements")

    def ready(self):
        from wagtail.documents import get_document_model
        from wagtail.permissions import register_permission_policy

        from . import documents, signal_handlers
        from .models.base import IndexPage

        signal_handlers.register()
        # After wagtail.documents has registered Wagtail's own policy.
        register_permission_policy(get_document_model(), documents.permission_policy())
        # wagtail-modeltranslation assigns its own route() to every translated
        # page class when it starts, before this; index pages keep theirs.
        for index in IndexPage.page_types():
            index.route = IndexPage.route
