"""At an embargo lift, anonymous readers get public pages and feeds from the
cache, without the database; every public change shows at the next request;
logged-in users, previews and journalists' embargo links never meet the cache;
a cache that is down costs speed, never a page."""

import datetime
from io import StringIO

from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page, PageViewRestriction, Site

import pytest
import time_machine

from alerts.models import AlertSubscription
from announcements import content_version, page_cache
from announcements.models import PressRelease, Trial
from newsroom import cache as soft_cache
from press.models import EmbargoPreviewLink
from tests.factories import (
    build_contact,
    build_release,
    build_summary,
    build_trial,
    placebo_term,
    url_in,
)

pytestmark = pytest.mark.usefixtures("page_cache_on")


@pytest.fixture
def site(home, committed):
    """A live trial with one release naming one press contact, committed."""
    with committed():
        trial = build_trial(home, title_en="MIROCALS", registry_id="NCT03039673")
        contact = build_contact(home, title_fr="Anne Dupont", title_en="Anne Dupont")
        release = build_release(
            home,
            trial,
            title_fr="Premier communiqué",
            title_en="First release",
            slug_fr="premier",
            slug_en="first",
        )
        release.contact_links.create(contact=contact)
        release.save_revision().publish()
    return {"trial": trial, "release": release, "contact": contact}


def public_urls(site):
    release, trial = site["release"], site["trial"]
    return [
        "/en/",
        "/fr/",
        "/en/press-releases/",
        url_in(release, "en"),
        url_in(release, "fr"),
        url_in(trial, "en"),
        "/en/rss/",
        "/fr/flux/communiques/",
        f"/en/rss/trials/{trial.registry_id}/",
        "/en/search/?q=release",
    ]


def test_a_page_read_again_is_served_without_the_database(
    site, client, django_assert_num_queries
):
    """The second reader of a page, listing, trial page, feed or search gets
    the same answer, gzip-compressed or not, with no database query."""
    for url in public_urls(site):
        for encoding in ("gzip", "identity"):
            first = client.get(url, HTTP_ACCEPT_ENCODING=encoding)
            assert first.status_code == 200, url
            with django_assert_num_queries(0):
                again = client.get(url, HTTP_ACCEPT_ENCODING=encoding)
            assert again.status_code == 200
            assert again.content == first.content, url
            assert again["Content-Type"] == first["Content-Type"]
            assert again.get("Content-Encoding") == first.get("Content-Encoding")
    gzipped = client.get("/en/press-releases/", HTTP_ACCEPT_ENCODING="gzip")
    assert gzipped["Content-Encoding"] == "gzip"
    plain = client.get("/en/press-releases/", HTTP_ACCEPT_ENCODING="identity")
    assert "Content-Encoding" not in plain
    assert "First release" in plain.text


