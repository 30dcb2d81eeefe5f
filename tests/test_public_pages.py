"""What a public reader (and a search engine) gets from every page, in both
languages: the right language, a switcher to the same item, canonical and
alternate links, structured data, robots.txt, and no injected markup."""

import json

from wagtail.models import Page

import pytest
from bs4 import BeautifulSoup

from announcements.models import (
    ContactIndexPage,
    HomePage,
    PartnerPosition,
    PositionIndexPage,
    PressContact,
    PressRelease,
    ReleaseIndexPage,
    Trial,
    TrialIndexPage,
)
from tests.factories import (
    build_position,
    build_release,
    build_trial,
    url_in,
)

PAGE_MODELS = [
    HomePage,
    ReleaseIndexPage,
    PressRelease,
    PositionIndexPage,
    PartnerPosition,
    TrialIndexPage,
    Trial,
    ContactIndexPage,
    PressContact,
]


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize("model", PAGE_MODELS, ids=lambda m: m.__name__)
def test_every_page_type_in_both_languages(seeded, client, model):
    page = model.objects.live().first()
    if model is PartnerPosition:  # one the authors wrote in both languages
        page = build_position(
            PositionIndexPage.objects.get().get_parent().specific, Trial.objects.get()
        )
    urls = {language: url_in(page, language) for language in ("fr", "en")}
    for language, other in (("fr", "en"), ("en", "fr")):
        response = client.get(urls[language])
        assert response.status_code == 200, urls[language]
        soup = soup_of(response)
        assert soup.html["lang"] == language
        # The switcher leads to this same item in the other language.
        switch = soup.select_one(f'.language-switcher a[hreflang="{other}"]')
        assert switch["href"] == urls[other]
        canonical = soup.select_one('link[rel="canonical"]')["href"]
        assert canonical == f"http://testserver{urls[language]}"
        alternates = {
            link["hreflang"]: link["href"]
            for link in soup.select('link[rel="alternate"][hreflang]')
        }
        assert alternates == {
            "fr": f"http://testserver{urls['fr']}",
            "en": f"http://testserver{urls['en']}",
            "x-default": f"http://testserver{urls['fr']}",
        }
        assert soup.select_one('meta[property="og:url"]')["content"] == canonical
        assert soup.select_one('link[type="application/rss+xml"]')
        if model in (PressRelease, PartnerPosition, Trial):
            data = json.loads(
                soup.select_one('script[type="application/ld+json"]').string
            )
            assert data["@context"] == "https://schema.org"
            assert data["url"] == canonical
            if model is Trial:
                assert data["@type"] == "MedicalTrial"
                assert data["identifier"]["value"] == "NCT03039673"
                assert data["sponsor"]["name"]
            else:
                assert data["@type"] == "NewsArticle"
                for required in (
                    "headline",
                    "datePublished",
                    "author",
                    "publisher",
                    "inLanguage",
                ):
                    assert data[required], required


def test_interface_text_is_in_the_readers_language(seeded, client):
    trial = Trial.objects.get()
    fr = client.get(url_in(trial, "fr")).text
    en = client.get(url_in(trial, "en")).text
    assert (
        "Ce que chaque organisation en a dit" in fr and "Numéro d’enregistrement" in fr
    )
    assert "What each organisation said" in en and "Registry ID" in en


def test_trial_page_states_condition_status_and_design_in_each_language(seeded, client):
    trial = Trial.objects.get()
    facts = {}
    for language in ("fr", "en"):
        record = soup_of(client.get(url_in(trial, language))).select_one(
            ".trial-record"
        )
        facts[language] = {
            dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True)
            for dt in record.select("dt")
        }
    assert facts["en"]["Condition"] == "amyotrophic lateral sclerosis (ALS)"
    assert facts["en"]["Status"] == "Results available"
    assert facts["en"]["Design"] == (
        "Randomised, double-blind, placebo-controlled, multicentre, international"
    )
    assert facts["fr"]["Pathologie"] == "sclérose latérale amyotrophique (SLA)"
    assert facts["fr"]["Statut"] == "Résultats disponibles"
    assert facts["fr"]["Plan de l’étude"] == (
        "Randomisé, double aveugle, contrôlé contre placebo, multicentrique,"
        " international"
    )


