"""Readers' browsers, feed readers, search engines and caches keep what they
fetched and ask again whether it changed: every public answer carries what
they revalidate with (an ETag, and Last-Modified where the newsroom knows
when it changed), and a copy still right gets a 304, with or without the
page cache."""

import datetime

from django.utils.http import http_date

import pytest

from tests.factories import build_contact, build_position, build_release, url_in


@pytest.fixture(params=["without page cache", "with page cache"])
def caching(request, settings):
    if request.param == "with page cache":
        settings.PAGE_CACHE_SECONDS = 300
    return request.param


@pytest.fixture
def site(home, trial):
    release = build_release(home, trial, title_fr="Résultats", title_en="Results")
    build_position(home, trial, title_fr="Position", title_en="Statement")
    contact = build_contact(home, title_fr="Jeanne Martin", title_en="Jeanne Martin")
    return {"release": release, "trial": trial, "contact": contact, "home": home}


def public_pages(site):
    pages = []
    for language in ("fr", "en"):
        pages += [
            f"/{language}/",
            url_in(site["release"], language),
            url_in(site["trial"], language),
            url_in(site["contact"], language),
            url_in(site["release"].get_parent(), language),
        ]
    pages += [
        "/fr/recherche/?q=essai",
        "/en/search/?q=trial",
        "/fr/rectificatifs/",
        "/en/corrections/",
        "/api/v2/releases/",
    ]
    return pages


def test_every_page_has_an_etag_and_a_copy_still_right_gets_a_304(
    site, client, caching
):
    for url in public_pages(site):
        for encoding in ("gzip", "identity"):
            first = client.get(url, HTTP_ACCEPT_ENCODING=encoding)
            assert first.status_code == 200, url
            etag = first["ETag"]
            again = client.get(
                url, HTTP_ACCEPT_ENCODING=encoding, HTTP_IF_NONE_MATCH=etag
            )
            assert again.status_code == 304, (url, encoding, caching)
            assert again.content == b""
            assert again["ETag"] == etag


def test_a_page_that_changed_is_sent_again(site, client, caching, committed):
    release = site["release"]
    url = url_in(release, "en")
    etag = client.get(url)["ETag"]
    release.title_en = "Results, corrected"
    with committed():
        release.save_revision().publish()
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "Results, corrected" in response.text
    assert response["ETag"] != etag


def test_the_sitemap_answers_if_modified_since(site, client, caching):
    """Search engines revalidate the sitemap by its date (the index, which
    has none, by its ETag)."""
    index = client.get("/sitemap.xml")
    assert (
        client.get("/sitemap.xml", HTTP_IF_NONE_MATCH=index["ETag"]).status_code == 304
    )
    url = "/sitemap-pages.xml"
    first = client.get(url)
    assert first.status_code == 200
    last_modified = first["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    earlier = http_date(
        datetime.datetime.strptime(last_modified, "%a, %d %b %Y %H:%M:%S GMT")
        .replace(tzinfo=datetime.UTC)
        .timestamp()
        - 3600
    )
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


@pytest.mark.parametrize(
    "url", ["/fr/flux/", "/fr/flux/communiques/", "/en/rss/releases/"]
)
def test_feeds_answer_if_modified_since_and_if_none_match(site, client, caching, url):
    first = client.get(url)
    assert first.status_code == 200
    assert (
        client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code
        == 304
    ), caching
    for encoding in ("gzip", "identity"):
        etag = client.get(url, HTTP_ACCEPT_ENCODING=encoding)["ETag"]
        again = client.get(url, HTTP_ACCEPT_ENCODING=encoding, HTTP_IF_NONE_MATCH=etag)
        assert (again.status_code, again["ETag"]) == (304, etag)
