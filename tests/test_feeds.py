"""RSS feeds: valid, per language, stable identifiers, never ahead of an embargo."""

import datetime
import email.utils
import re
import xml.etree.ElementTree as ET
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

import feedparser
import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import (
    OrganisationFactory,
    build_position,
    build_release,
    feed_url,
)

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"


FEEDS = {
    "fr": [
        "/fr/flux/",
        "/fr/flux/communiques/",
        "/fr/flux/prises-de-position/",
        "/fr/flux/essais/NCT03039673/",
    ],
    "en": [
        "/en/rss/",
        "/en/rss/releases/",
        "/en/rss/statements/",
        "/en/rss/trials/NCT03039673/",
    ],
}
OLD_FRENCH = [
    "/fr/rss/",
    "/fr/rss/releases/",
    "/fr/rss/statements/",
    "/fr/rss/trials/NCT03039673/",
]


def feed_urls(trial_registry_id="NCT03039673"):
    for language, urls in FEEDS.items():
        for url in urls:
            yield language, url.replace("NCT03039673", trial_registry_id)


def guids(client, url):
    return [
        item.findtext("guid")
        for item in ET.fromstring(client.get(url).content).iter("item")
    ]


def titles(client, url):
    return [
        item.findtext("title")
        for item in ET.fromstring(client.get(url).content).iter("item")
    ]


def test_every_feed_is_valid_rss_in_its_language(home, trial, client):
    build_release(home, trial, title_fr="Communiqué", title_en="Release")
    build_position(home, trial, title_fr="Position", title_en="Statement")
    for language, url in feed_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/xml")
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, (url, parsed.get("bozo_exception"))
        assert parsed.feed.language == language
        channel = ET.fromstring(response.content).find("channel")
        for required in ("title", "link", "description", "language"):
            assert channel.findtext(required), (url, required)
        assert channel.find(f"{ATOM}link").get("rel") == "self"
        assert channel.find(f"{ATOM}link").get("href").endswith(url)
        items = channel.findall("item")
        assert items, url
        for item in items:
            for required in ("title", "link", "guid", "pubDate", "description"):
                assert item.findtext(required), (url, required)
            assert item.find("guid").get("isPermaLink") == "false"
            assert email.utils.parsedate_to_datetime(item.findtext("pubDate"))
            assert f"/{language}/" in item.findtext("link")
            assert [c.text for c in item.findall("category")][0] == "MIROCALS"
    fr_titles = titles(client, "/fr/flux/")
    en_titles = titles(client, "/en/rss/")
    assert set(fr_titles) == {"Communiqué", "Position"}
    assert set(en_titles) == {"Release", "Statement"}
    assert titles(client, "/en/rss/releases/") == ["Release"]
    assert titles(client, "/en/rss/statements/") == ["Statement"]


def test_statements_name_their_organisation(home, trial, client):
    position = build_position(home, trial, organisation__name_en="AFM-Téléthon")
    root = ET.fromstring(client.get("/en/rss/statements/").content)
    item = root.find("channel/item")
    assert item.findtext(f"{DC}creator") == position.organisation.name_en
    assert position.organisation.name_en in [c.text for c in item.findall("category")]


def test_guid_survives_edits_slug_changes_and_translation(home, trial, client):
    release = build_release(home, trial, title_en="", slug_en="", body_en="")
    before = guids(client, "/fr/flux/")
    assert len(before) == len(set(before)) == 1

    release.title_fr = "Titre corrigé"
    release.save_revision().publish()
    release.slug_fr = "nouveau-slug"
    release.save_revision().publish()
    release.title_en, release.slug_en, release.body_en = (
        "Headline",
        "headline",
        "<p>EN</p>",
    )
    release.save_revision().publish()

    assert guids(client, "/fr/flux/") == before
    english = guids(client, "/en/rss/")
    # Each language version has its own guid, so readers subscribed to both
    # feeds keep both; the French one is the guid it always had.
    assert english != before and len(english) == 1
    release.title_en = "Headline, corrected"
    release.save_revision().publish()
    assert guids(client, "/en/rss/") == english
    assert guids(client, "/en/rss/trials/NCT03039673/") == english
    assert guids(client, "/en/rss/releases/") == english
    assert titles(client, "/fr/flux/") == ["Titre corrigé"]


