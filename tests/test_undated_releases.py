"""Dates never go missing: a release whose editor left the dateline date
empty (natural when the date is the embargo day) is dated, in each language,
the day its embargo lifted in Paris time, on the page, its card, the feed and
JSON-LD alike; the admin says so beside the field."""

import datetime
import email.utils
import json
import xml.etree.ElementTree as ET
from io import StringIO
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.urls import reverse

from wagtail.test.utils.form_data import querydict_from_html

import pytest
import time_machine
from bs4 import BeautifulSoup

from tests.factories import build_release, feed_url, url_in

PARIS = ZoneInfo("Europe/Paris")
# 22:30 UTC on 11 May is 00:30 on 12 May in Paris: the day readers are told
# is Paris's, not UTC's.
EMBARGO = datetime.datetime(2030, 5, 11, 22, 30, tzinfo=datetime.UTC)


@pytest.fixture
def undated(home, trial):
    """A release with no dateline date, scheduled for its embargo and lifted
    by the scheduler."""
    release = build_release(
        home,
        trial,
        live=False,
        title_fr="Résultats sans date",
        title_en="Undated results",
        dateline_date_fr=None,
        dateline_date_en=None,
    )
    release.go_live_at = EMBARGO
    release.save_revision().publish()
    assert not release.live
    with time_machine.travel(EMBARGO + datetime.timedelta(minutes=3), tick=False):
        call_command("publish_scheduled", stdout=StringIO())
    release.refresh_from_db()
    assert release.live
    return release


def read(client, path):
    return BeautifulSoup(client.get(path).content, "html.parser")


@pytest.mark.parametrize(
    ("language", "shown", "index"),
    [
        ("fr", "12 mai 2030", "/fr/communiques/"),
        ("en", "12 May 2030", "/en/press-releases/"),
    ],
)
def test_an_undated_release_is_dated_its_embargo_day_everywhere(
    undated, client, language, shown, index
):
    """Page, card, feed and JSON-LD give the embargo day in Paris time."""
    page = read(client, url_in(undated, language))
    dateline = page.select_one("article .dateline")
    assert dateline.get_text(" ", strip=True).startswith(f"Nîmes, {shown} ·")
    assert dateline.select_one("time")["datetime"] == "2030-05-12"

    json_ld = json.loads(page.find("script", type="application/ld+json").string)
    assert json_ld["datePublished"] == "2030-05-12T00:30:00+02:00"

    card = next(
        card
        for card in read(client, index).select(".announcement-card")
        if card.select_one(".card-title a")["href"] == url_in(undated, language)
    )
    assert card.select_one("time")["datetime"] == "2030-05-12"
    assert shown in card.get_text()

    feed = ET.fromstring(client.get(feed_url(language)).content)
    item = next(
        item
        for item in feed.iter("item")
        if item.findtext("link").endswith(url_in(undated, language))
    )
    published = email.utils.parsedate_to_datetime(item.findtext("pubDate"))
    assert published == EMBARGO
    assert published.astimezone(PARIS).date() == datetime.date(2030, 5, 12)


# Paris's midday: the day cannot turn between the preview and the check.
@time_machine.travel(datetime.datetime(2026, 6, 1, 10, tzinfo=datetime.UTC), tick=False)
def test_a_draft_previewed_in_the_admin_has_a_date(home, trial, make_user, client):
    """Before any embargo or publication, the editor's preview shows the day
    it would go public if approved now, not a dateline without a date."""
    release = build_release(
        home, trial, live=False, dateline_date_fr=None, dateline_date_en=None
    )
    client.force_login(make_user("paul", "Publishers"))
    edit = reverse("wagtailadmin_pages:edit", args=(release.pk,))
    data = querydict_from_html(client.get(edit).text, form_id="page-edit-form")
    preview = reverse("wagtailadmin_pages:preview_on_edit", args=(release.pk,))
    assert client.post(preview, data).json()["is_valid"]
    html = BeautifulSoup(client.get(preview + "?mode=fr").content, "html.parser")
    dateline = html.select_one("article .dateline")
    assert dateline.select_one("time")["datetime"] == "2026-06-01"
    assert ", ·" not in dateline.get_text()


def test_the_admin_says_an_empty_date_is_the_embargo_day(
    home, trial, make_user, client
):
    release = build_release(home, trial, live=False)
    client.force_login(make_user("edith", "Editors"))
    html = client.get(reverse("wagtailadmin_pages:edit", args=(release.pk,))).text
    assert (
        "Laissée vide : les lecteurs voient le jour de sa publication (heure de "
        "Paris)." in html
    )
