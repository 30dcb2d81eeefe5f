from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PressConfig(AppConfig):
    """The journalists' press area: accounts, grants, secret links, the log
    of embargoed readings and the press office's admin."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "press"
    verbose_name = _("Press area")

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from .models import AccessLog
        from .viewsets import ReadOnlyPolicy

        # An investigation's evidence is read, never edited.
        register_permission_policy(
            AccessLog, ReadOnlyPolicy(AccessLog), exact_class=True
        )