def test_a_cached_feed_still_answers_conditional_requests(site, client):
    """A feed reader asking "changed since?" is told 304 from the cache."""
    first = client.get("/en/rss/")
    again = client.get("/en/rss/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def change_behind_wagtails_back(page, title):
    """A change without any signal: only a page built anew shows it."""
    Page.objects.filter(pk=page.pk).update(title_en=title, title_fr=title)


def test_logged_in_users_never_read_nor_fill_the_cache(site, client, make_user):
    """Editors always see the site as it is; what they are served (their
    name, their session) is never kept for readers."""
    url = "/en/press-releases/"
    editor = make_user("edith", "Editors")
    client.force_login(editor)
    client.get(url)
    client.logout()
    change_behind_wagtails_back(site["release"], "Changed once")
    # Nothing was kept from the editor's visit: built anew for this reader.
    assert "Changed once" in client.get(url).text
    change_behind_wagtails_back(site["release"], "Changed twice")
    assert "Changed once" in client.get(url).text  # this reader's copy, cached
    client.force_login(editor)
    assert "Changed twice" in client.get(url).text  # never served the copy


def test_a_draft_preview_never_meets_the_cache(site, client, make_user, committed):
    """A draft seen in the admin's preview is never served to readers, and
    the preview always shows the draft."""
    release = site["release"]
    url = url_in(release, "en")
    assert "First release" in client.get(url).text
    with committed():
        release.title_fr = release.title_en = "Draft headline"
        release.save_revision()
    client.force_login(make_user("paul", "Publishers"))
    draft = client.get(reverse("wagtailadmin_pages:view_draft", args=(release.pk,)))
    assert "Draft headline" in draft.content.decode()
    client.logout()
    public = client.get(url).text
    assert "First release" in public and "Draft headline" not in public


def test_an_embargo_link_is_never_cached(home, client, committed):
    """A journalist's link is read from the database each time: revoked, it
    stops at once; nothing of the embargoed release is kept for readers."""
    embargo = timezone.now() + datetime.timedelta(days=1)
    trial = build_trial(home)
    release = build_release(
        home, trial, live=False, title_fr="Embargoed news", title_en="Embargoed news"
    )
    release.go_live_at = embargo
    release.save_revision().publish()
    link = EmbargoPreviewLink(page=release, label="Desk")
    link.full_clean()
    link.save()
    url = link.get_absolute_url()
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert "Embargoed news" in response.content.decode()
        assert "no-store" in response["Cache-Control"]
    link.delete()
    assert client.get(url).status_code == 404
    assert "Embargoed news" not in client.get("/en/press-releases/").text
    assert client.get(url_in(release, "en")).status_code == 404


@pytest.mark.parametrize(
    "headers, status, stored",
    [
        ({}, 200, True),
        ({"Vary": "Accept-Encoding"}, 200, True),
        ({"Set-Cookie": True}, 200, False),
        ({"Vary": "Cookie"}, 200, False),
        ({"Vary": "Accept-Language"}, 200, False),
        ({"Cache-Control": "private"}, 200, False),
        ({"Cache-Control": "private, no-store"}, 200, False),
        ({"Cache-Control": "no-cache"}, 200, False),
        ({}, 404, False),
        ({}, 301, False),
    ],
)
def test_only_answers_for_everyone_are_stored(headers, status, stored):
    """Anything personal (a cookie set, an answer varying by cookie, private
    or no-store) or not a page (errors, redirects) is never kept."""
    request = RequestFactory().get("/en/")
    response = HttpResponse("page", status=status)
    for name, value in headers.items():
        if name == "Set-Cookie":
            response.set_cookie("csrftoken", "secret")
        else:
            response[name] = value
    assert page_cache._storable(request, response) == stored


def test_readers_with_a_session_are_not_served_from_the_cache(site, client):
    """A reader who entered a page's password (a session) sees what the
    session allows, never what an anonymous reader was given."""
    url = "/en/press-releases/"
    client.get(url)
    change_behind_wagtails_back(site["release"], "Changed without a signal")
    client.cookies["sessionid"] = "anything"
    assert "Changed without a signal" in client.get(url).text


# Every public change shows at the next request -----------------------------


def read(client, *urls):
    """Each URL's text, read twice so that the second comes from the cache."""
    texts = []
    for url in urls:
        client.get(url)
        response = client.get(url)
        assert response.status_code in (200, 404), url
        texts.append(response.content.decode() if response.status_code == 200 else "")
    return texts


def test_a_publication_shows_on_every_page_and_feed(site, client, home, committed):
    read(client, "/en/", "/en/press-releases/", "/en/rss/", "/fr/flux/communiques/")
    with committed():
        build_release(home, site["trial"], title_en="Second release", slug_en="2nd")
    home_page, listing, feed, french_feed = read(
        client, "/en/", "/en/press-releases/", "/en/rss/", "/fr/flux/communiques/"
    )
    assert "Second release" in home_page
    assert "Second release" in listing
    assert "Second release" in feed
    assert french_feed.count("<item>") == 2


def test_a_scheduled_release_shows_at_its_embargo_from_the_scheduler(
    site, client, home, committed
):
    """At the embargo the scheduler (its own process in production) lifts the
    release; cached pages and feeds show it at the next request."""
    embargo = timezone.now().replace(microsecond=0) + datetime.timedelta(days=2)
    release = build_release(
        home, site["trial"], live=False, title_en="Lifted news", slug_en="lifted"
    )
    release.go_live_at = embargo
    with committed():
        release.save_revision().publish()
    urls = ["/en/", "/en/press-releases/", "/en/rss/", url_in(site["trial"], "en")]
    assert not any("Lifted news" in text for text in read(client, *urls))
    with time_machine.travel(embargo + datetime.timedelta(seconds=30), tick=False):
        with committed():
            call_command("publish_scheduled", stdout=StringIO())
        assert all("Lifted news" in text for text in read(client, *urls))
        assert client.get(url_in(release, "en")).status_code == 200


def test_unpublishing_moving_and_deleting_show_at_once(site, client, committed):
    release = site["release"]
    old_url = url_in(release, "en")
    urls = ["/en/press-releases/", "/en/rss/", url_in(site["trial"], "en")]
    assert all("First release" in text for text in read(client, old_url, *urls))

    with committed():
        release.unpublish()
    assert client.get(old_url).status_code == 404
    assert not any("First release" in text for text in read(client, *urls))

    with committed():
        release.save_revision().publish()
    assert all("First release" in text for text in read(client, old_url, *urls))
    with committed():
        release.move(site["trial"], pos="last-child")
    release.refresh_from_db()
    assert url_in(release, "en") != old_url
    assert client.get(url_in(release, "en")).status_code == 200
    assert "First release" not in read(client, "/en/press-releases/")[0]

    with committed():
        Page.objects.get(pk=release.pk).delete()
    assert client.get(url_in(site["trial"], "en")).status_code == 200
    assert not any("First release" in text for text in read(client, *urls))


def test_a_translation_edit_shows_in_its_language(site, client, committed):
    release = site["release"]
    urls = [url_in(release, "en"), "/en/press-releases/", "/en/rss/"]
    read(client, *urls)
    release.title_en = "First release, corrected"
    with committed():
        release.save_revision().publish()
    assert all("First release, corrected" in text for text in read(client, *urls))


def test_contact_organisation_and_trial_edits_show_on_the_pages_naming_them(
    site, client, committed
):
    """A contact's phone, an organisation's name and a trial's name appear on
    other pages (the release, listings, feeds): they change there too."""
    release, contact, trial = site["release"], site["contact"], site["trial"]
    release_url = url_in(release, "en")
    read(client, release_url, "/en/rss/", "/en/press-releases/")

    contact.phone = "+33 4 00 00 00 01"
    with committed():
        contact.save_revision().publish()
    assert "+33 4 00 00 00 01" in read(client, release_url)[0]

    organisation = PressRelease.objects.get(pk=release.pk).organisation
    organisation.name_en = "Renamed University Hospital"
    with committed():
        organisation.save()
    page, feed = read(client, release_url, "/en/rss/")
    assert "Renamed University Hospital" in page
    assert "Renamed University Hospital" in feed

    trial = Trial.objects.get(pk=trial.pk)
    trial.title_en = "MIROCALS-2"
    with committed():
        trial.save_revision().publish()
    assert "MIROCALS-2" in read(client, release_url)[0]


def test_a_glossary_definition_changes_on_the_summaries_using_it(
    site, client, committed
):
    """The glossary's definitions are printed on the lay summaries that use
    its words: a definition changed shows there at once."""
    with committed():
        term = placebo_term()
        summary = build_summary(
            site["trial"],
            treatments_fr="Certains ont reçu un placebo.",
            treatments_en="Some got a placebo.",
        )
    url = url_in(summary, "en")
    assert "A product with no active medicine." in read(client, url)[0]
    term.definition_en = "A dummy pill."
    with committed():
        term.save()
    assert "A dummy pill." in read(client, url)[0]


def test_a_privacy_setting_hides_a_cached_page_at_once(site, client, committed):
    url = url_in(site["release"], "en")
    read(client, url)
    with committed():
        PageViewRestriction.objects.create(
            page=site["release"], restriction_type="password", password="x"
        )
    assert "First release" not in client.get(url).content.decode()


def test_nothing_expires_before_the_commit(site, client, home, committed):
    """A change rolled back, or still being committed, leaves the cache: no
    reader gets the old page under the new version."""
    read(client, "/en/press-releases/")
    version = content_version.version()
    build_release(home, site["trial"], title_en="Uncommitted", slug_en="uncommitted")
    assert content_version.version() == version


# A cache that is down -------------------------------------------------------


def test_a_cache_that_is_down_serves_pages_uncached(
    site, client, cache_down, caplog, committed, monkeypatch
):
    """Redis unreachable: readers get every page (200), built for them, and
    editors can still publish; the operators are told once."""
    monkeypatch.setattr(soft_cache, "_last_warning", None)
    for url in [*public_urls(site), "/sitemap.xml", "/sitemap-pages.xml"]:
        assert client.get(url).status_code == 200, url
    assert caplog.text.count("Cache unavailable") == 1
    release = site["release"]
    release.title_en = "Published while the cache is down"
    with committed():
        release.save_revision().publish()
    assert "Published while the cache is down" in client.get(url_in(release, "en")).text


def test_a_feed_opened_in_a_browser_and_in_a_reader_are_cached_apart(site, client):
    """A browser gets the page about the feed, a feed reader the RSS, each
    from the cache the second time."""
    for _ in range(2):
        page = client.get("/en/rss/", HTTP_SEC_FETCH_DEST="document")
        assert page["Content-Type"].startswith("text/html")
        assert "How to subscribe" in page.text
        rss = client.get("/en/rss/")
        assert rss["Content-Type"].startswith("application/xml")
        assert b"<rss" in rss.content


def test_alert_pages_are_never_cached(site, client):
    """A confirmation or unsubscription page is someone's own."""
    subscription = AlertSubscription.objects.create(
        site=Site.objects.get(is_default_site=True),
        email="a@example.org",
        language="en",
    )
    url = reverse("alert_unsubscribe", args=(subscription.token,))
    assert "a@example.org" in client.get(url).text
    client.post(url)
    assert "a@example.org" not in client.get(url).text
