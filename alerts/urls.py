"""E-mail alerts' public addresses (under each language prefix)."""

from django.urls import path, register_converter
from django.urls.converters import StringConverter
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import views
from .models import AlertSubscription


class AlertTokenConverter(StringConverter):
    regex = AlertSubscription.TOKEN_PATTERN


register_converter(AlertTokenConverter, "alert_token")

urlpatterns = [
    path(_("subscribe/"), views.SubscribeView.as_view(), name="subscribe"),
    path(
        pgettext_lazy("alerts path", "alerts/"),
        views.subscribe,
        name="alert_subscribe",
    ),
    path(
        pgettext_lazy("alerts path", "alerts/confirm/<alert_token:token>/"),
        views.confirm,
        name="alert_confirm",
    ),
    path(
        pgettext_lazy("alerts path", "alerts/stop/<alert_token:token>/"),
        views.unsubscribe,
        name="alert_unsubscribe",
    ),
]
