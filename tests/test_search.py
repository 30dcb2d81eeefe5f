"""Search as readers use it: stems and accents in their language, codes as
they type them, contacts by name, the best results first, and the words
shown where they were found; and editors finding a page in the admin."""

from io import StringIO

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from announcements.models import (
    Organisation,
    PartnerPosition,
    PressContact,
    PressRelease,
    Trial,
)
from announcements.search import aliases, excerpt
from announcements.search_backend import IndexFirst
from bench import populate
from tests.factories import build_position, build_release, build_trial
from tests.support import run_worker
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


def test_a_quote_carries_the_language_of_the_paragraph_it_quotes(client):
    """The AFM-Téléthon statement is English with one French paragraph: on
    the French site its French quote is unmarked and an English one is
    marked English; on the English site the French quote is marked French."""

    def quote(language, query):
        (card,) = [
            card
            for card in results(client, language, query)
            if "AFM" in card.select_one(".card-meta").get_text()
        ]
        return card.select_one(".search-excerpt")

    french_paragraph = quote("fr", "éclairage")
    assert "nouvel <mark>éclairage</mark>" in str(french_paragraph)
    assert french_paragraph.get("lang") is None
    assert quote("en", "éclairage").get("lang") == "fr"
    english = quote("fr", "Charcot")
    assert english.get("lang") == "en"
    assert quote("en", "Charcot").get("lang") is None


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


@pytest.fixture
def il2_release(home):
    return build_release(
        home,
        Trial.objects.get(),
        title_fr="Un traitement bien toléré",
        title_en="A well tolerated treatment",
        body_fr="<p>De faibles doses d’interleukine-2 (IL-2) sont bien tolérées.</p>",
        body_en="<p>Low doses of interleukin-2 (IL-2) were well tolerated.</p>",
    )


@pytest.mark.parametrize(
    ("language", "query"),
    [
        *(("fr", query) for query in ("interleukine-2", "IL-2", "IL 2", "IL2")),
        *(("en", query) for query in ("interleukin-2", "IL-2", "IL 2", "IL2")),
    ],
)
def test_a_code_is_found_with_or_without_its_hyphen(
    client, il2_release, language, query
):
    """PostgreSQL reads "IL-2" as the word "IL" and the number -2, which a
    reader's "2" never matched: "IL 2" and "interleukine-2" found nothing."""
    headline = il2_release.title_fr if language == "fr" else il2_release.title_en
    assert headline in titles(client, language, query)


def test_a_word_typed_without_its_accents_finds_it(client, home):
    found = build_release(
        home,
        Trial.objects.get(),
        title_fr="Résultats du suivi à cinq ans",
        body_fr="<p>L’efficacité du traitement se maintient.</p>",
    )
    accented = titles(client, "fr", "efficacité")
    assert found.title_fr in accented
    for query in ("efficacite", "EFFICACITE"):
        assert titles(client, "fr", query) == accented


def test_a_title_match_comes_before_a_match_in_the_text_only(client, home):
    trial = Trial.objects.get()
    in_title = build_release(
        home,
        trial,
        title_fr="Pharmacovigilance : le bilan annuel",
        title_en="Pharmacovigilance: the yearly report",
    )
    # Newer, and the word three times: still after the title match.
    in_text = build_release(
        home,
        trial,
        body_fr="<p>La pharmacovigilance, rien que la pharmacovigilance : "
        "toute la pharmacovigilance.</p>",
        body_en="<p>Pharmacovigilance, only pharmacovigilance: all "
        "pharmacovigilance.</p>",
    )
    assert titles(client, "fr", "pharmacovigilance") == [
        in_title.title_fr,
        in_text.title_fr,
    ]
    assert titles(client, "en", "pharmacovigilance") == [
        in_title.title_en,
        in_text.title_en,
    ]


def test_the_readers_language_ranks_first_on_postgresql(client, home):
    """On PostgreSQL a word found in the reader's language weighs more than
    the same word in the other language; SQLite weighs both alike (README,
    "Search")."""
    trial = Trial.objects.get()
    french = build_release(
        home, trial, body_fr="<p>Le protocole Tocilizumab est ouvert.</p>"
    )
    english = build_release(
        home, trial, body_en="<p>The Tocilizumab protocol is open.</p>"
    )
    in_french = titles(client, "fr", "tocilizumab")
    in_english = titles(client, "en", "tocilizumab")
    assert sorted(in_french) == sorted([french.title_fr, english.title_fr])
    assert sorted(in_english) == sorted([french.title_en, english.title_en])
    if connection.vendor == "postgresql":
        assert in_french[0] == french.title_fr
        assert in_english[0] == english.title_en


def _search_queries(client, query):
    client.get("/en/search/", {"q": query})  # per-process caches warm
    with CaptureQueriesContext(connection) as queries:
        found = results(client, "en", query)
    return len(queries), len(found)


def test_a_search_costs_as_many_queries_for_40_matches_as_for_3(
    client, home, monkeypatch
):
    """The best results are ranked in the index and only the page shown is
    read: no query per item found, none per item in the newsroom."""
    for _ in range(3):
        build_release(home, Trial.objects.get(), standfirst_en="A zolgensma update.")
    few = _search_queries(client, "zolgensma")
    # 37 more releases, every one about zolgensma, written in bulk.
    monkeypatch.setattr(populate, "WORDS", [("zolgensma", "zolgensma")])
    populate.populate(
        releases=PressRelease.objects.count() + 37,
        statements=PartnerPosition.objects.count(),
        trials=Trial.objects.count(),
        contacts=PressContact.objects.count(),
        out=StringIO(),
    )
    many = _search_queries(client, "zolgensma")
    assert few[1] == 3 and many[1] == 12  # a page of 12 of the 40
    assert many[0] == few[0]


