"""Readers land in their language; every public URL carries its language."""

import pytest


@pytest.mark.parametrize(
    "accept, target", [("en-GB,en;q=0.9", "/en/"), ("fr-FR,fr;q=0.9", "/fr/")]
)
def test_root_redirects_by_browser_language(home, client, accept, target):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == target


def test_root_defaults_to_french_for_other_languages(home, client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert response["Location"] == "/fr/"


def test_home_page_in_each_language(home, client):
    fr = client.get("/fr/")
    en = client.get("/en/")
    assert "Salle de presse" in fr.text and '<html lang="fr">' in fr.text
    assert "Newsroom" in en.text and '<html lang="en">' in en.text
    # The language switcher on the English home leads to the French home.
    assert 'href="/fr/"' in en.text


def test_language_switcher_leads_to_the_same_index(home, client):
    response = client.get("/fr/communiques/")
    assert response.status_code == 200
    assert 'href="/en/press-releases/"' in response.text


def test_changing_the_english_slug_keeps_old_links_working(home, client):
    """A journalist's English link still leads to the release after a rename."""
    from tests.factories import build_release, build_trial

    release = build_release(home, build_trial(home), slug_en="old-english-slug")
    assert client.get("/en/press-releases/old-english-slug/").status_code == 200
    release.slug_en = "new-english-slug"
    release.save_revision().publish()

    response = client.get("/en/press-releases/old-english-slug/")
    assert response.status_code == 301
    assert response["Location"].endswith("/en/press-releases/new-english-slug/")
    assert client.get(response["Location"]).status_code == 200


def test_changing_the_french_slug_keeps_old_links_working(home, client):
    from tests.factories import build_release, build_trial

    release = build_release(home, build_trial(home), slug_fr="ancien-slug")
    release.slug_fr = "nouveau-slug"
    release.save_revision().publish()
    response = client.get("/fr/communiques/ancien-slug/")
    assert response.status_code == 301
    assert response["Location"].endswith("/fr/communiques/nouveau-slug/")


def test_not_found_is_in_the_readers_language(home, client):
    fr = client.get("/fr/nexiste-pas/")
    en = client.get("/en/does-not-exist/")
    assert fr.status_code == en.status_code == 404
    assert '<html lang="fr">' in fr.text and "Page introuvable" in fr.text
    assert '<html lang="en">' in en.text and "Page not found" in en.text
