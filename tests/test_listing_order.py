"""Long lists read the few items they show through an index: each item keeps
the date its readers see, per language, in a column of its own, kept up to
date by every door that changes it (publishing a new text, the scheduler's
lift); the length of a list is counted once per public change."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
import time_machine
from bs4 import BeautifulSoup

from announcements.listing import DIRECTORY_PAGE_SIZE
from announcements.models import (
    ContactIndexPage,
    PressRelease,
    ReleaseIndexPage,
    TrialIndexPage,
)
from bench.populate import populate
from tests.factories import (
    build_position,
    build_release,
    build_trial,
    schedule,
    url_in,
)

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db


def paris(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


def titles(client, url, language="en", **params):
    html = BeautifulSoup(client.get(url, params).content, "html.parser")
    return [
        (card.select_one(".card-title").get_text(strip=True), card.time["datetime"])
        for card in html.select(".announcement-card")
    ]


def test_lists_follow_the_date_readers_see_whichever_door_set_it(home, client):
    trial = build_trial(home)
    with time_machine.travel(paris(2025, 5, 10, 9), tick=False):
        first = build_release(
            home,
            trial,
            title_en="First",
            dateline_date_fr=datetime.date(2025, 5, 1),
            dateline_date_en=datetime.date(2025, 5, 1),
        )
        build_release(
            home,
            trial,
            title_en="Third",
            dateline_date_fr=datetime.date(2025, 5, 3),
            dateline_date_en=None,
        )
    with time_machine.travel(paris(2025, 5, 2, 10), tick=False):
        build_release(
            home,
            trial,
            title_en="Undated",
            dateline_date_fr=None,
            dateline_date_en=None,
        )
    index = ReleaseIndexPage.objects.get()
    assert titles(client, url_in(index, "en")) == [
        ("Third", "2025-05-03"),
        ("Undated", "2025-05-02"),
        ("First", "2025-05-01"),
    ]

    # A new text, published, moves the English date only.
    first.dateline_date_en = datetime.date(2025, 5, 4)
    first.save_revision().publish()
    assert titles(client, url_in(index, "en"))[0] == ("First", "2025-05-04")
    assert [date for _title, date in titles(client, url_in(index, "fr"))] == [
        "2025-05-03",
        "2025-05-02",
        "2025-05-01",
    ]

    # Lifted by a scheduler running late, after midnight: dated at the embargo.
    embargo = paris(2025, 5, 5, 23, 59)
    lifted = build_release(
        home,
        trial,
        live=False,
        title_en="Lifted",
        dateline_date_fr=None,
        dateline_date_en=None,
    )
    with time_machine.travel(embargo - datetime.timedelta(days=1), tick=False):
        schedule(lifted, embargo)
    with time_machine.travel(embargo + datetime.timedelta(minutes=40), tick=False):
        call_command("publish_scheduled", stdout=StringIO())
    lifted = PressRelease.objects.get(pk=lifted.pk)
    assert lifted.listed_at_en == embargo
    assert titles(client, url_in(index, "en"))[0] == ("Lifted", "2025-05-05")


def test_a_trial_page_further_in_mixes_releases_and_statements_by_date(home, client):
    """Page 2 of a trial's items is read at its place in the merged list."""
    trial = build_trial(home)
    for day in range(1, 26):
        if day % 2:
            build_release(
                home,
                trial,
                title_en=f"Release {day:02d}",
                dateline_date_fr=datetime.date(2025, 4, day),
                dateline_date_en=datetime.date(2025, 4, day),
            )
        else:
            build_position(
                home,
                trial,
                title_en=f"Statement {day:02d}",
                source_date=datetime.date(2025, 4, day),
            )
    html = BeautifulSoup(
        client.get(url_in(trial, "en"), {"page": 2}).content, "html.parser"
    )
    assert [h.get_text(strip=True) for h in html.select(".statements h3")] == [
        "Release 05",
        "Statement 04",
        "Release 03",
        "Statement 02",
        "Release 01",
    ]


def test_a_list_is_counted_once_until_public_content_changes(
    home, client, settings, committed
):
    """With a cache every process shares, a listing's length is counted once;
    a publication counts it again."""
    settings.CACHE_IS_SHARED = True
    trial = build_trial(home)
    index = url_in(ReleaseIndexPage.objects.get(), "en")
    with committed():
        for number in range(13):
            build_release(home, trial, title_en=f"Release {number:02d}")

    def page_two():
        with CaptureQueriesContext(connection) as queries:
            html = BeautifulSoup(client.get(index, {"page": 2}).content, "html.parser")
        counted = any("COUNT(" in query["sql"] for query in queries)
        return len(html.select(".announcement-card")), counted

    assert page_two() == (1, True)
    assert page_two() == (1, False)
    with committed():
        build_release(home, trial, title_en="One more")
    assert page_two() == (2, True)


def test_directories_are_read_a_page_at_a_time(home, client):
    # Pages as Wagtail writes them, in bulk (tests/test_bench_populate.py).
    populate(
        releases=0,
        statements=0,
        trials=DIRECTORY_PAGE_SIZE + 2,
        contacts=DIRECTORY_PAGE_SIZE + 2,
        out=StringIO(),
    )
    for index in (ContactIndexPage.objects.get(), TrialIndexPage.objects.get()):
        for language, next_label in (("fr", "Page suivante"), ("en", "Next page")):
            first = BeautifulSoup(
                client.get(url_in(index, language)).content, "html.parser"
            )
            items = first.select(".contact-card, .trial-card")
            assert len(items) == DIRECTORY_PAGE_SIZE
            assert first.select_one('a[rel="next"]').get_text() == next_label
        second = BeautifulSoup(
            client.get(url_in(index, "en"), {"page": 2}).content, "html.parser"
        )
        assert len(second.select(".contact-card, .trial-card")) == 2
