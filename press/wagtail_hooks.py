"""The press office's admin: journalists, embargoed readings, embargo links."""

from wagtail import hooks

from .viewsets import EmbargoPreviewLinkViewSet, PressOfficeGroup


@hooks.register("register_admin_viewset")
def register_embargo_links():
    return EmbargoPreviewLinkViewSet("embargo_links")


@hooks.register("register_admin_viewset")
def register_press_office():
    return PressOfficeGroup()
