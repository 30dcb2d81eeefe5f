"""No query per item, and few in all: every page, listing and feed costs at
most 13 queries, the same with 3 items of each kind as with hundreds, in
the first newsroom and in a second one sharing its trial (a
tree built once for the module; the extra items are written in bulk by
``bench/populate.py``, the benchmark's builder). Listings are read at page 1
and at page 200, with one item per page so that page 200 exists."""

from io import StringIO

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from announcements import content_version
from announcements.models import (
    ContactIndexPage,
    PartnerPosition,
    PositionIndexPage,
    PressContact,
    PressRelease,
    ReleaseIndexPage,
    Trial,
    TrialIndexPage,
)
from announcements.models.announcement import AnnouncementIndexPage
from announcements.newsrooms import add_newsroom
from announcements.site_tree import ensure_site_tree
from bench.populate import populate
from tests.factories import (
    build_contact,
    build_position,
    build_release,
    build_trial,
    feed_url,
    url_in,
)
from tests.support import module_data

pytestmark = pytest.mark.django_db

# 12, and one more on a page naming another newsroom's items (the
# newsrooms' names, read once: ``newsrooms.elsewhere``).
MOST_QUERIES = 13
OTHER = "filslan.test"  # a second newsroom
LARGE = 250


def _query_count(client, url, params=None):
    client.get(url, params)  # warm the per-process caches (site, content types)
    content_version.new_version()  # built again, not served from the cache
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return len(context.captured_queries), context.captured_queries, response


def _urls(home, trial):
    """``[(name, url, params)]``: each page and feed, pages first."""
    releases_page = ReleaseIndexPage.objects.child_of(home).get()
    releases = url_in(releases_page, "fr")
    statements = url_in(PositionIndexPage.objects.child_of(home).get(), "en")

    def newest(model, language):
        newest = model.objects.live().descendant_of(home).order_by("-path").first()
        return url_in(newest, language)

    page_200 = {"page": "200"}
    return [
        ("home", url_in(home, "en"), None),
        ("releases", releases, None),
        ("releases, page 200", releases, page_200),
        (
            "releases in English",
            url_in(ReleaseIndexPage.objects.child_of(home).get(), "en"),
            None,
        ),
        ("statements", statements, None),
        ("statements, page 200", statements, page_200),
        ("trials", url_in(TrialIndexPage.objects.child_of(home).get(), "fr"), None),
        ("contacts", url_in(ContactIndexPage.objects.child_of(home).get(), "en"), None),
        ("trial", url_in(trial, "en"), None),
        ("trial, page 200", url_in(trial, "fr"), page_200),
        ("release", newest(PressRelease, "fr"), None),
        ("release in English", newest(PressRelease, "en"), None),
        ("statement", newest(PartnerPosition, "en"), None),
        ("contact", newest(PressContact, "fr"), None),
        ("search", "/en/search/", {"q": "Title"}),
        ("subscribe", "/fr/abonnement/", None),
        ("sitemap index", "/sitemap.xml", None),
        ("sitemap page", "/sitemap-pages.xml", None),
        *(
            (f"api {endpoint}", f"/api/v2/{endpoint}/", {"locale": "en"})
            for endpoint in (
                "releases",
                "statements",
                "trials",
                "contacts",
                "organisations",
            )
        ),
        ("api release", f"/api/v2/releases/{_oldest_id(PressRelease)}/", None),
        ("api trial", f"/api/v2/trials/{trial.pk}/", {"locale": "en"}),
        ("api contact", f"/api/v2/contacts/{_oldest_id(PressContact)}/", None),
        *(
            (f"feed {name} {language}", feed_url(language, name, *args), None)
            for language in ("fr", "en")
            for name, args in (
                ("announcements", ()),
                ("releases", ()),
                ("positions", ()),
                ("trial", (trial.registry_id,)),
            )
        ),
    ]


