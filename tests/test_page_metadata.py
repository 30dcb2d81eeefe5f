"""Each page type says what it is to search engines and social networks: its
Open Graph type, its description, its structured data and its languages.
Nothing is guessed from attributes, so a new page type cannot inherit another's
metadata by accident."""

import io
import json

from django.test import RequestFactory

from wagtail.models import Page

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from announcements.models import (
    ContactIndexPage,
    HomePage,
    Organisation,
    PositionIndexPage,
    PressContact,
    ReleaseIndexPage,
    SeedRecord,
    Trial,
    TrialIndexPage,
)
from announcements.models.base import plain_text
from tests.factories import url_in

pytestmark = pytest.mark.usefixtures("seeded")


@pytest.fixture
def request_():
    return RequestFactory().get("/")


def seed(key):
    return Page.objects.get(pk=SeedRecord.objects.get(key=key).object_id).specific


@pytest.mark.parametrize(
    "model", [HomePage, ReleaseIndexPage, PositionIndexPage, TrialIndexPage]
)
def test_home_and_indexes_are_websites_described_by_their_introduction(model):
    page = model.objects.get()
    page.intro_fr, page.intro_en = "Introduction en français.", "English intro."
    assert page.og_type == "website"
    assert page.meta_description("fr") == "Introduction en français."
    assert page.meta_description("en") == "English intro."
    page.search_description_en = "Written for search engines."
    assert page.meta_description("en") == "Written for search engines."
    assert page.structured_data(None, "en") is None


def test_contacts_directory_has_no_structured_data():
    page = ContactIndexPage.objects.get()
    assert page.og_type == "website"
    assert page.structured_data(None, "fr") is None


def test_press_contact_is_described_by_role_and_organisation():
    contact = PressContact.objects.get(slug_fr="michael-videment")
    assert contact.og_type == "website"
    assert contact.meta_description("en").startswith(contact.role_en)
    assert contact.organisation.name in contact.meta_description("fr")
    assert contact.structured_data(None, "en") is None


def test_trial_is_described_by_its_search_description_else_its_summary(request_):
    trial = Trial.objects.get()
    trial.summary_en = "<p>A <b>phase 2b</b> trial.</p>"
    assert trial.meta_description("en") == "A phase 2b trial."
    trial.search_description_en = "MIROCALS in one line."
    assert trial.meta_description("en") == "MIROCALS in one line."
    assert trial.og_type == "website"
    data = trial.structured_data(request_, "en")
    assert data["@type"] == "MedicalTrial"
    assert data["identifier"]["value"] == "NCT03039673"
    assert data["identifier"]["propertyID"] == "ClinicalTrials.gov"
    assert "phase" not in data  # retired from schema.org
    # The publication of results: ``subjectOf`` (``citation`` is for
    # creative works, which a MedicalTrial is not).
    assert "citation" not in data
    [article] = [
        item for item in data["subjectOf"] if item["@type"] == "ScholarlyArticle"
    ]
    assert article["isPartOf"]["name"] == "The Lancet"
    assert data["studyLocation"]["name"] == "France and the United Kingdom"
    assert data["name"] == "Modifying Immune Responses and Outcomes in ALS"
    assert data["sponsor"] == {
        "@type": "Organization",
        "name": "Nîmes University Hospital",
        "url": "https://www.chu-nimes.fr",
    }
    assert trial.structured_data(request_, "fr")["sponsor"]["name"] == "CHU de Nîmes"
    assert data["healthCondition"] == {
        "@type": "MedicalCondition",
        "name": "amyotrophic lateral sclerosis (ALS)",
    }
    french = trial.structured_data(request_, "fr")
    assert french["healthCondition"]["name"] == "sclérose latérale amyotrophique (SLA)"
    assert data["status"] == "https://schema.org/ResultsAvailable"
    assert data["trialDesign"] == [
        "https://schema.org/RandomizedTrial",
        "https://schema.org/DoubleBlindedTrial",
        "https://schema.org/PlaceboControlledTrial",
        "https://schema.org/MultiCenterTrial",
        "https://schema.org/InternationalTrial",
    ]
    assert data["url"] == f"http://testserver{url_in(trial, 'en')}"


def test_trial_design_follows_its_record(request_):
    trial = Trial.objects.get()
    trial.randomised = trial.placebo_controlled = trial.international = False
    trial.masking, trial.centres, trial.status = "open", 1, ""
    data = trial.structured_data(request_, "en")
    assert data["trialDesign"] == [
        "https://schema.org/OpenTrial",
        "https://schema.org/SingleCenterTrial",
    ]
    assert "status" not in data
    trial.masking, trial.centres, trial.condition_en = "", None, ""
    data = trial.structured_data(request_, "en")
    assert "trialDesign" not in data
    # No English name: the page shows the French one, and so does its JSON-LD.
    assert data["healthCondition"]["name"] == "sclérose latérale amyotrophique (SLA)"


