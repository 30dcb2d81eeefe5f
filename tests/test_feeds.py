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

from tests.factories import OrganisationFactory, build_position, build_release

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"


def feed_urls(trial_registry_id="NCT03039673"):
    for language in ("fr", "en"):
        for path in (
            "rss/",
            "rss/releases/",
            "rss/statements/",
            f"rss/trials/{trial_registry_id}/",
        ):
            yield language, f"/{language}/{path}"


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
        assert response["Content-Type"].startswith("application/rss+xml")
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
    fr_titles = titles(client, "/fr/rss/")
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
    before = guids(client, "/fr/rss/")
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

    assert guids(client, "/fr/rss/") == before
    english = guids(client, "/en/rss/")
    # Each language version has its own guid, so readers subscribed to both
    # feeds keep both; the French one is the guid it always had.
    assert english != before and len(english) == 1
    release.title_en = "Headline, corrected"
    release.save_revision().publish()
    assert guids(client, "/en/rss/") == english
    assert guids(client, "/en/rss/trials/NCT03039673/") == english
    assert guids(client, "/en/rss/releases/") == english
    assert titles(client, "/fr/rss/") == ["Titre corrigé"]


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
    root = ET.fromstring(client.get("/fr/rss/").content)
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
    assert client.get("/fr/rss/")["ETag"] != first["ETag"]

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
    assert 'value="http://testserver/fr/rss/"' in subscribe
    assert 'value="http://testserver/fr/rss/trials/NCT03039673/"' in subscribe


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