def test_unpublished_items_are_in_no_feed(home, trial, client, make_user):
    """Drafts, items in review and scheduled items stay out of every feed."""
    build_release(home, trial, title_fr="Brouillon", title_en="Draft", live=False)
    in_review = build_release(
        home, trial, title_fr="En relecture", title_en="In review", live=False
    )
    editor = make_user("edith", "Editors")
    in_review.get_workflow().start(in_review, editor)
    in_review.refresh_from_db()
    assert in_review.workflow_in_progress
    scheduled = build_position(
        home, trial, title_fr="Programmée", title_en="Scheduled", live=False
    )
    scheduled.go_live_at = timezone.now() + datetime.timedelta(days=1)
    scheduled.save_revision().publish()
    scheduled.refresh_from_db()
    assert not scheduled.live

    for _language, url in feed_urls():
        assert guids(client, url) == [], url


def test_a_scheduled_item_appears_at_its_embargo_dated_at_the_lift(home, trial, client):
    embargo = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=2)
    release = build_release(
        home,
        trial,
        title_fr="Sous embargo",
        title_en="Embargoed",
        live=False,
        dateline_date_fr=None,
        dateline_date_en=None,
    )
    release.go_live_at = embargo
    release.save_revision().publish()

    before = client.get("/en/rss/")
    assert b"Embargoed" not in before.content
    etag = before["ETag"]

    with time_machine.travel(embargo - datetime.timedelta(seconds=30), tick=False):
        call_command("publish_scheduled", stdout=StringIO())
        assert b"Embargoed" not in client.get("/en/rss/").content

    with time_machine.travel(embargo + datetime.timedelta(seconds=40), tick=False):
        call_command("publish_scheduled", stdout=StringIO())
        # A subscriber revalidating its cached copy gets the new item at once.
        response = client.get("/en/rss/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    item = ET.fromstring(response.content).find("channel/item")
    assert item.findtext("title") == "Embargoed"
    assert email.utils.parsedate_to_datetime(item.findtext("pubDate")) == embargo


@pytest.mark.parametrize(
    "hostile",
    ["]]> & <script>alert('x')</script>", "Bell\x07 vt\x0b esc\x1b", "🧪 « été » & co"],
)
def test_hostile_text_yields_a_well_formed_feed(home, trial, client, hostile):
    build_release(
        home,
        trial,
        title_fr=hostile,
        title_en=hostile,
        standfirst_fr=hostile,
        standfirst_en=hostile,
        body_fr=f"<p>{hostile}</p>",
    )
    for _language, url in feed_urls():
        response = client.get(url)
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, (url, parsed.get("bozo_exception"))
        ET.fromstring(response.content)
        assert b"<script>" not in response.content
    # The text arrives intact, less what XML cannot carry.
    expected = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", "", hostile)
    root = ET.fromstring(client.get("/fr/flux/").content)
    assert root.find("channel/item/title").text == expected


def test_conditional_get(home, trial, client):
    build_release(home, trial, title_en="First")
    first = client.get("/en/rss/")
    assert first.status_code == 200
    assert first["ETag"] and first["Last-Modified"]
    assert "max-age=60" in first["Cache-Control"]

    assert client.get("/en/rss/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert (
        client.get(
            "/en/rss/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
        ).status_code
        == 304
    )
    # The French feed is another representation: another validator.
    assert client.get("/fr/flux/")["ETag"] != first["ETag"]

    build_release(home, trial, title_en="Second")
    again = client.get("/en/rss/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and b"Second" in again.content


def test_unknown_trial_feed_is_not_found(home, client):
    assert client.get("/en/rss/trials/NCT99999999/").status_code == 404


def test_pages_advertise_their_feeds(home, trial, client):
    for url in ("/fr/", "/en/", "/en/subscribe/"):
        html = client.get(url).text
        assert 'type="application/rss+xml"' in html
    trial_html = client.get("/en/trials/" + trial.slug_en + "/").text
    assert 'href="/en/rss/trials/NCT03039673/"' in trial_html
    subscribe = client.get("/fr/abonnement/").text
    assert 'value="http://testserver/fr/flux/"' in subscribe
    assert 'value="http://testserver/fr/flux/essais/NCT03039673/"' in subscribe


def test_a_withdrawn_item_is_not_hidden_by_if_modified_since(home, trial, client):
    """A retraction reaches subscribers that revalidate by date."""
    build_release(home, trial, title_en="Stays")
    withdrawn = build_release(home, trial, title_en="Withdrawn")
    first = client.get("/en/rss/")
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
        withdrawn.unpublish()
        again = client.get("/en/rss/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 200
    assert b"Withdrawn" not in again.content and b"Stays" in again.content


# Any text an editor can store: any UTF-8 but NUL, which PostgreSQL refuses
# and Django's forms reject.
stored_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=80
)


@pytest.fixture
def one_of_each(home, trial):
    organisation = OrganisationFactory()
    release = build_release(home, trial, organisation=organisation)
    position = build_position(home, trial, organisation=organisation)
    return trial, organisation, release, position


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    trial_title=stored_text,
    organisation_name=stored_text,
    title=stored_text,
    standfirst=stored_text,
    body=stored_text,
)
def test_every_feed_carries_any_text_an_editor_stored(
    client, one_of_each, trial_title, organisation_name, title, standfirst, body
):
    """A control character in a trial's title, an organisation's name or a
    release's text is dropped from the feeds, which stay well-formed XML."""
    trial, organisation, release, position = one_of_each
    # The trial's title names its feed's channel and every item's category.
    type(trial).objects.filter(pk=trial.pk).update(
        title_fr=trial_title, title_en=trial_title
    )
    type(organisation).objects.filter(pk=organisation.pk).update(
        name=organisation_name, name_fr=organisation_name, name_en=organisation_name
    )
    for page in (release, position):
        type(page).objects.filter(pk=page.pk).update(
            title_fr=title,
            title_en=title,
            standfirst_fr=standfirst,
            standfirst_en="",  # the English description is the body's start
            body_fr=body,
            body_en=body,
        )
    for _language, url in feed_urls(trial.registry_id):
        response = client.get(url)
        assert response.status_code == 200, url
        ET.fromstring(response.content)
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, (url, parsed.get("bozo_exception"))


def test_feeds_have_addresses_in_their_language(home, trial, client):
    """French feeds have French paths; their first, English paths lead there
    for good, so that existing subscriptions follow."""
    build_release(home, trial)
    assert [feed_url("fr", name) for name in ("announcements", "releases")] == (
        FEEDS["fr"][:2]
    )
    for old, new in zip(OLD_FRENCH, FEEDS["fr"], strict=True):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == new
        assert client.get(new).status_code == 200
    for url in FEEDS["en"]:
        assert client.get(url).status_code == 200, url


def test_summaries_keep_the_ends_of_headings_and_paragraphs(home, trial, client):
    """A summary made from the body never runs a heading into the next
    sentence."""
    build_release(
        home,
        trial,
        standfirst_en="",
        body_en="<h2>A promising treatment</h2><p>The trial showed</p><p>more.</p>",
    )
    parsed = feedparser.parse(client.get("/en/rss/releases/").content)
    summary = parsed.entries[0].summary
    assert "A promising treatment. The trial showed. more." in summary


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_browser_is_shown_a_page_about_the_feed(home, trial, client, language):
    """Opened in a browser, a feed is a page saying what it is and how to
    subscribe, with its address to copy; feed readers get the RSS itself,
    which names the stylesheet browsers without that page use."""
    build_release(home, trial, title_fr="Communiqué", title_en="Release")
    url = feed_url(language, "releases")
    page = client.get(url, HTTP_SEC_FETCH_DEST="document")
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert "Sec-Fetch-Dest" in page["Vary"]
    html = page.content.decode()
    how = {"fr": "Comment s’abonner", "en": "How to subscribe"}[language]
    assert how in html
    assert f'value="http://testserver{url}"' in html
    assert {"fr": "Communiqué", "en": "Release"}[language] in html
    assert '<meta name="robots" content="noindex">' in html

    rss = client.get(url)
    assert rss["Content-Type"].startswith("application/xml")
    assert "Sec-Fetch-Dest" in rss["Vary"]
    stylesheet = feed_url(language, "stylesheet")
    assert f'<?xml-stylesheet href="{stylesheet}"' in rss.content.decode()
    xsl = client.get(stylesheet)
    assert xsl["Content-Type"].startswith("text/xsl")
    root = ET.fromstring(xsl.content)
    assert root.tag == "{http://www.w3.org/1999/XSL/Transform}stylesheet"
    assert how in xsl.content.decode()
