"""The admin at scale: an editor (and a superuser) opens the releases
section, pages through it, searches the admin, and opens the edit and
history views of one release, with as many queries among 250 releases as
among 3 (no query per row, whatever the rights each row is checked for)."""

from io import StringIO

from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from announcements.models import PressRelease, ReleaseIndexPage, Trial
from announcements.roles import EDITORS
from announcements.site_tree import ensure_site_tree
from bench.populate import populate
from tests.factories import build_release, build_trial
from tests.support import module_data

pytestmark = pytest.mark.django_db
LARGE = 250
MOST_SEARCH_QUERIES = 26  # an editor's rights are read in two more


def _count(client, url):
    client.get(url)  # warm the per-process caches (content types, site)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def _measure(client):
    index = ReleaseIndexPage.objects.get()
    release = PressRelease.objects.order_by("path").first()
    # Scheduled rows say their embargo: one of them in each list.
    return {
        "explorer": _count(client, f"/admin/pages/{index.pk}/"),
        "explorer, last page": _count(client, f"/admin/pages/{index.pk}/?p=999"),
        "admin search": _count(client, "/admin/pages/search/?q=Titre"),
        "edit": _count(client, f"/admin/pages/{release.pk}/edit/"),
        "history": _count(client, f"/admin/pages/{release.pk}/history/"),
    }


@pytest.fixture(scope="module")
def counts(django_db_setup, django_db_blocker):
    with module_data(django_db_blocker):
        from django.contrib.auth import get_user_model

        home = ensure_site_tree()
        trial = build_trial(home)
        for _ in range(3):
            build_release(home, trial)
        embargoed = build_release(home, trial, live=False)
        embargoed.go_live_at = embargoed.latest_revision_created_at.replace(
            year=embargoed.latest_revision_created_at.year + 1
        )
        embargoed.save_revision().publish()
        users = {
            "superuser": get_user_model().objects.create_superuser(
                "chief", "chief@example.org", "pw"
            ),
            "editor": get_user_model().objects.create_user("edith", password="pw"),
        }
        users["editor"].groups.add(Group.objects.get(name=EDITORS))
        clients = {}
        for role, user in users.items():
            clients[role] = Client()
            clients[role].force_login(user)
        small = {role: _measure(client) for role, client in clients.items()}
        populate(
            releases=LARGE,
            statements=1,
            trials=Trial.objects.count(),
            contacts=2,
            out=StringIO(),
        )
        large = {role: _measure(client) for role, client in clients.items()}
        yield {role: (small[role], large[role]) for role in clients}


@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_the_admin_costs_the_same_among_3_and_250_releases(counts, role):
    small, large = counts[role]
    searches = small.pop("admin search"), large.pop("admin search")
    assert small == large
    # Search results are read one query per page type they hold (at most
    # four here), whatever their number.
    assert max(searches) <= MOST_SEARCH_QUERIES
