"""Search as readers use it: stems and accents in their language, codes as
they type them, contacts by name, and the words shown where they were found."""

from django.db import connection

import pytest

from announcements.search import aliases, excerpt
from tests.test_public_pages import soup_of

pytestmark = pytest.mark.usefixtures("seeded")


def results(client, language, query):
    path = "/fr/recherche/" if language == "fr" else "/en/search/"
    soup = soup_of(client.get(path, {"q": query}))
    return soup.select(".card-list > li")


def titles(client, language, query):
    return [
        (card.select_one(".card-title, .contact-name").get_text(strip=True))
        for card in results(client, language, query)
    ]


def test_a_release_is_found_by_its_trials_acronym_and_registry_number(client):
    for query in ("NCT03039673", "nct03039673"):
        kinds = [card.get("class")[0] for card in results(client, "en", query)]
        assert "trial-card" in kinds
        assert kinds.count("announcement-card") == 4


def test_contacts_are_found_by_name_and_organisation(client):
    assert titles(client, "fr", "videment") == ["Michaël VIDEMENT"]
    found = results(client, "en", "Michael")
    assert [card.get("class")[0] for card in found] == ["contact-card"]
    organisation = found[0].select_one(".contact-organisation").get_text()
    by_organisation = results(client, "en", f"{organisation} Michael")
    assert [card.get("class")[0] for card in by_organisation] == ["contact-card"]


@pytest.mark.parametrize("query", ["IL2", "IL-2", "il-2"])
def test_il2_is_found_however_it_is_written(client, query):
    found = results(client, "en", query)
    assert len([card for card in found if "announcement-card" in card["class"]]) >= 3
    marks = [mark.get_text() for card in found for mark in card.select("mark")]
    assert marks and all(
        mark.upper().replace("-", "").startswith("IL2") for mark in marks
    )


def test_accents_do_not_matter(client):
    assert titles(client, "fr", "etude") == titles(client, "fr", "étude")
    assert titles(client, "fr", "etude")


def test_each_result_quotes_the_matched_words_in_the_readers_language(client):
    card = results(client, "en", "riluzole")[0]
    quoted = card.select_one(".search-excerpt")
    assert [mark.get_text().lower() for mark in quoted.select("mark")][0] == "riluzole"
    french = [
        card.select_one(".search-excerpt")
        for card in results(client, "fr", "riluzole")
        if card.select_one(".search-excerpt").get("lang") is None
    ]
    assert french and "traités par riluzole" in french[0].get_text()


def test_excerpt_escapes_the_text_and_marks_stems():
    quoted = excerpt("<b>Les essais</b> & l’essai", "essai")
    assert (
        str(quoted)
        == "&lt;b&gt;Les <mark>essais</mark>&lt;/b&gt; &amp; l’<mark>essai</mark>"
    )
    assert excerpt("nothing here", "essai") == ""


def test_codes_are_indexed_without_their_hyphen():
    assert aliases("low-dose IL-2<sub>LD</sub> and IL-2", "COVID-19") == "IL2 COVID19"


def test_each_language_is_stemmed_on_postgresql(client):
    """PostgreSQL stems French fields as French and English as English;
    SQLite's FTS5 matches whole words only (README, "Search")."""
    essai, essais = titles(client, "fr", "essai"), titles(client, "fr", "essais")
    trial, trials = titles(client, "en", "trial"), titles(client, "en", "trials")
    if connection.vendor == "postgresql":
        assert len(essai) >= 3 and essais == essai
        assert len(trial) >= 3 and trials == trial
    else:
        assert len(essais) < len(essai) and len(trials) < len(trial)
