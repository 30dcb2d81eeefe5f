"""A page behind a Wagtail privacy setting (login or password) is not
public: no listing, feed, trial page or sitemap names it, and its own
address asks for the login, whether the setting is on the page or on an
ancestor. Listings check it in the database, in the same query."""

from django.core.cache import cache

from wagtail.models import PageViewRestriction

import pytest

from announcements.models import PressRelease, ReleaseIndexPage
from tests.factories import build_release, build_trial, url_in

pytestmark = pytest.mark.django_db

PUBLIC_CHANNELS = ["/fr/communiques/", "/fr/", "/fr/flux/", "/fr/flux/communiques/"]


@pytest.fixture
def releases(home):
    trial = build_trial(home, registry_id="NCT00000077")
    kept = build_release(home, trial, title_fr="Communiqué public")
    hidden = build_release(home, trial, title_fr="Communiqué réservé")
    return trial, kept, hidden


def _everywhere(client, trial):
    pages = [
        *PUBLIC_CHANNELS,
        url_in(trial, "fr"),
        f"/fr/flux/essais/{trial.registry_id}/",
    ]
    cache.clear()
    text = ""
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text += response.content.decode()
    sitemap = client.get("/sitemap-pages.xml").content.decode()
    return text, sitemap


def test_a_release_behind_a_login_is_on_no_public_channel(client, releases):
    """A release an editor restricted to logged-in readers is not listed."""
    trial, kept, hidden = releases
    PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.LOGIN
    )
    text, sitemap = _everywhere(client, trial)
    assert "Communiqué public" in text
    assert "Communiqué réservé" not in text
    assert url_in(hidden, "fr") not in sitemap
    assert url_in(kept, "fr") in sitemap
    response = client.get(url_in(hidden, "fr"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_section_behind_a_password_hides_every_page_in_it(client, releases):
    """A privacy setting on the releases index covers each release in it."""
    trial, kept, hidden = releases
    PageViewRestriction.objects.create(
        page=ReleaseIndexPage.objects.get(),
        restriction_type=PageViewRestriction.PASSWORD,
        password="secret",  # noqa: S106
    )
    text, sitemap = _everywhere(client, trial)
    assert "Communiqué public" not in text
    assert "Communiqué réservé" not in text
    assert url_in(kept, "fr") not in sitemap
    assert client.get(url_in(kept, "fr")).status_code == 200  # the password form
    assert b"password" in client.get(url_in(kept, "fr")).content.lower()
    assert PressRelease.objects.published().count() == 0
