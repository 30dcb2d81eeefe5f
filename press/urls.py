"""The press area's public addresses (under each language prefix): the
journalists' own pages, and the secret links' item, attachments and kit."""

from django.urls import include, path, register_converter
from django.urls.converters import StringConverter
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import links, views
from .models import EmbargoPreviewLink


class PreviewTokenConverter(StringConverter):
    regex = EmbargoPreviewLink.TOKEN_PATTERN


class CalendarTokenConverter(StringConverter):
    regex = views.TOKEN_PATTERN


class SignInTokenConverter(StringConverter):
    regex = views.SIGN_IN_TOKEN_PATTERN


class ConfirmTokenConverter(StringConverter):
    regex = views.CONFIRM_TOKEN_PATTERN


register_converter(PreviewTokenConverter, "preview_token")
register_converter(CalendarTokenConverter, "calendar_token")
register_converter(SignInTokenConverter, "sign_in_token")
register_converter(ConfirmTokenConverter, "confirm_token")

press_patterns = (
    [
        path("", views.index, name="index"),
        path(_("register/"), views.register, name="register"),
        path(
            format_lazy("{}<confirm_token:token>/", _("register/")),
            views.confirm_address,
            name="confirm",
        ),
        path(_("sign-in/"), views.sign_in_view, name="sign_in"),
        path(
            format_lazy("{}<sign_in_token:token>/", _("sign-in/")),
            views.sign_in_with_link,
            name="sign_in_link",
        ),
        path(_("sign-out/"), views.sign_out, name="sign_out"),
        path(_("password/"), views.set_password, name="set_password"),
        path("<int:page_id>/", views.item, name="item"),
        path(
            "<int:page_id>/documents/<int:document_id>/",
            views.item_document,
            name="document",
        ),
        path("<int:page_id>/press-kit.zip", views.item_press_kit, name="press_kit"),
        path(
            format_lazy("{}<calendar_token:token>.ics", _("calendar/")),
            views.calendar,
            name="calendar",
        ),
    ],
    "press",
)

urlpatterns = [
    path(_("press/"), include(press_patterns)),
    path("embargo/<preview_token:token>/", links.preview, name="embargo_preview"),
    path(
        "embargo/<preview_token:token>/documents/<int:document_id>/",
        links.preview_document,
        name="embargo_preview_document",
    ),
    path(
        "embargo/<preview_token:token>/press-kit.zip",
        links.press_kit_view,
        name="embargo_press_kit",
    ),
]
