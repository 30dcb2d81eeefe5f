"""Where each kind of page may live, and that each renders in both languages."""

from wagtail.models import Page

import pytest

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
from tests.factories import build_contact, build_position, build_release, build_trial

ALLOWED = {
    PressRelease: ReleaseIndexPage,
    PartnerPosition: PositionIndexPage,
    Trial: TrialIndexPage,
    PressContact: ContactIndexPage,
}


@pytest.mark.parametrize("child, parent", ALLOWED.items())
def test_each_item_belongs_under_its_own_index_only(child, parent):
    """An editor cannot file a release under the contacts index (or any other)."""
    assert child.can_create_at(parent())
    for other in {*ALLOWED.values(), HomePage} - {parent}:
        assert not child.can_create_at(other()), (
            f"{child.__name__} under {other.__name__}"
        )


def test_indexes_live_under_the_home_page_only(db):
    for index in ALLOWED.values():
        assert index.can_create_at(HomePage())
        assert not index.can_create_at(Page())
    assert HomePage.can_create_at(Page())


def test_items_are_created_in_both_languages_and_served_in_each(home, client):
    """The same page answers under /fr/ and /en/, each in its own language."""
    trial = build_trial(home, title_fr="ESSAI", title_en="TRIAL")
    contact = build_contact(home, title_fr="Jeanne Martin", title_en="Jeanne Martin")
    release = build_release(
        home, trial, title_fr="Titre français", title_en="English headline"
    )
    release.contact_links.create(contact=contact)
    position = build_position(home, trial, title_fr="Avis", title_en="Opinion")

    for page, french, english in [
        (trial, "ESSAI", "TRIAL"),
        (release, "Titre français", "English headline"),
        (position, "Avis", "Opinion"),
        (contact, "Jeanne Martin", "Jeanne Martin"),
    ]:
        french_url = page.url_path_fr.replace("/accueil/", "/fr/", 1)
        english_url = page.url_path_en.replace("/home/", "/en/", 1)
        fr = client.get(french_url)
        en = client.get(english_url)
        assert fr.status_code == 200, french_url
        assert en.status_code == 200, english_url
        assert '<html lang="fr">' in fr.text and french in fr.text
        assert '<html lang="en">' in en.text and english in en.text


def test_a_french_slug_under_english_prefix_is_not_found(home, client):
    trial = build_trial(home, slug_fr="essai-fr", slug_en="trial-en")
    assert client.get("/en/trials/trial-en/").status_code == 200
    assert client.get("/fr/essais/essai-fr/").status_code == 200
    assert client.get("/en/trials/essai-fr/").status_code == 404
    assert trial.live


def test_a_blank_english_slug_falls_back_to_the_french_one(home, client):
    trial = build_trial(home, slug_fr="essai-sans-slug-anglais", slug_en="")
    assert trial.url_path_en.endswith("/essai-sans-slug-anglais/")
    assert client.get("/en/trials/essai-sans-slug-anglais/").status_code == 200
    assert client.get("/fr/essais/essai-sans-slug-anglais/").status_code == 200
    assert client.get("/en/trials/no-such-trial/").status_code == 404
