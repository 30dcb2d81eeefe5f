"""Developers read the newsroom through Wagtail's API v2 at /api/v2/: the
releases, statements, trials, press contacts and organisations readers see
on the site, in French or English, and nothing else (the embargo states are
in tests/test_embargo.py)."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.models import PageViewRestriction

import pytest

from announcements.models import PressRelease
from tests.factories import (
    OrganisationFactory,
    build_contact,
    build_position,
    build_release,
    url_in,
)
from tests.test_images import LEAD_IMAGE, make_image

EMBARGO = timezone.now().replace(microsecond=0) + datetime.timedelta(days=2)
ENDPOINT_NAMES = ["releases", "statements", "trials", "contacts", "organisations"]


def get(client, url, status=200):
    response = client.get(url, follow=True)
    assert response.status_code == status, (url, response.content[:300])
    assert response["Content-Type"] == "application/json"
    return response.json()


@pytest.fixture
def release(home, trial):
    document = get_document_model().objects.create(
        title="Protocole", file=ContentFile(b"%PDF-1.4 protocol", name="protocole.pdf")
    )
    organisation = OrganisationFactory(
        name_fr="CHU de Nîmes", name_en="Nîmes University Hospital", slug="chu"
    )
    contact = build_contact(
        home,
        title_fr="Jeanne Martin",
        title_en="Jeanne Martin",
        organisation=organisation,
    )
    release = build_release(
        home,
        trial,
        live=False,
        organisation=organisation,
        title_fr="Résultats de MIROCALS",
        title_en="MIROCALS results",
        standfirst_fr="Chapeau.",
        standfirst_en="Standfirst.",
        body_fr='<p>Corps <a href="https://example.org/">lien</a>.</p>',
        body_en='<p>Body <a href="https://example.org/">link</a>.</p>',
        lead_image=make_image(),
        **LEAD_IMAGE,
    )
    release.attachments.create(document=document)
    release.contact_links.create(contact=contact)
    release.save_revision().publish()
    release.refresh_from_db()
    release.contact = contact
    release.document = document
    return release


def test_a_release_in_each_language_with_what_its_page_shows(release, client):
    for language in ("fr", "en"):
        for url in (
            f"/api/v2/releases/{release.pk}/?locale={language}",
            f"/{language}/api/v2/releases/{release.pk}/",
        ):
            data = get(client, url)
            reading = release.reading(language)
            assert data["id"] == release.pk
            assert data["meta"]["type"] == "announcements.PressRelease"
            assert data["meta"]["html_url"] == "http://testserver" + url_in(
                release, language
            )
            assert data["meta"]["language"] == language
            assert data["meta"]["languages"] == ["fr", "en"]
            assert data["title"] == reading.title
            assert data["standfirst"] == reading.standfirst
            assert data["body"] == reading.body
            assert data["date"] == release.reader_date(language).isoformat()
            assert data["dateline_place"] == "Nîmes"
            assert data["organisation"]["name"] == (
                "CHU de Nîmes" if language == "fr" else "Nîmes University Hospital"
            )
            assert data["trial"]["registry_id"] == "NCT03039673"
            assert [contact["name"] for contact in data["contacts"]] == [
                "Jeanne Martin"
            ]
            image = data["lead_image"]
            assert image["alt"] == LEAD_IMAGE[f"lead_image_alt_{language}"]
            assert image["credit"] == LEAD_IMAGE[f"lead_image_credit_{language}"]
            assert image["caption"] == LEAD_IMAGE[f"lead_image_caption_{language}"]
            assert image["url"].startswith("http://testserver/media/images/")
            assert data["attachments"] == [
                {
                    "title": "Protocole",
                    "url": "http://testserver" + release.document.url,
                    "file_extension": "pdf",
                }
            ]
            assert data["press_kit_url"].endswith(f"/{release.pk}.zip")
            # Every address it gives works.
            for followed in (
                data["meta"]["detail_url"],
                data["organisation"]["detail_url"],
                data["trial"]["detail_url"],
                data["contacts"][0]["detail_url"],
            ):
                get(client, followed)
            assert client.get(data["attachments"][0]["url"]).status_code == 200


def test_listings_in_each_language(release, home, trial, client):
    build_position(home, trial, title_fr="Position", title_en="Statement")
    english = get(client, "/api/v2/releases/?locale=en")
    assert english["meta"]["total_count"] == 1
    (item,) = english["items"]
    assert set(item) == {"id", "meta", "title", "date"}
    assert item["title"] == "MIROCALS results"
    assert get(client, "/fr/api/v2/releases/")["items"][0]["title"] == (
        "Résultats de MIROCALS"
    )
    assert [
        item["title"] for item in get(client, "/en/api/v2/statements/")["items"]
    ] == ["Statement"]
    trials = get(client, "/api/v2/trials/?locale=en&fields=*")["items"]
    assert [(t["title"], t["registry_id"], t["full_name"]) for t in trials] == [
        ("MIROCALS", "NCT03039673", "Demonstration trial")
    ]
    contacts = get(client, "/api/v2/contacts/?locale=en&fields=*")["items"]
    assert [(c["title"], c["role"], c["email"]) for c in contacts] == [
        ("Jeanne Martin", "Press officer", "presse@example.org")
    ]
    assert contacts[0]["vcard_url"] == (
        f"http://testserver/en/vcard/{release.contact.pk}.vcf"
    )
    organisations = get(client, "/api/v2/organisations/?locale=en&fields=*")["items"]
    assert {"Nîmes University Hospital"} <= {o["name"] for o in organisations}


def test_an_item_written_in_french_only_says_so(home, trial, client):
    release = build_release(home, trial, title_en="", body_en="", standfirst_en="")
    data = get(client, f"/api/v2/releases/{release.pk}/?locale=en")
    assert data["meta"]["language"] == "fr"
    assert data["meta"]["languages"] == ["fr"]
    assert data["title"] == release.title_fr


def test_fields_reach_only_what_readers_see(release, client):
    everything = get(client, f"/api/v2/releases/{release.pk}/?fields=*")
    assert set(everything) == {
        "id",
        "meta",
        "title",
        "standfirst",
        "body",
        "date",
        "dateline_place",
        "organisation",
        "trial",
        "contacts",
        "lead_image",
        "attachments",
        "press_kit_url",
    }
    assert set(everything["meta"]) == {
        "type",
        "detail_url",
        "html_url",
        "first_published_at",
        "language",
        "languages",
    }
    for field in (
        "latest_revision",
        "live_revision",
        "draft_title",
        "has_unpublished_changes",
        "go_live_at",
        "owner",
        "url_path",
        "title_en",
        "body_fr",
        "parent",
        "locale",
        "organisation(latest_revision)",
    ):
        get(client, f"/api/v2/releases/?fields={field}", status=400)
    # Model fields are not filters, and Wagtail's other endpoints are absent.
    get(client, "/api/v2/releases/?title=x", status=400)
    get(client, "/api/v2/releases/?type=wagtailcore.Page", status=400)
    get(client, "/api/v2/releases/?locale=de", status=400)
    for url in ("/api/v2/pages/", "/api/v2/images/", "/api/v2/documents/"):
        assert client.get(url, follow=True).status_code == 404


@pytest.mark.parametrize("endpoint", ENDPOINT_NAMES)
def test_an_offset_beyond_any_list_is_a_clear_error(release, client, endpoint):
    """An offset no database takes is refused (400), not a server error."""
    for offset in ("9223372036854775808", "99999999999999999999"):
        response = client.get(f"/api/v2/{endpoint}/", {"offset": offset})
        assert response.status_code == 400
        assert "offset" in response.json()["message"]
    assert client.get(f"/api/v2/{endpoint}/", {"offset": "1000"}).status_code == 200


def test_read_only(release, client):
    url = f"/api/v2/releases/{release.pk}/"
    for method in (client.post, client.put, client.patch, client.delete):
        assert method(url).status_code == 405


def test_a_live_release_is_read_in_its_live_version(release, client):
    """A saved draft, or an approved change scheduled for an embargo, stays
    out of the API until it is live."""
    release.title_en = "Unreviewed draft headline"
    release.save_revision()
    data = get(client, f"/api/v2/releases/{release.pk}/?locale=en&fields=*")
    assert data["title"] == "MIROCALS results"
    release = PressRelease.objects.get(pk=release.pk)
    release.title_en = "Embargoed new headline"
    release.go_live_at = EMBARGO
    release.save_revision().publish()
    for url in (
        f"/api/v2/releases/{release.pk}/?locale=en",
        "/api/v2/releases/?locale=en",
    ):
        content = client.get(url).content.decode()
        assert "MIROCALS results" in content
        assert "Embargoed new headline" not in content
        assert "Unreviewed draft" not in content


def test_a_page_behind_a_privacy_setting_is_absent(release, home, client):
    PageViewRestriction.objects.create(
        page=release, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert get(client, "/api/v2/releases/")["meta"]["total_count"] == 0
    get(client, f"/api/v2/releases/{release.pk}/", status=404)
    contact = release.contact
    PageViewRestriction.objects.create(
        page=contact, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert get(client, "/api/v2/contacts/")["meta"]["total_count"] == 0


def test_an_organisation_named_by_nothing_public_is_absent(home, trial, client):
    secret = OrganisationFactory(name_fr="Partenaire secret", slug="secret")
    build_position(home, trial, organisation=secret, live=False)
    names = {o["name"] for o in get(client, "/api/v2/organisations/")["items"]}
    assert "Partenaire secret" not in names
    get(client, f"/api/v2/organisations/{secret.pk}/", status=404)


# Clients on other sites, caches, order and search -------------------------


@pytest.mark.parametrize("prefix", ["", "/fr", "/en"])
def test_the_root_lists_the_endpoints_in_json(release, client, prefix):
    response = client.get(f"{prefix}/api/v2/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["language"] == (prefix.strip("/") or "fr")
    assert list(data["endpoints"]) == ENDPOINT_NAMES
    for url in data["endpoints"].values():
        assert url.startswith(f"http://testserver{prefix}/api/v2/")
        assert "total_count" in get(client, url)["meta"]


def test_a_newsdesks_browser_app_on_another_site_may_read_it(release, client):
    """A public, read-only API: any origin, no credentials; the preflight a
    conditional request needs (If-None-Match is not a simple header) is
    answered, and the ETag is readable."""
    origin = {"HTTP_ORIGIN": "https://newsdesk.example"}
    for url in ("/api/v2/", "/en/api/v2/releases/", f"/api/v2/releases/{release.pk}/"):
        response = client.get(url, **origin)
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in response
        assert "etag" in response["Access-Control-Expose-Headers"].lower()
    preflight = client.options(
        "/fr/api/v2/releases/",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
        **origin,
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "if-none-match" in preflight["Access-Control-Allow-Headers"].lower()
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    # The site's pages are not shared that way.
    page = client.get(url_in(release, "fr"), **origin)
    assert "Access-Control-Allow-Origin" not in page


def test_clients_revalidate_their_copy_and_learn_of_a_change(release, client):
    for url in (
        "/api/v2/releases/",
        f"/en/api/v2/releases/{release.pk}/",
        "/api/v2/organisations/",
        "/api/v2/",
    ):
        first = client.get(url)
        assert first["Cache-Control"] == "public, max-age=60"
        assert "cookie" not in first.get("Vary", "").lower()
        assert first["ETag"]
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304, url
    url = f"/en/api/v2/releases/{release.pk}/"
    etag = client.get(url)["ETag"]
    release.title_en = "MIROCALS: the results"
    release.save_revision().publish()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed.json()["title"] == "MIROCALS: the results"


def test_listings_in_the_order_asked_by_the_date_readers_of_that_language_see(
    home, trial, client
):
    """The French and English datelines of the same items may differ; each
    language's list follows its own, undated items last either way."""
    older_in_french = build_release(
        home,
        trial,
        title_fr="Premier en anglais",
        title_en="First in English",
        dateline_date_fr=datetime.date(2025, 5, 1),
        dateline_date_en=datetime.date(2025, 5, 20),
    )
    older_in_english = build_release(
        home,
        trial,
        title_fr="Premier en français",
        title_en="First in French",
        dateline_date_fr=datetime.date(2025, 5, 10),
        dateline_date_en=datetime.date(2025, 5, 9),
    )

    def ids(url):
        return [item["id"] for item in get(client, url)["items"]]

    assert ids("/fr/api/v2/releases/?order=-date") == [
        older_in_english.pk,
        older_in_french.pk,
    ]
    assert ids("/fr/api/v2/releases/?order=date") == [
        older_in_french.pk,
        older_in_english.pk,
    ]
    assert ids("/en/api/v2/releases/?order=-date") == [
        older_in_french.pk,
        older_in_english.pk,
    ]
    assert ids("/api/v2/releases/?order=date&locale=en") == [
        older_in_english.pk,
        older_in_french.pk,
    ]
    assert ids("/api/v2/releases/?order=first_published_at") == [
        older_in_french.pk,
        older_in_english.pk,
    ]
    refused = client.get("/api/v2/releases/?order=title")
    assert refused.status_code == 400
    assert "order must be one of: date, -date" in refused.json()["message"]
    assert client.get("/api/v2/trials/?order=date").status_code == 400