def test_only_the_best_results_are_listed(client, home, monkeypatch):
    monkeypatch.setattr(populate, "WORDS", [("zolgensma", "zolgensma")])
    populate.populate(
        releases=PressRelease.objects.count() + 60,
        statements=PartnerPosition.objects.count(),
        trials=Trial.objects.count(),
        contacts=PressContact.objects.count(),
        out=StringIO(),
    )
    soup = soup_of(client.get("/fr/recherche/", {"q": "zolgensma"}))
    summary = soup.select_one(".search-summary").get_text(" ", strip=True)
    assert summary.startswith("Les 50 meilleurs résultats pour « zolgensma »")
    pages = soup.select_one(".pagination").get_text(" ", strip=True)
    assert "Page 1 sur 5" in pages


def test_a_word_most_items_use_ranks_the_newest_matches(client, home, monkeypatch):
    """A search ranks at most ``RANKED_MATCHES`` matches, the newest, so its
    cost does not grow with the archive: an old release drops out of a
    search for a word every newer one uses, and another word finds it."""
    monkeypatch.setattr(IndexFirst, "RANKED_MATCHES", 4)
    trial = Trial.objects.get()
    build_release(
        home, trial, title_en="Zolgensma archive", standfirst_en="Nusinersen."
    )
    newer = [
        build_release(home, trial, title_en=f"Update {n}", standfirst_en="Zolgensma.")
        for n in range(4)
    ]
    assert sorted(titles(client, "en", "zolgensma")) == sorted(
        page.title_en for page in newer
    )
    assert titles(client, "en", "zolgensma nusinersen") == ["Zolgensma archive"]


def test_editors_find_a_page_by_its_title_in_either_language(
    client, home, django_user_model
):
    found = build_release(
        home,
        Trial.objects.get(),
        title_fr="Nouvelle cohorte pédiatrique",
        title_en="New paediatric cohort",
    )
    client.force_login(
        django_user_model.objects.create_superuser("admin", "a@example.org", "pw")
    )
    edit = f"/admin/pages/{found.pk}/edit/"
    for query in ("pédiatrique", "paediatric", "paedia", "cohort"):
        response = client.get("/admin/pages/search/", {"q": query})
        assert response.status_code == 200
        assert edit in response.content.decode(), query
    response = client.get("/admin/pages/search/", {"q": "riluzole"})
    assert edit not in response.content.decode()
    # Sorted by title (modeltranslation's "title_fr") rather than relevance.
    response = client.get(
        "/admin/pages/search/", {"q": "paediatric", "ordering": "title"}
    )
    assert edit in response.content.decode()


def test_editors_find_an_organisation_by_its_name(client, django_user_model):
    """The organisations' admin searches their names (``search_fields``),
    which SQLite's full-text table has no column for."""
    client.force_login(
        django_user_model.objects.create_superuser("admin", "a@example.org", "pw")
    )
    organisation = Organisation.objects.get(slug="filslan")
    response = client.get(
        "/admin/snippets/announcements/organisation/", {"q": organisation.name}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f"/admin/snippets/announcements/organisation/edit/{organisation.pk}/" in html


def test_a_draft_trials_words_find_nothing_until_it_goes_live(client, home, committed):
    """A live statement about a trial still in review is not found by the
    trial's acronym or number; once the trial is published, it is."""
    draft = build_trial(home, live=False, title_fr="ZORBA", title_en="ZORBA")
    draft.registry_id = "NCT09999991"
    draft.save_revision()
    draft.save()
    with committed():
        statement = build_position(home, draft, title_en="A partner's view")
    for query in ("ZORBA", "NCT09999991"):
        assert statement.title_en not in titles(client, "en", query)

    with committed():
        draft.save_revision().publish()
    run_worker()
    for query in ("ZORBA", "NCT09999991"):
        assert statement.title_en in titles(client, "en", query)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_result_says_each_sentence_once(client, language):
    """Where the reader's words are in the standfirst, its quote stands in
    for the standfirst rather than repeating it."""
    cards = [
        card.get_text(" ").split()
        for card in results(client, language, "MIROCALS")
        if "announcement-card" in card["class"]
    ]
    assert len(cards) == 4
    for words in cards:
        runs = [" ".join(words[i : i + 8]) for i in range(len(words) - 7)]
        assert len(runs) == len(set(runs)), " ".join(words)


def test_a_quote_ends_each_text_before_the_next_begins(client):
    """The French release's standfirst has no full stop: quoted, it still
    ends before the body's first sentence."""
    (card,) = [
        card
        for card in results(client, "fr", "Lancet")
        if card.select_one(".card-title").get_text(strip=True)
        == PressRelease.objects.get().title_fr
    ]
    quoted = " ".join(card.select_one(".search-excerpt").get_text().split())
    assert "dans le journal The Lancet. Les résultats" in quoted
    # A trial's facts are quoted one after the other, each ended.
    (trial,) = [
        card
        for card in results(client, "en", "sclerosis")
        if "trial-card" in card["class"]
    ]
    quoted = " ".join(trial.select_one(".search-excerpt").get_text().split())
    assert "Outcomes in ALS. amyotrophic lateral sclerosis" in quoted
