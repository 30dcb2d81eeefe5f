from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    """E-mail alerts: readers who asked to hear of new items by e-mail."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "alerts"
    verbose_name = _("E-mail alerts")

    def ready(self):
        from wagtail.signals import page_published

        from announcements.models import AnnouncementPage

        from .mail import on_published

        # An alert goes out when an item first goes live.
        for kind in AnnouncementPage.page_types():
            page_published.connect(
                on_published,
                sender=kind,
                dispatch_uid=f"newsroom-alerts-{kind.__name__}",
            )
