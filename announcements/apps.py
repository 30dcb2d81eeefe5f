from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnouncementsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "announcements"
    verbose_name = _("Announcements")

    def ready(self):
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.permissions import register_permission_policy

        from . import documents, signal_handlers, workflows
        from .models.base import NewsroomPage

        signal_handlers.register()
        workflows.show_names_in_the_editors_language()
        # After wagtail.documents and wagtail.images registered Wagtail's own.
        register_permission_policy(
            get_document_model(), documents.document_permission_policy()
        )
        register_permission_policy(
            get_image_model(), documents.image_permission_policy()
        )
        documents.connect()
        # wagtail-modeltranslation assigns its own route() to every translated
        # page class when it starts, before this; the newsroom's pages keep
        # the one NewsroomPage declares.
        for page_type in NewsroomPage.page_types():
            page_type.route = NewsroomPage.route