def test_release_is_an_article_published_by_its_organisation(request_):
    release = seed("release:mirocals-lancet-results")
    assert release.og_type == "article"
    assert release.meta_description("fr") == plain_text(release.standfirst_fr)
    release.standfirst_fr = ""
    assert release.meta_description("fr") == plain_text(release.body_fr)
    assert release.meta_description("fr").startswith(plain_text(release.body_fr)[:50])
    data = release.structured_data(request_, "fr")
    assert data["@type"] == "NewsArticle"
    assert data["inLanguage"] == "fr"
    assert data["author"] == release.organisation.as_schema("fr")
    assert data["publisher"]["name"] == data["author"]["name"] == "CHU de Nîmes"
    assert data["about"]["identifier"] == "NCT03039673"
    assert data["url"] == f"http://testserver{url_in(release, 'fr')}"
    assert release.languages_announced() == ["fr", "en"]


def test_statement_in_one_language_is_announced_in_that_language_only(request_):
    statement = seed("position:iltoo-pharma-mirocals")
    assert statement.og_type == "article"
    assert statement.languages_announced() == ["en"]
    english = f"http://testserver{url_in(statement, 'en')}"
    assert statement.canonical_url(request_, "fr") == english
    data = statement.structured_data(request_, "fr")
    assert data["inLanguage"] == "en" and data["url"] == english
    assert data["author"]["name"] == "ILTOO Pharma"
    # The newsroom publishes it, named in the page's language, with its address.
    assert data["publisher"]["name"] == "Salle de presse"
    assert data["publisher"]["url"].endswith("/fr/")
    english_data = statement.structured_data(request_, "en")
    assert english_data["publisher"]["name"] == "Newsroom"
    assert [entry["location"] for entry in statement.get_sitemap_urls(request_)] == [
        english
    ]


def test_organisation_schema_names_its_website_only_when_it_has_one():
    assert Organisation.objects.get(slug="chu-nimes").as_schema("en")["url"] == (
        "https://www.chu-nimes.fr"
    )
    assert "url" not in Organisation.objects.get(slug="iltoo-pharma").as_schema("en")


def test_an_author_without_a_website_is_linked_to_its_items_here(request_):
    statement = seed("position:iltoo-pharma-mirocals")
    author = statement.structured_data(request_, "en")["author"]
    assert author["url"] == (
        "http://testserver"
        + url_in(statement.get_parent(), "en")
        + "?organisation=iltoo-pharma"
    )


def og(html, name):
    found = BeautifulSoup(html, "html.parser").select_one(f'meta[property="{name}"]')
    return found and found["content"]


def json_ld(html):
    found = BeautifulSoup(html, "html.parser").select_one(
        'script[type="application/ld+json"]'
    )
    return found and json.loads(found.string)


def test_every_page_of_the_seed_shares_a_picture_with_its_description(client):
    """The seed has no lead image and no logo: each page shares the card the
    newsroom draws for it, in the page's language, described by what it
    shows; the listings' and views' pages, the newsroom's drawn logo."""
    pages = [
        page.specific for page in Page.objects.live().filter(depth__gt=1).specific()
    ]
    urls = [url_in(page, language) for page in pages for language in ("fr", "en")]
    urls += ["/fr/abonnement/", "/en/subscribe/", "/fr/rectificatifs/"]
    assert len(urls) > 25
    for url in urls:
        html = client.get(url).text
        image, alt = og(html, "og:image"), og(html, "og:image:alt")
        assert image and alt, url
        language = url.split("/")[1]
        assert image.startswith(f"http://testserver/{language}/share/"), url
        picture = client.get(image)
        assert picture.status_code == 200
        assert picture["Content-Type"] == "image/png"
        with Image.open(io.BytesIO(picture.content)) as drawn:
            size = (int(og(html, "og:image:width")), int(og(html, "og:image:height")))
            assert drawn.size == size
            # Drawn: words on the site's colours, not a blank.
            assert len(drawn.getcolors(maxcolors=100_000)) > 50
    release = seed("release:mirocals-lancet-results")
    for language in ("fr", "en"):
        html = client.get(url_in(release, language)).text
        title = release.reading(language).title
        assert title in og(html, "og:image:alt")
        institution = {"fr": "CHU de Nîmes", "en": "Nîmes University Hospital"}
        assert institution[language] in og(html, "og:image:alt")
        data = json_ld(html)
        assert data["image"] == [og(html, "og:image")]
        assert data["publisher"]["logo"]["url"].endswith(f"/{language}/share/logo.png")
        assert client.get(data["publisher"]["logo"]["url"]).status_code == 200
    statement = seed("position:iltoo-pharma-mirocals")
    data = json_ld(client.get(url_in(statement, "en")).text)
    assert data["publisher"]["logo"]["width"] == 512