def test_search_finds_what_the_sites_search_finds_best_first(home, trial, client):
    about = build_release(
        home,
        trial,
        title_fr="Interleukine-2 à faible dose et SLA",
        title_en="Low-dose interleukin-2 and ALS",
    )
    build_release(home, trial, title_fr="Autre sujet", title_en="Another subject")
    statement = build_position(
        home, trial, title_fr="Position sur l'interleukine-2", title_en="On IL-2"
    )
    for url in (
        "/fr/api/v2/releases/?search=interleukine",
        "/en/api/v2/releases/?search=interleukin&fields=title",
    ):
        items = get(client, url)["items"]
        assert [item["id"] for item in items] == [about.pk], url
    english = get(client, "/en/api/v2/releases/?search=interleukin")["items"]
    assert english[0]["title"] == "Low-dose interleukin-2 and ALS"
    assert [
        item["id"]
        for item in get(client, "/api/v2/statements/?search=interleukine")["items"]
    ] == [statement.pk]
    assert get(client, "/api/v2/releases/?search=zzzz")["items"] == []
    for url in ("/api/v2/releases/?search=", "/api/v2/releases/?search=%22%2A"):
        response = client.get(url)
        assert response.status_code == 400
        assert "search needs at least one word" in response.json()["message"]
    # The few organisations are listed whole: no search there.
    assert client.get("/api/v2/organisations/?search=CHU").status_code == 400
