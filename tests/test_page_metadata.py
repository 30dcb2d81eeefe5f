"""Each page type says what it is to search engines and social networks: its
Open Graph type, its description, its structured data and its languages.
Nothing is guessed from attributes, so a new page type cannot inherit another's
metadata by accident."""

from django.test import RequestFactory

from wagtail.models import Page

import pytest

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
    assert data["author"] == data["publisher"] == release.organisation.as_schema("fr")
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


@pytest.mark.parametrize(
    "model", [HomePage, ReleaseIndexPage, PositionIndexPage, TrialIndexPage]
)
def test_pages_without_a_picture_share_none(model, request_):
    """Only announcements have a picture to share; the others say so."""
    assert model.objects.get().share_image(request_, "fr") is None


def test_seed_announcements_without_logo_or_image_share_no_picture(request_):
    """The seed organisations have no logo and the seed releases no image:
    nothing points at a picture that does not exist."""
    release = seed("release:mirocals-lancet-results")
    statement = seed("position:iltoo-pharma-mirocals")
    for page in (release, statement):
        assert page.share_image(request_, "en") is None
        assert "image" not in page.structured_data(request_, "en")
    assert "logo" not in release.structured_data(request_, "fr")["publisher"]
