"""Search engines get every public page from the sitemap, with the alternates
each page declares; the sitemap is an index of small sitemap pages, kept in
the cache and rebuilt as soon as public content changes."""

import math
import xml.etree.ElementTree as ET

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page

import pytest
from bs4 import BeautifulSoup

from announcements import content_version, sitemaps
from announcements.models import PartnerPosition, Trial
from tests.factories import OrganisationFactory, build_release, build_trial, url_in
from tests.support import SITEMAP, read_sitemap


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def live_pages(home):
    return home.get_descendants(inclusive=True).live().public().count()


@pytest.fixture
def small_pages(monkeypatch):
    """Sitemap pages of two pages each, so that a small tree spans several."""
    monkeypatch.setattr(sitemaps.PageSitemap, "limit", 2)


def test_sitemap_lists_exactly_the_canonical_urls_with_their_alternates(
    seeded, client, home, small_pages
):
    """Search engines get from the sitemap what each page says of itself: its
    canonical URL in each language it is offered in, with the same hreflang
    alternates; a one-language statement is listed once, in its language.
    Spread over several sitemap pages, nothing is lost or listed twice."""
    hidden = build_release(
        home, Trial.objects.get(), live=False, slug_fr="cache", slug_en="hidden"
    )
    entries = read_sitemap(client)
    assert not any(hidden.slug_en in loc or "/cache/" in loc for loc in entries)
    canonical_pages = set()
    for location, alternates in entries.items():
        head = soup_of(client.get(location))
        assert head.find("link", rel="canonical")["href"] == location
        declared = {
            link["hreflang"]: link["href"]
            for link in head.find_all("link", rel="alternate", hreflang=True)
        }
        assert alternates == declared, location
        canonical_pages.add(declared.get("x-default"))
    # Every live page, the Subscribe page, the corrections and those of each
    # corrected trial (the seed has none: one is added below).
    assert len(canonical_pages) == live_pages(home) + 2
    assert "http://testserver/en/subscribe/" in entries
    assert "http://testserver/fr/rectificatifs/" in entries
    assert "http://testserver/en/corrections/" in entries
    # The English-only statements are listed in English only.
    english_only = PartnerPosition.objects.filter(requires_fr=False)
    assert english_only.exists()
    for statement in english_only:
        assert f"http://testserver{url_in(statement, 'en')}" in entries
        assert f"http://testserver{url_in(statement, 'fr')}" not in entries


def test_the_index_lists_one_sitemap_page_per_limit_pages(client, home, small_pages):
    """A large site is served in sitemap pages of at most ``limit`` pages (one
    URL per language each), all listed by /sitemap.xml, where robots.txt
    points."""
    trial = build_trial(home)
    for _ in range(4):
        build_release(home, trial)
    pages = math.ceil(live_pages(home) / 2)
    assert pages >= 5
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    listed = [loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]
    base = "http://testserver/sitemap-pages.xml"
    assert listed == [
        base,
        *(f"{base}?p={page}" for page in range(2, pages + 1)),
        "http://testserver/sitemap-views.xml",
    ]
    for location in listed[:-1]:
        urls = ET.fromstring(client.get(location).content).iter(f"{SITEMAP}url")
        assert 0 < len(list(urls)) <= 2 * 2, location
    assert client.get(f"{base}?p={pages + 1}").status_code == 404
    assert client.get(f"{base}?p=x").status_code == 404
    assert client.get("/sitemap-views.xml?p=2").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").text


def test_the_sitemap_is_served_from_the_cache(client, home):
    """Once built, a sitemap page is not built again for each request."""
    release = build_release(home, build_trial(home))
    location = f"http://testserver{url_in(release, 'en')}"
    first = client.get("/sitemap-pages.xml")
    # Behind Wagtail's back: no signal, so the cached copy is still served.
    Page.objects.filter(pk=release.pk).update(live=False)
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/sitemap-pages.xml")
    assert again.content == first.content
    assert location in again.text
    assert len(queries.captured_queries) == 0
    assert again["X-Robots-Tag"] == first["X-Robots-Tag"]
    assert again["Content-Type"] == "application/xml"
    assert again["Cache-Control"] == "public, max-age=300"


