"""Readers see what the trial registered beside what was published, with the
differences said plainly, in French and in English; and whether the primary
outcome was met, above what each organisation said."""

import json
from io import StringIO

from django.core.management import call_command
from django.test import RequestFactory

from wagtail.models import Page

import pytest
from bs4 import BeautifulSoup

from announcements.models import SeedRecord, Trial
from tests.ctgov import ctgov  # noqa: F401 (fixture)
from tests.factories import url_in

pytestmark = pytest.mark.usefixtures("seeded")


@pytest.fixture
def imported(ctgov):  # noqa: F811
    call_command("import_registry", "NCT03039673", stdout=StringIO())
    return Trial.objects.get()


def comparison(client, trial, language):
    soup = BeautifulSoup(client.get(url_in(trial, language)).content, "html.parser")
    section = soup.select_one("[data-registry-comparison]")
    rows = {
        row["data-fact"]: {
            "label": row.th.get_text(strip=True),
            "registered": row.select("td")[0].get_text(" ", strip=True),
            "published": row.select("td")[1].get_text(" ", strip=True),
            "differs": row.has_attr("data-differs"),
        }
        for row in section.select("tr[data-fact]")
    }
    return soup, section, rows


def test_no_comparison_before_an_import(client):
    """The seed trial says what the documents say; the registry appears only
    once an editor imports it."""
    trial = Trial.objects.get()
    soup = BeautifulSoup(client.get(url_in(trial, "en")).content, "html.parser")
    assert soup.select_one("[data-registry-comparison]") is None


def test_mirocals_differences_in_english(client, imported):
    """Phase 2 vs 2b, 304 enrolled vs 220 randomised, primary outcome at 18
    vs 21 months: each marked as a difference, with the registry's date and
    link."""
    soup, section, rows = comparison(client, imported, "en")
    assert section.h2.get_text() == "Registered and published"
    assert section.select_one("a[data-registry-link]")["href"] == (
        "https://clinicaltrials.gov/study/NCT03039673"
    )
    snapshot = imported.registry_snapshot
    assert snapshot.fetched_at.strftime("%Y") in section.p.get_text()
    assert rows["phase"]["registered"] == "Phase 2"
    assert rows["phase"]["published"].startswith("Phase 2b")
    assert rows["participants"]["registered"] == "304 enrolled"
    assert rows["participants"]["published"].startswith("220 randomised")
    assert rows["primary_outcome"]["registered"] == (
        "Time to death from randomisation (Month 18)"
    )
    assert rows["primary_outcome"]["published"] == (
        "survival at 21 months Differs: registered at 18 months, published at 21 months"
    )
    for fact in ("phase", "participants", "primary_outcome"):
        assert rows[fact]["differs"], fact
        assert "Differs" in rows[fact]["published"]
    # Completed on the registry, results available here: no contradiction.
    assert not rows["status"]["differs"]
    # The registry counts three masked roles, the paper says "double-blind":
    # the same blinded design, shown side by side, not a difference.
    assert rows["masking"]["registered"] == "triple-blind"
    assert not rows["masking"]["differs"]
    assert len(section.select(".differs-mark")) == sum(
        row["differs"] for row in rows.values()
    )


def test_an_import_shows_at_once_on_the_cached_trial_page(
    client,
    ctgov,  # noqa: F811
    page_cache_on,
    committed,
):
    trial = Trial.objects.get()
    assert "data-registry-comparison" not in client.get(url_in(trial, "en")).text
    with committed():
        call_command("import_registry", "NCT03039673", stdout=StringIO())
    assert "data-registry-comparison" in client.get(url_in(trial, "en")).text


def test_a_snapshot_of_another_registry_id_is_not_compared(client, imported):
    """The trial record now names another study: the old one's record is
    kept, but neither compared nor given in JSON-LD."""
    imported.registry_id = "NCT01234567"
    imported.save_revision().publish()
    trial = Trial.objects.get()
    assert trial.registry_snapshot is None
    assert "data-registry-comparison" not in client.get(url_in(trial, "en")).text
    data = trial.structured_data(RequestFactory().get("/"), "en")
    assert "2015-005347-14" not in json.dumps(data)
    assert trial.registry_snapshots.count() == 1


