"""The benchmark measures real content: the pages ``bench/populate.py``
writes in bulk have what Wagtail itself would have written for them, their
revision and history, search and reference index entries, in a consistent
page tree, with every index of the database back in place."""

from io import StringIO

from django.db import connection
from django.utils import translation

from wagtail.models import Page, PageLogEntry, ReferenceIndex
from wagtail.search.backends import get_search_backend

import pytest
from modelsearch.conf import get_app_config

from announcements.models import (
    PartnerPosition,
    PressContact,
    PressRelease,
    Trial,
)
from announcements.site_tree import ensure_site_tree
from bench.populate import populate
from tests.factories import build_trial
from tests.support import module_data

pytestmark = pytest.mark.django_db
KINDS = (PressRelease, PartnerPosition, Trial, PressContact)
TABLES = (
    "wagtailcore_page",
    "wagtailcore_revision",
    "wagtailcore_referenceindex",
    "wagtailsearch_indexentry",
    "announcements_pressrelease",
)


def _constraints_and_indexes():
    with connection.cursor() as cursor:
        return {
            table: connection.introspection.get_constraints(cursor, table)
            for table in TABLES
        }


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """Pages of each kind written by the bulk builder, and the database's
    indexes before and after it."""
    with module_data(django_db_blocker), translation.override("fr"):
        home = ensure_site_tree()
        build_trial(home)
        existing = list(Page.objects.values_list("pk", flat=True))
        before = _constraints_and_indexes()
        populate(releases=6, statements=4, trials=3, contacts=3, out=StringIO())
        after = _constraints_and_indexes()
        pages = [
            page
            for model in KINDS
            for page in model.objects.exclude(pk__in=existing).order_by("path")
        ]
        yield {"before": before, "after": after, "pages": pages}


def _references(page):
    return set(
        ReferenceIndex.objects.filter(object_id=str(page.pk)).values_list(
            "content_type",
            "base_content_type",
            "to_content_type",
            "to_object_id",
            "model_path",
            "content_path",
            "content_path_hash",
        )
    )


def _entries():
    return get_app_config().get_model("IndexEntry").objects


def _search_entry(page):
    entries = _entries()
    fields = [
        field.attname
        for field in entries.model._meta.concrete_fields
        if field.attname not in ("id", "title_norm")
    ]
    return entries.filter(object_id=str(page.pk)).values(*fields).get()


def test_every_kind_of_page_is_written(built):
    kinds = {type(page) for page in built["pages"]}
    assert kinds == set(KINDS)
    assert len(built["pages"]) == 6 + 4 + 2 + 3


def test_the_page_tree_is_consistent(built):
    """treebeard finds no wrong path, depth or child count."""
    assert not any(Page.find_problems())


def test_each_page_has_its_published_revision_and_history(built):
    for page in built["pages"]:
        assert page.live and not page.has_unpublished_changes
        assert page.latest_revision_id == page.live_revision_id is not None
        shown = page.latest_revision.as_object()
        assert (shown.title_fr, shown.title_en) == (page.title_fr, page.title_en)
        if isinstance(page, PressRelease):
            assert shown.body_en == page.body_en
            assert [link.contact_id for link in shown.contact_links.all()] == [
                link.contact_id for link in page.contact_links.all()
            ]
            assert len(page.contact_links.all()) == 2
        history = PageLogEntry.objects.filter(page=page)
        assert sorted(history.values_list("action", "revision")) == [
            ("wagtail.create", None),
            ("wagtail.publish", page.latest_revision_id),
        ]


def test_reference_index_is_what_wagtail_writes(built):
    """Wagtail's own indexing of each page adds and removes nothing."""
    for page in built["pages"]:
        written = _references(page)
        ReferenceIndex.create_or_update_for_object(page)
        assert _references(page) == written, page
    release = next(page for page in built["pages"] if isinstance(page, PressRelease))
    assert {path for *_, path, _hash in _references(release)} == {
        "trial",
        "organisation",
        *(f"contact_links.{link.pk}.contact" for link in release.contact_links.all()),
    }


def test_search_entries_are_what_wagtail_writes(built):
    """Indexing each page again, one at a time as publishing does, changes
    nothing in its entry: the bulk entries are the backend's own."""
    backend = get_search_backend()
    for page in built["pages"]:
        written = _search_entry(page)
        backend.add(page)
        assert _search_entry(page) == written, page


def test_every_index_of_the_database_is_back(built):
    """The indexes dropped for the bulk load (PostgreSQL) are all built
    again, with the same definitions."""
    assert built["after"] == built["before"]