def test_a_gzip_reader_gets_the_kept_compressed_sitemap(client, home, monkeypatch):
    """Compressing a sitemap page of two thousand addresses costs more than
    reading it from the cache: the compressed answer is what is kept."""
    import gzip

    from django.middleware import gzip as gzip_middleware

    release = build_release(home, build_trial(home))
    plain = client.get("/sitemap-pages.xml")
    first = client.get("/sitemap-pages.xml", headers={"accept-encoding": "gzip"})
    assert first["Content-Encoding"] == "gzip"
    assert gzip.decompress(first.content) == plain.content
    compressions = []
    original = gzip_middleware.compress_string
    monkeypatch.setattr(
        gzip_middleware,
        "compress_string",
        lambda data, **kwargs: compressions.append(1) or original(data, **kwargs),
    )
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/sitemap-pages.xml", headers={"accept-encoding": "gzip"})
    assert (again.content, compressions, queries.captured_queries) == (
        first.content,
        [],
        [],
    )
    assert again["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in again["Vary"]
    assert f"http://testserver{url_in(release, 'en')}".encode() in gzip.decompress(
        again.content
    )


def test_a_cached_sitemap_follows_every_public_change(client, home, committed):
    """Publishing, renaming, moving, unpublishing or deleting a page shows in
    the next sitemap, even though the sitemap is cached."""
    trial = build_trial(home)
    read_sitemap(client)  # cached from here on

    def listed(page, language="en"):
        return f"http://testserver{url_in(page, language)}" in read_sitemap(client)

    with committed():
        release = build_release(home, trial, slug_en="first-name")
    assert listed(release)

    old_url = f"http://testserver{url_in(release, 'en')}"
    release.slug_en = "second-name"
    with committed():
        release.save_revision().publish()
    release.refresh_from_db()
    entries = read_sitemap(client)
    assert f"http://testserver{url_in(release, 'en')}" in entries
    assert old_url not in entries

    old_url = f"http://testserver{url_in(release, 'en')}"
    with committed():
        release.move(trial, pos="last-child")
    release.refresh_from_db()
    entries = read_sitemap(client)
    assert f"http://testserver{url_in(release, 'en')}" in entries
    assert old_url not in entries

    with committed():
        release.unpublish()
    assert not listed(release)

    with committed():
        release.save_revision().publish()
    assert listed(release)
    with committed():
        release.delete()
    assert old_url not in read_sitemap(client)
    assert not any("second-name" in location for location in read_sitemap(client))


def test_a_draft_leaves_the_cached_sitemap_alone(client, home, committed):
    """A draft never published is not public: the sitemap neither lists it
    nor needs rebuilding."""
    trial = build_trial(home)
    organisation = OrganisationFactory()
    before = read_sitemap(client)
    version = content_version.version()
    with committed():
        draft = build_release(
            home, trial, live=False, slug_en="a-draft", organisation=organisation
        )
        draft.title_en = "Still a draft"
        draft.save_revision()
    assert read_sitemap(client) == before
    assert not any("a-draft" in location for location in before)
    assert content_version.version() == version


def test_the_sitemap_expires_when_the_change_is_committed(
    client, home, django_capture_on_commit_callbacks
):
    """A request made while a publication is still being committed cannot
    keep the old sitemap under the new version."""
    trial = build_trial(home)
    read_sitemap(client)
    with django_capture_on_commit_callbacks() as callbacks:
        release = build_release(home, trial)
        location = f"http://testserver{url_in(release, 'en')}"
        assert location not in read_sitemap(client)
    for callback in callbacks:
        callback()
    assert location in read_sitemap(client)


def _sitemap_queries(client):
    client.get("/sitemap.xml")  # warm the per-process caches (site, types)
    client.get("/sitemap-pages.xml")
    counts = []
    for url in ("/sitemap.xml", "/sitemap-pages.xml"):
        content_version.new_version()  # built anew, not read from the cache
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries.captured_queries))
    return counts, len(ET.fromstring(response.content))


def test_a_sitemap_page_costs_the_same_for_3_and_60_pages(client, home):
    """Building a sitemap page makes no query per page, so its cost does not
    grow with the site."""
    trial = build_trial(home)
    for _ in range(3):
        build_release(home, trial)
    small, small_urls = _sitemap_queries(client)
    for _ in range(57):
        build_release(home, trial)
    large, large_urls = _sitemap_queries(client)
    assert large_urls == small_urls + 57 * 2
    assert large == small


def test_a_failing_cache_still_serves_the_sitemap(client, home, cache_down):
    """Without its cache the sitemap is built for each request, never an
    error; a publication still succeeds."""
    release = build_release(home, build_trial(home))
    for url in ("/sitemap.xml", "/sitemap-pages.xml", "/sitemap-views.xml"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert f"http://testserver{url_in(release, 'en')}" in read_sitemap(client)
    content_version.new_version()
    release.save_revision().publish()


def test_a_corrected_trials_corrections_page_is_in_the_sitemap(
    seeded, client, committed
):
    from announcements.models import PressRelease

    release = PressRelease.objects.get()
    trial = release.trial
    assert not any(trial.registry_id in loc for loc in read_sitemap(client))
    with committed():
        release.corrections.create(note_fr="Rectifié.", note_en="Corrected.")
        release.save_revision().publish()
    entries = read_sitemap(client)
    for language, prefix in (("fr", "rectificatifs"), ("en", "corrections")):
        location = f"http://testserver/{language}/{prefix}/{trial.registry_id}/"
        assert location in entries
        head = soup_of(client.get(location))
        assert head.find("link", rel="canonical")["href"] == location
        declared = {
            link["hreflang"]: link["href"]
            for link in head.find_all("link", rel="alternate", hreflang=True)
        }
        assert entries[location] == declared
