"""Every door to embargoed material is logged: the item, its attachments and
its press kit, through a secret link or a journalist's account. Every
address of the press area is listed here, as a door (logged) or as a page
that shows no embargoed material, so that a new one cannot be forgotten."""

from django.urls import URLPattern, URLResolver, get_resolver, reverse

import pytest

from press.models import AccessLog, EmbargoPreviewLink
from tests.factories import JournalistFactory
from tests.support import press_sign_in
from tests.test_embargo import Embargoed

DOORS = {
    "embargo_preview",
    "embargo_preview_document",
    "embargo_press_kit",
    "press:item",
    "press:document",
    "press:press_kit",
}
# The journalist's own pages: the list of items and the calendar give titles
# and lift times (a calendar app fetches it every few minutes); signing in
# and out, registering, confirming an address and setting a password show
# nothing embargoed.
NOT_MATERIAL = {
    "press:index",
    "press:calendar",
    "press:register",
    "press:confirm",
    "press:set_password",
    "press:sign_in",
    "press:sign_in_link",
    "press:sign_out",
}


def press_url_names():
    """Names of the press app's public addresses (its views and links; the
    press office's admin is behind the admin's sign-in)."""
    names = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else ""
                walk(pattern.url_patterns, inner or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                module = getattr(pattern.callback, "__module__", "")
                if module in ("press.views", "press.links"):
                    names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns)
    return names


def test_every_press_address_is_a_logged_door_or_shows_nothing_embargoed():
    assert press_url_names() == DOORS | NOT_MATERIAL


@pytest.fixture
def scheduled(home, make_user):
    return Embargoed(home, make_user, "scheduled")


def test_each_door_to_embargoed_material_is_logged(scheduled, client):
    release, document = scheduled.release, scheduled.document
    link = EmbargoPreviewLink.objects.create(page=release, label="Desk santé")
    link.grant(None)
    readings = {
        "embargo_preview": link.url_in("fr"),
        "embargo_preview_document": reverse(
            "embargo_preview_document", args=(link.token, document.pk)
        ),
        "embargo_press_kit": reverse("embargo_press_kit", args=(link.token,)),
    }
    journalist = JournalistFactory()
    account = press_sign_in(client.__class__(), journalist)
    by_account = {
        "press:item": reverse("press:item", args=(release.pk,)),
        "press:document": reverse("press:document", args=(release.pk, document.pk)),
        "press:press_kit": reverse("press:press_kit", args=(release.pk,)),
    }
    assert set(readings) | set(by_account) == DOORS
    for name, url in [*readings.items(), *by_account.items()]:
        before = AccessLog.objects.count()
        reader = account if name in by_account else client
        response = reader.get(url)
        assert response.status_code == 200, name
        assert AccessLog.objects.count() == before + 1, f"{name} was not logged"
    kit = AccessLog.objects.get(via=AccessLog.Via.LINK, document__endswith=".zip")
    assert kit.link == link
    kit = AccessLog.objects.get(via=AccessLog.Via.ACCOUNT, document__endswith=".zip")
    assert kit.journalist == journalist
