"""No query per item: every listing, page and feed costs the same number of
queries with 3 items as with 60 (a tree built once for the module)."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from announcements.models import ContactIndexPage, PositionIndexPage, ReleaseIndexPage
from announcements.site_tree import ensure_site_tree
from tests.conftest import module_data
from tests.factories import (
    build_contact,
    build_position,
    build_release,
    build_trial,
    url_in,
)

# The tree is built once, below; each test only reads the counts.
pytestmark = pytest.mark.django_db


def _query_count(client, url, params=None):
    client.get(url, params)  # warm the per-process caches (site, content types)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params).status_code == 200, url
    return len(context.captured_queries)


def _urls(home, trial):
    pages = [
        (url_in(ReleaseIndexPage.objects.get(), language), None)
        for language in ("fr", "en")
    ]
    pages += [
        (url_in(PositionIndexPage.objects.get(), "en"), None),
        (url_in(ContactIndexPage.objects.get(), "en"), None),
        (url_in(trial, "en"), None),
        (url_in(home, "en"), None),
        ("/en/search/", {"q": "Title"}),
    ]
    feeds = [
        (f"/{language}/{path}", None)
        for language in ("fr", "en")
        for path in (
            "rss/",
            "rss/releases/",
            "rss/statements/",
            f"rss/trials/{trial.registry_id}/",
        )
    ]
    return pages, feeds


@pytest.fixture(scope="module")
def counts(django_db_setup, django_db_blocker):
    """Query counts of each URL with 3 items of each kind, then with 60."""
    with module_data(django_db_blocker):
        home = ensure_site_tree()
        trial = build_trial(home, registry_id="NCT00000042")
        contacts = [build_contact(home) for _ in range(2)]

        def add(count):
            for _ in range(count):
                release = build_release(home, trial)
                for contact in contacts:
                    release.contact_links.create(contact=contact)
                build_position(home, trial)
                build_contact(home)

        client = Client()
        pages, feeds = _urls(home, trial)
        add(3)
        small = {
            url: _query_count(client, url, params) for url, params in pages + feeds
        }
        add(57)
        large = {
            url: _query_count(client, url, params) for url, params in pages + feeds
        }
        yield {"small": small, "large": large, "pages": pages, "feeds": feeds}


def test_listings_pages_and_search_cost_the_same_for_3_and_60_items(counts):
    urls = [url for url, _params in counts["pages"]]
    assert [counts["small"][url] for url in urls] == [
        counts["large"][url] for url in urls
    ]


def test_feeds_cost_the_same_for_3_and_60_items(counts):
    urls = [url for url, _params in counts["feeds"]]
    assert [counts["small"][url] for url in urls] == [
        counts["large"][url] for url in urls
    ]
