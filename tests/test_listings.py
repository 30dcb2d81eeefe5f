"""Listings read as readers expect: newest first, paged, filtered."""

from bs4 import BeautifulSoup

from announcements.models import ReleaseIndexPage
from tests.factories import (
    OrganisationFactory,
    build_position,
    build_release,
    build_trial,
    url_in,
)


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def test_release_index_filters_by_trial_and_organisation(home, client):
    first, second = build_trial(home), build_trial(home)
    hospital = OrganisationFactory(slug="hospital")
    build_release(home, first, title_en="About the first", organisation=hospital)
    build_release(home, second, title_en="About the second")
    index = url_in(ReleaseIndexPage.objects.get(), "en")

    def titles(**params):
        soup = soup_of(client.get(index, params))
        return {
            h.get_text(strip=True)
            for h in soup.select(".announcement-card .card-title")
        }

    assert titles() == {"About the first", "About the second"}
    assert titles(trial=second.registry_id) == {"About the second"}
    assert titles(organisation="hospital") == {"About the first"}
    assert titles(trial="NCT12345678") == set()


def test_release_index_is_newest_first_and_paginated(home, client):
    trial = build_trial(home)
    for number in range(14):
        build_release(home, trial, title_en=f"Release {number:02d}")
    index = url_in(ReleaseIndexPage.objects.get(), "en")
    page_one = [
        h.get_text(strip=True)
        for h in soup_of(client.get(index)).select(".announcement-card .card-title")
    ]
    assert page_one[0] == "Release 13" and len(page_one) == 12
    page_two = soup_of(client.get(index, {"page": 2})).select(
        ".announcement-card .card-title"
    )
    assert [h.get_text(strip=True) for h in page_two] == ["Release 01", "Release 00"]
    assert client.get(index, {"page": "999"}).status_code == 200


def test_long_lists_are_paged_and_newest_first(home, client):
    """A trial with many statements: the trial page pages them, 20 at a time,
    newest first; a release shows the newest few and links to the rest."""
    trial = build_trial(home)
    for number in range(25):
        build_position(home, trial, title_en=f"Statement {number:02d}")
    # Dated the day it is published, the newest of all.
    release = build_release(
        home,
        trial,
        title_en="The release",
        dateline_date_fr=None,
        dateline_date_en=None,
    )
    trial_page = soup_of(client.get(url_in(trial, "en")))
    titles = [h.get_text(strip=True) for h in trial_page.select(".statements h3")]
    assert len(titles) == 20 and titles[0] == "The release"
    assert titles[1] == "Statement 24"
    second = soup_of(client.get(url_in(trial, "en"), {"page": 2}))
    assert len(second.select(".statements h3")) == 6
    release_page = soup_of(client.get(url_in(release, "en")))
    others = release_page.select(".other-statements h3")
    assert [h.get_text(strip=True) for h in others][:2] == [
        "Statement 24",
        "Statement 23",
    ]
    assert len(others) == 6
    assert release_page.select_one(f'.other-statements a[href="{url_in(trial, "en")}"]')