def test_mirocals_differences_in_french(client, imported):
    soup, section, rows = comparison(client, imported, "fr")
    assert section.h2.get_text() == "Enregistré et publié"
    assert [row["label"] for row in rows.values()][:3] == [
        "Phase",
        "Participants",
        "Critère principal",
    ]
    assert rows["participants"]["registered"] == "304 inscrits"
    assert rows["participants"]["published"].startswith("220 randomisés")
    assert rows["primary_outcome"]["published"] == (
        "la survie (21 mois) Diffère : enregistré à 18 mois, publié à 21 mois"
    )
    # The registry's words are English, and marked so on the French page.
    cell = section.select_one('tr[data-fact="primary_outcome"] td')
    assert cell["lang"] == "en"
    for fact in ("phase", "participants", "primary_outcome"):
        assert rows[fact]["differs"] and "Diffère" in rows[fact]["published"]
    assert "Numéro EudraCT" in soup.select_one(".trial-record").get_text()


def test_the_outcome_result_heads_what_each_organisation_said(client):
    trial = Trial.objects.get()
    assert trial.primary_outcome_result == Trial.OutcomeResult.NOT_MET
    for language, words in (
        ("en", ["survival at 21 months", "not met", "The Lancet"]),
        ("fr", ["la survie", "21 mois", "non atteint", "The Lancet"]),
    ):
        soup = BeautifulSoup(client.get(url_in(trial, language)).content, "html.parser")
        section = soup.select_one(".statements")
        first = section.find(["div", "ul", "p"])
        assert first["data-outcome-result"] == "not_met"
        text = first.get_text(" ", strip=True)
        assert all(word in text for word in words), (language, text)
    # French sets a no-break space before a label's colon; English none.
    labels = {"en": "Result:", "fr": "Résultat\u00a0:"}
    for language, label in labels.items():
        soup = BeautifulSoup(client.get(url_in(trial, language)).content, "html.parser")
        assert label in soup.select_one(".statements .outcome-result").get_text()


def test_a_partners_claims_are_read_beside_the_trials_result(client):
    """ILTOO's headline says "demonstrating Safety and Efficacy"; its words
    stay as written, and the trial box under them says the primary outcome
    was not met."""
    statement = seed("position:iltoo-pharma-mirocals")
    for language, endpoint, verdict in (
        ("en", "survival at 21 months", "not met"),
        ("fr", "la survie (21 mois)", "non atteint"),
    ):
        soup = BeautifulSoup(
            client.get(url_in(statement, language)).content, "html.parser"
        )
        assert "demonstrating Safety and Efficacy" in soup.h1.get_text()
        box = soup.select_one(".trial-box")
        assert box.select_one('[data-outcome-result="not_met"]').get_text() == verdict
        assert endpoint in box.get_text(" ", strip=True)


def test_json_ld_carries_registry_identifiers_and_registered_outcome(imported):
    data = imported.structured_data(RequestFactory().get("/"), "en")
    assert data["identifier"] == [
        {
            "@type": "PropertyValue",
            "propertyID": "ClinicalTrials.gov",
            "value": "NCT03039673",
            "url": "https://clinicaltrials.gov/study/NCT03039673",
        },
        {"@type": "PropertyValue", "propertyID": "EudraCT", "value": "2015-005347-14"},
    ]
    [record] = [item for item in data["subjectOf"] if item["@type"] == "Dataset"]
    assert record["url"] == "https://clinicaltrials.gov/study/NCT03039673"
    assert record["variableMeasured"] == [
        {
            "@type": "PropertyValue",
            "name": "Time to death from randomisation",
            "description": "Month 18 — Survival, with censoring at 548 days.",
        }
    ]
    assert {"@type": "Drug", "name": "IL-2"} in data["studySubject"]
    # Retired terms stay out: MedicalStudy's outcome and population, phase.
    text = json.dumps(data)
    for retired in ('"outcome"', '"population"', '"phase"'):
        assert retired not in text


# The claims the medical reviewer of the seed texts is asked to confirm ------


def seed(key):
    return Page.objects.get(pk=SeedRecord.objects.get(key=key).object_id).specific


def test_the_seed_texts_claims_for_the_medical_reviewer():
    """The partner headline's "Efficacy" is flagged; FILSLAN's sentence that
    the result was not significant is not."""
    iltoo = {
        c.sentence: c.words
        for c in seed("position:iltoo-pharma-mirocals").flagged_claims()
    }
    headline = seed("position:iltoo-pharma-mirocals").title_en
    assert "Efficacy" in iltoo[headline]
    filslan = seed("position:filslan-mirocals").flagged_claims()
    assert not [
        c for c in filslan if "n’a pas montré de bénéfice significatif" in c.sentence
    ]
    # The release's sentence says both: "non significative" for the primary
    # analysis (not a claim), "significatif" for a subgroup (a claim to check).
    release = seed("release:mirocals-lancet-results")
    [mixed] = [
        c
        for c in release.flagged_claims()
        if c.sentence.startswith("L'analyse principale de la survie")
    ]
    assert mixed.words == ["significatif"]
