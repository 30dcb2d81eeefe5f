"""One date per item and language, on every channel: the page, its card, the
feeds and JSON-LD show the date the authors gave for that language (else for
the other). A release whose dateline gives none is dated by its publication
(``test_undated_releases``); a partner's statement whose source gives none
shows no date as its own anywhere, and is listed after dated items."""

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


def test_a_statement_whose_source_gives_no_date_shows_none_as_its_own(client):
    """The page says the source gives no date, and when it was published
    here; its card says so too; its feed item has no pubDate (feed readers
    keep the day they first saw it) and its JSON-LD no datePublished."""
    statement = seed("position:afm-telethon-mirocals")
    assert statement.source_date is None
    here = timezone.localtime(statement.first_published_at).date()
    index = PositionIndexPage.objects.get()
    for language, undated, published_here in (
        ("fr", "date non donnée par la source", "Publié ici le"),
        ("en", "date not given by the source", "Published here on"),
    ):
        html = BeautifulSoup(
            client.get(url_in(statement, language)).content, "html.parser"
        )
        dateline = html.select_one("article .dateline")
        assert dateline.select_one("time") is None
        assert undated in dateline.text
        note = html.select_one("article .published-here")
        assert published_here in note.text
        assert note.select_one("time")["datetime"] == here.isoformat()
        json_ld = json.loads(html.find("script", type="application/ld+json").string)
        assert "datePublished" not in json_ld

        listing = BeautifulSoup(
            client.get(url_in(index, language)).content, "html.parser"
        )
        card = next(
            card
            for card in listing.select(".announcement-card")
            if card.select_one(".card-title a")["href"] == url_in(statement, language)
        )
        assert card.select_one("time") is None
        assert undated in card.select_one(".card-meta").text

        feed = ET.fromstring(client.get(feed_url(language)).content)
        item = next(
            item
            for item in feed.iter("item")
            if item.findtext("link").endswith(url_in(statement, language))
        )
        assert item.find("pubDate") is None

        api = client.get(
            f"/{language}/api/v2/statements/{statement.pk}/?fields=date"
        ).json()
        assert api["date"] is None


def test_undated_statements_are_listed_after_dated_items(client):
    """The seed as its sources date it: the hospital's release (12 May 2025
    in French, 9 May in English) and ILTOO Pharma's statement (10 May 2025),
    newest first, then the two statements whose sources give no date, on the
    trial page, the statements index and the feeds."""
    release = seed("release:mirocals-lancet-results")
    iltoo = seed("position:iltoo-pharma-mirocals")
    undated = {
        seed("position:afm-telethon-mirocals"),
        seed("position:filslan-mirocals"),
    }
    trial = release.trial
    for language, dated in (("fr", (release, iltoo)), ("en", (iltoo, release))):
        html = BeautifulSoup(client.get(url_in(trial, language)).content, "html.parser")
        linked = [a["href"] for a in html.select(".announcement-card .card-title a")]
        order = [url_in(page, language) for page in dated]
        assert linked[:2] == order, linked
        assert set(linked[2:4]) == {url_in(page, language) for page in undated}

        index = PositionIndexPage.objects.get()
        listing = BeautifulSoup(
            client.get(url_in(index, language)).content, "html.parser"
        )
        cards = [a["href"] for a in listing.select(".announcement-card .card-title a")]
        assert cards[0] == url_in(iltoo, language), cards

        feed = ET.fromstring(client.get(feed_url(language)).content)
        links = [item.findtext("link") for item in feed.iter("item")]
        assert links[0].endswith(order[0]), links
        assert links[1].endswith(order[1]), links


def test_a_draft_changes_no_list_nor_calendar_before_it_is_published(client):
    """Saving a draft that gives the undated statement a date, or takes the
    dated one's away, moves nothing until it is published: lists, feeds and
    calendars read the published text."""
    import datetime as dt

    undated = seed("position:afm-telethon-mirocals")
    dated = seed("position:iltoo-pharma-mirocals")
    undated.source_date = dt.date(2030, 1, 1)
    undated.save_revision()
    dated.source_date = None
    dated.save_revision()
    index = PositionIndexPage.objects.get()
    listing = BeautifulSoup(client.get(url_in(index, "en")).content, "html.parser")
    cards = [a["href"] for a in listing.select(".announcement-card .card-title a")]
    assert cards[0] == url_in(dated, "en"), cards
    for path in ("/fr/calendrier.ics", "/en/calendar.ics"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert b"ILTOO" in response.content
        assert b"MIROCALS Trial Paves" not in response.content