def test_trial_page_shows_every_statement_side_by_side(seeded, client):
    trial = Trial.objects.get()
    soup = soup_of(client.get(url_in(trial, "en")))
    cards = soup.select(".statements .announcement-card")
    assert len(cards) == 4
    meta = " ".join(card.select_one(".card-meta").get_text(" ") for card in cards)
    for organisation in (
        "Nîmes University Hospital",
        "Filière FILSLAN",
        "AFM-Téléthon",
        "ILTOO Pharma",
    ):
        assert organisation in meta
    registry = soup.select_one('a[href="https://clinicaltrials.gov/study/NCT03039673"]')
    assert registry is not None


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "Sitemap: http://testserver/sitemap.xml" in response.text
    assert "Disallow: /admin/" in response.text


HOSTILE = '</script><script>alert("x")</script> "quoted" & <b>bold</b> &amp;'


def _strings(data):
    if isinstance(data, dict):
        return [s for value in data.values() for s in _strings(value)]
    return [data] if isinstance(data, str) else []


def test_hostile_text_is_escaped_everywhere(home, client):
    trial = build_trial(
        home, title_fr=HOSTILE, title_en=HOSTILE, registry_id="NCT00000001"
    )
    release = build_release(
        home,
        trial,
        title_fr=HOSTILE,
        title_en=HOSTILE,
        standfirst_fr=HOSTILE,
        standfirst_en=HOSTILE,
    )
    position = build_position(home, trial, title_fr=HOSTILE, title_en=HOSTILE)
    for page in (trial, release, position, home):
        for language in ("fr", "en"):
            response = client.get(url_in(page, language))
            html = response.text
            assert '<script>alert("x")</script>' not in html
            assert "<b>bold</b>" not in html.split('class="body')[0] or page is home
            soup = soup_of(response)
            scripts = soup.select("script")
            # Only our JSON-LD script exists; the hostile text did not open another.
            assert all(s.get("type") == "application/ld+json" for s in scripts)
            for script in scripts:
                data = json.loads(script.string)
                # The text survives intact inside the data, as data.
                assert HOSTILE in _strings(data)
            for meta in soup.select("meta[content]"):
                assert "<script>" not in str(meta).replace("&lt;script&gt;", "")
    search = client.get("/en/search/", {"q": HOSTILE})
    assert '<script>alert("x")</script>' not in search.text


def test_search_finds_items_in_the_readers_language(seeded, client):
    soup = soup_of(client.get("/en/search/", {"q": "riluzole"}))
    assert "results for" in soup.select_one(".search-summary").get_text()
    links = [a["href"] for a in soup.select(".card-list a")]
    assert links and all(link.startswith("/en/") for link in links)
    fr = soup_of(client.get("/fr/recherche/", {"q": "riluzole"}))
    assert "résultats pour" in fr.select_one(".search-summary").get_text()
    empty = soup_of(client.get("/en/search/", {"q": "zzzzqqq"}))
    assert "0 results" in empty.select_one(".search-summary").get_text()


def test_an_item_written_in_one_language_is_announced_in_that_language(seeded, client):
    afm = PartnerPosition.objects.get(
        original_language="en", title_en__startswith="ALS"
    )
    soup = soup_of(client.get(url_in(afm, "fr")))
    english = f"http://testserver{url_in(afm, 'en')}"
    assert soup.select_one('link[rel="canonical"]')["href"] == english
    alternates = {
        link["hreflang"]: link["href"]
        for link in soup.select('link[rel="alternate"][hreflang]')
    }
    assert alternates == {"en": english, "x-default": english}


def _headings(html):
    main = BeautifulSoup(html, "html.parser").select_one("main")
    return [int(h.name[1]) for h in main.find_all(["h1", "h2", "h3", "h4"])]


def test_every_public_page_has_an_unbroken_heading_outline(seeded, client):
    """One h1, and no level skipped (h1 then h3), on every page type, the
    listings, search and Subscribe, in both languages."""
    urls = [
        url_in(page, language)
        for page in Page.objects.live().filter(depth__gt=1).specific()
        for language in ("fr", "en")
    ]
    urls += ["/fr/recherche/?q=mirocals", "/en/search/?q=mirocals"]
    urls += ["/fr/abonnement/", "/en/subscribe/"]
    for url in urls:
        levels = _headings(client.get(url).content)
        assert levels.count(1) == 1, url
        for before, after in zip(levels, levels[1:], strict=False):
            assert after <= before + 1, (url, levels)