def _other_urls(other, trial):
    """A second newsroom's pages about the first newsroom's trial: its home,
    its trials, the shared trial (with every newsroom's items) and its feed."""
    trials = url_in(TrialIndexPage.objects.child_of(other.root_page).get(), "fr")
    shared = f"{trials}{trial.slug_fr}/"
    return [
        ("filslan home", "/en/", None),
        ("filslan trials", trials, None),
        ("filslan shared trial", shared, None),
        ("filslan shared trial, page 200", shared, {"page": "200"}),
        ("filslan statements", "/fr/prises-de-position/", None),
        ("feed filslan", "/fr/flux/", None),
        ("feed filslan trial", feed_url("fr", "trial", trial.registry_id), None),
    ]


def _oldest_id(model):
    return model.objects.live().order_by("path").first().pk


def _measure(client, home, trial, other):
    counts = {
        name: _query_count(client, url, params)
        for name, url, params in _urls(home, trial)
    }
    at_other = Client(HTTP_HOST=OTHER)
    for name, url, params in _other_urls(other, trial):
        counts[name] = _query_count(at_other, url, params)
    return counts


@pytest.fixture(scope="module")
def counts(django_db_setup, django_db_blocker):
    """``{name: (queries, captured, response)}`` of each URL with 3 items
    of each kind, then with 250."""
    with module_data(django_db_blocker), pytest.MonkeyPatch.context() as patch:
        # One item per page: page 200 exists with 250 items.
        patch.setattr(AnnouncementIndexPage, "per_page", 1)
        patch.setattr(Trial, "statements_per_page", 1)
        home = ensure_site_tree()
        other = add_newsroom(hostname=OTHER, name_fr="FILSLAN")
        trial = build_trial(home, registry_id="NCT00000042")
        contacts = [build_contact(home) for _ in range(2)]
        for _ in range(3):
            release = build_release(home, trial)
            for contact in contacts:
                release.contact_links.create(contact=contact)
            build_position(home, trial)
            build_position(other.root_page, trial)
            build_contact(home)

        client = Client()
        small = _measure(client, home, trial, other)
        # Every bulk item is about the one trial, so its page has 500 items.
        populate(
            releases=LARGE,
            statements=LARGE,
            trials=Trial.objects.count(),
            contacts=LARGE,
            out=StringIO(),
        )
        large = _measure(client, home, trial, other)
        yield {"small": small, "large": large}


@pytest.mark.parametrize("kind", ["pages", "feeds"])
def test_pages_and_feeds_cost_the_same_for_3_and_250_items(counts, kind):
    """A newsroom with years of releases answers as fast as a new one: no
    query per item, none per page of a listing."""
    names = [
        name for name in counts["small"] if name.startswith("feed") == (kind == "feeds")
    ]
    assert {name: counts["small"][name][0] for name in names} == {
        name: counts["large"][name][0] for name in names
    }


@pytest.mark.parametrize("size", ["small", "large"])
def test_no_public_page_or_feed_needs_more_than_13_queries(counts, size):
    """At an embargo lift every uncached request reaches the database: each
    costs a dozen queries at most."""
    over = {
        url: count
        for url, (count, _queries, _response) in counts[size].items()
        if count > MOST_QUERIES
    }
    assert over == {}


def test_page_200_of_each_listing_is_a_real_page(counts):
    """Page 200 is read at its place in a long list, not the last page."""
    for name, (_count, _queries, response) in counts["large"].items():
        if name.endswith("page 200"):
            assert b"page=199" in response.content, name
            assert b"page=201" in response.content, name


def test_a_release_is_found_by_its_slug_in_the_database(counts):
    """Routing to one of thousands of siblings asks the database for that
    slug, and never reads the siblings."""
    _count, queries, _response = counts["large"]["release"]
    routing = [query["sql"] for query in queries if '"slug_fr" =' in query["sql"]]
    assert routing, "no query looked the slug up"
    assert all("LIMIT 1" in sql or "LIMIT %s" in sql for sql in routing)
