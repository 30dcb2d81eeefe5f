from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnouncementsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "announcements"
    verbose_name = _("Announcements")

    def ready(self):
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.models import ReferenceIndex
        from wagtail.permissions import register_permission_policy

        from . import documents, signal_handlers, workflows
        from .models.base import NewsroomPage
        from .models.institution import Institution

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
        # Wagtail 8 indexes the references of snippets, not of settings: the
        # institution's logo is then carried (``documents.is_carried``) and
        # listed in the image's usage, as an organisation's is.
        ReferenceIndex.register_model(Institution)
        NewsroomPage.keep_declared_methods()