def test_titles_favicon_and_compression(seeded, client, home):
    """The home page's title says the site's name once; /favicon.ico exists;
    pages and feeds travel compressed."""
    for language, name in (("fr", "Salle de presse"), ("en", "Newsroom")):
        title = soup_of(client.get(url_in(home, language))).title.get_text()
        assert title == name
        release = soup_of(client.get(url_in(PressRelease.objects.get(), language)))
        assert release.title.get_text().endswith(f" · {name}")
    favicon = client.get("/favicon.ico")
    assert favicon.status_code == 200
    assert favicon["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    for url in (url_in(home, "en"), "/en/rss/", "/sitemap.xml"):
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response["Content-Encoding"] == "gzip", url


def test_subscribe_page_declares_its_canonical_url_and_translation(client, home):
    head = soup_of(client.get("/fr/abonnement/"))
    assert (
        head.find("link", rel="canonical")["href"] == "http://testserver/fr/abonnement/"
    )
    alternates = {
        link["hreflang"]: link["href"]
        for link in head.find_all("link", rel="alternate", hreflang=True)
    }
    assert alternates == {
        "fr": "http://testserver/fr/abonnement/",
        "en": "http://testserver/en/subscribe/",
        "x-default": "http://testserver/fr/abonnement/",
    }
    assert head.find("meta", attrs={"name": "description"})["content"]


@pytest.mark.parametrize(
    "language, subscribe, alerts",
    [
        ("fr", "/fr/abonnement/", "Alertes e-mail"),
        ("en", "/en/subscribe/", "E-mail alerts"),
    ],
)
def test_e_mail_alerts_are_offered_on_every_page_and_first_on_subscribe(
    seeded, client, language, subscribe, alerts
):
    """Readers who do not use a feed reader find the alerts: the home page
    and every page's footer lead to them, and the Subscribe page starts
    with them."""
    for url in (f"/{language}/", url_in(PressRelease.objects.live().first(), language)):
        footer = soup_of(client.get(url)).select_one("footer")
        link = footer.find("a", string=alerts)
        assert link["href"] == f"{subscribe}#alerts", url
    home = soup_of(client.get(f"/{language}/"))
    assert home.select_one("main").find("a", href=f"{subscribe}#alerts")
    page = soup_of(client.get(subscribe))
    assert page.select_one("main h2")["id"] == "alerts-heading"
    assert page.select_one("#alerts form")


def test_every_public_page_has_a_description_in_its_language(seeded, client):
    """Search engines and link previews get a description on every page, in
    the reader's language."""
    for page in Page.objects.live().filter(depth__gt=1).specific():
        for language in ("fr", "en"):
            soup = soup_of(client.get(url_in(page, language)))
            description = soup.find("meta", attrs={"name": "description"})
            assert description and description["content"].strip(), (page, language)
    index = soup_of(client.get("/fr/essais/"))
    assert (
        "essais cliniques"
        in index.find("meta", attrs={"name": "description"})["content"]
    )


@pytest.mark.parametrize("model", PAGE_MODELS, ids=lambda m: m.__name__)
def test_no_page_links_to_itself_as_if_elsewhere(seeded, client, model):
    """A contact's page names them in its heading, not again as a link that
    leads back to the same page."""
    page = model.objects.live().first()
    for language in ("fr", "en"):
        url = url_in(page, language)
        main = soup_of(client.get(url)).select_one("main")
        assert [a.get_text(strip=True) for a in main.select(f'a[href="{url}"]')] == []


def test_the_menu_marks_the_section_being_read(seeded, client):
    def marked(url):
        nav = soup_of(client.get(url)).select_one(".site-nav")
        return {
            a.get_text(strip=True): a["aria-current"]
            for a in nav.select("a[aria-current]")
        }

    release = PressRelease.objects.live().first()
    index = ReleaseIndexPage.objects.get()
    for language in ("fr", "en"):
        section = getattr(index, f"title_{language}")
        assert marked(url_in(index, language)) == {section: "page"}
        assert marked(url_in(release, language)) == {section: "true"}
        assert marked(url_in(HomePage.objects.get(), language)) == {}


def test_the_search_page_has_one_search_box(seeded, client):
    for path in ("/fr/recherche/", "/en/search/"):
        soup = soup_of(client.get(path, {"q": "MIROCALS"}))
        (form,) = soup.select('[role="search"]')
        assert form.select_one('input[name="q"]')["value"] == "MIROCALS"
