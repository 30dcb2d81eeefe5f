"""One date per item and language, on every channel: the page, its card, the
feeds and JSON-LD show the date the authors gave for that language (else for
the other); an item whose source gives none is dated the day it was first
published here, in Paris time."""

import datetime
import email.utils
import json
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

from django.utils import timezone

from wagtail.models import Page

import pytest
from bs4 import BeautifulSoup

from announcements.models import PositionIndexPage, ReleaseIndexPage, SeedRecord
from tests.factories import feed_url, url_in

pytestmark = pytest.mark.usefixtures("seeded")
PARIS = ZoneInfo("Europe/Paris")


def seed(key):
    return Page.objects.get(pk=SeedRecord.objects.get(key=key).object_id).specific


def dates_everywhere(client, page, language, index):
    """The date of ``page`` as its page, its listing card, its feed item and
    its JSON-LD give it."""
    html = BeautifulSoup(client.get(url_in(page, language)).content, "html.parser")
    on_page = html.select_one("article .dateline time")["datetime"]
    json_ld = json.loads(html.find("script", type="application/ld+json").string)
    listing = BeautifulSoup(client.get(url_in(index, language)).content, "html.parser")
    card = next(
        card
        for card in listing.select(".announcement-card")
        if card.select_one(".card-title a")["href"] == url_in(page, language)
    )
    feed = ET.fromstring(client.get(feed_url(language)).content)
    item = next(
        item
        for item in feed.iter("item")
        if item.findtext("link").endswith(url_in(page, language))
    )
    pub_date = email.utils.parsedate_to_datetime(item.findtext("pubDate"))
    published = datetime.datetime.fromisoformat(json_ld["datePublished"])
    assert published.tzinfo is not None, "datePublished carries its time zone"
    return {
        "page": on_page,
        "card": card.select_one("time")["datetime"],
        "feed": pub_date.astimezone(PARIS).date().isoformat(),
        "json_ld": published.astimezone(PARIS).date().isoformat(),
    }


def test_the_release_has_its_own_date_in_each_language(client):
    release = seed("release:mirocals-lancet-results")
    index = ReleaseIndexPage.objects.get()
    assert set(dates_everywhere(client, release, "fr", index).values()) == {
        "2025-05-12"
    }
    assert set(dates_everywhere(client, release, "en", index).values()) == {
        "2025-05-09"
    }


def test_a_statement_without_a_date_is_dated_the_day_it_was_published_here(client):
    statement = seed("position:afm-telethon-mirocals")
    assert statement.source_date is None
    day = timezone.localtime(statement.first_published_at).date().isoformat()
    index = PositionIndexPage.objects.get()
    for language in ("fr", "en"):
        assert set(dates_everywhere(client, statement, language, index).values()) == {
            day
        }
