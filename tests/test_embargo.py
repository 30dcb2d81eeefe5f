"""Before its embargo, nothing of a release or statement is public, by any
route; from the embargo minute on, it is everywhere at once."""

import datetime
from contextlib import nullcontext
from io import StringIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from wagtail.documents import get_document_model

import pytest
import time_machine

from announcements import teams
from announcements.models import HomePage, LaySummary, PressRelease
from press.models import EmbargoPreviewLink
from tests.factories import (
    JournalistFactory,
    build_position,
    build_release,
    build_trial,
    feed_url,
    url_in,
)
from tests.support import create_user, module_data, press_sign_in, read_sitemap

EMBARGO = timezone.now().replace(microsecond=0) + datetime.timedelta(days=2)
STATES = ["draft", "in_review", "scheduled", "lifted"]
WORD = "Zéphyrine"


class Embargoed:
    """A release (with an attached document) and a statement in one state."""

    def __init__(self, home, make_user, state):
        self.state = state
        self.trial = build_trial(home, registry_id="NCT01234567")
        # Uploaded as an editor uploads: into the newsroom's collection.
        self.document = get_document_model().objects.create(
            title="Dossier de presse",
            collection=teams.collection_of(home.get_site()),
            file=ContentFile(b"%PDF-1.4 embargoed", name="dossier.pdf"),
        )
        self.release = build_release(
            home,
            self.trial,
            live=False,
            title_fr=f"Communiqué {WORD}",
            title_en=f"Release {WORD}",
            slug_fr="communique-embargo",
            slug_en="embargoed-release",
        )
        self.release.attachments.create(document=self.document)
        self.release.save_revision()
        self.release.save()  # as the admin saves a draft with its attachments
        self.position = build_position(
            home,
            self.trial,
            live=False,
            title_fr=f"Position {WORD}",
            title_en=f"Statement {WORD}",
            slug_fr="position-embargo",
            slug_en="embargoed-statement",
        )
        self.summary = LaySummary(
            live=False,
            title=f"Pour les patients {WORD}",
            title_fr=f"Pour les patients {WORD}",
            title_en=f"For patients {WORD}",
            slug="pour-les-patients",
            slug_fr="pour-les-patients",
            slug_en="for-patients",
            results_fr=f"Résultats {WORD}.",
            results_en=f"Results {WORD}.",
            limits_fr="Limites.",
            limits_en="Limits.",
        )
        self.trial.add_child(instance=self.summary)
        self.summary.save_revision()
        self.pages = [self.release, self.position, self.summary]
        if state == "in_review":
            editor = make_user("edith", "Editors")
            for page in self.pages:
                page.save_revision(user=editor)
                page.get_workflow().start(page, editor)
        if state in ("scheduled", "lifted"):
            for page in self.pages:
                page.go_live_at = EMBARGO
                page.save_revision().publish()
                page.refresh_from_db()
                assert not page.live

    def clock(self):
        """The time the checks run at: after the lift, for the lifted state."""
        if self.state != "lifted":
            return nullcontext()
        return time_machine.travel(EMBARGO + datetime.timedelta(seconds=30), tick=False)

    @property
    def public(self):
        return self.state == "lifted"


@pytest.fixture(scope="class", params=STATES)
def built(request, site_tree_once, django_db_blocker):
    """Each state built once for ``TestEveryDoor``, whose tests only read it."""
    with module_data(django_db_blocker):
        item = Embargoed(
            HomePage.objects.get(pk=site_tree_once), create_user, request.param
        )
        if item.public:
            with item.clock():
                call_command("publish_scheduled", stdout=StringIO())
        yield item


@pytest.fixture
def item(built, db):
    return built


class TestEveryDoor:
    """Each door, for each state of the matrix (built once per state)."""

    def test_page_in_both_languages_and_both_slugs(self, item, client):
        with item.clock():
            for page in item.pages:
                for language in ("fr", "en"):
                    status = client.get(url_in(page, language)).status_code
                    assert status == (200 if item.public else 404), (page, language)

    def test_index_pages_and_home(self, item, client, home):
        with item.clock():
            for url in (
                "/fr/communiques/",
                "/en/press-releases/",
                "/fr/prises-de-position/",
                "/en/statements/",
                "/fr/",
                "/en/",
            ):
                html = client.get(url).text
                if url in ("/fr/", "/en/"):
                    # The home page lists the latest releases only.
                    assert (
                        f"Release {WORD}" in html or f"Communiqué {WORD}" in html
                    ) == (item.public), url
                else:
                    assert (WORD in html) == item.public, url

    def test_every_feed(self, item, client):
        """Every feed, as feed readers read it and as a browser shows it."""
        with item.clock():
            for language in ("fr", "en"):
                for url in (
                    feed_url(language),
                    feed_url(language, "releases"),
                    feed_url(language, "positions"),
                    feed_url(language, "trial", "NCT01234567"),
                ):
                    for browser in ({}, {"HTTP_SEC_FETCH_DEST": "document"}):
                        response = client.get(url, **browser)
                        assert response.status_code == 200, url
                        content = response.content.decode()
                        assert (WORD in content) == item.public, (url, browser)

    def test_site_search(self, item, client):
        with item.clock():
            for url in ("/fr/recherche/", "/en/search/"):
                html = client.get(url, {"q": WORD}).text
                assert (
                    "communique-embargo" in html or "embargoed-release" in html
                ) == (item.public)
                assert ("pour-les-patients" in html or "for-patients" in html) == (
                    item.public
                )

    def test_sitemap(self, item, client):
        with item.clock():
            xml = " ".join(read_sitemap(client))
        for slug in (
            "communique-embargo",
            "embargoed-release",
            "embargoed-statement",
            "pour-les-patients",
            "for-patients",
        ):
            assert (slug in xml) == item.public, slug

    def test_attached_document(self, item, client, make_user):
        with item.clock():
            response = client.get(item.document.url)
            assert response.status_code == (200 if item.public else 404)
            # Editors and reviewers can still open it.
            client.force_login(make_user("rita", "Medical reviewers"))
            assert client.get(item.document.url).status_code == 200

    def test_press_kit(self, item, client):
        """The press kit is public with the release, and a statement has none."""
        with item.clock():
            for url in (
                f"/fr/dossier-de-presse/{item.release.pk}.zip",
                f"/en/press-kit/{item.release.pk}.zip",
                f"/en/press-kit/{item.position.pk}.zip",
            ):
                response = client.get(url)
                public = item.public and f"/{item.release.pk}.zip" in url
                assert response.status_code == (200 if public else 404), url
                if not public:
                    assert WORD not in response.content.decode()

    def test_share_card(self, item, client):
        """The card the newsroom draws shows the headline: none before the lift."""
        with item.clock():
            for model, pk in (
                (type(item.release), item.release.pk),
                (type(item.position), item.position.pk),
            ):
                page = model.objects.get(pk=pk)
                for language in ("fr", "en"):
                    url = (
                        f"/{language}/share/{page.pk}-{page.live_revision_id or 0}.png"
                    )
                    response = client.get(url, follow=True)
                    assert response.status_code == (200 if item.public else 404), url

    def test_lay_summary_in_the_trials_api_and_json_ld(self, item, client):
        """The trial is public in every state; its lay summary shows in its
        record (API, JSON-LD) only from the lift."""
        with item.clock():
            for language in ("fr", "en"):
                data = client.get(f"/{language}/api/v2/trials/{item.trial.pk}/")
                assert (WORD in data.content.decode()) == item.public
                assert (data.json()["lay_summary"] is not None) == item.public
                html = client.get(url_in(item.trial, language)).text
                json_ld = html.split('application/ld+json">', 1)[1].split("</script>")[
                    0
                ]
                assert ("MedicalWebPage" in json_ld) == item.public

    def test_read_api(self, item, client):
        """The API lists and serves an item, and names its organisation, only
        once it is public, in either language."""
        with item.clock():
            for prefix in ("/api/v2", "/fr/api/v2", "/en/api/v2"):
                for endpoint, page in (
                    ("releases", item.release),
                    ("statements", item.position),
                ):
                    for query in (
                        "",
                        "?locale=en",
                        "?fields=*",
                        f"?search={WORD}",
                        f"?search={WORD}&order=-date&fields=*",
                    ):
                        listing = client.get(f"{prefix}/{endpoint}/{query}")
                        assert listing.status_code == 200
                        assert (WORD in listing.content.decode()) == item.public
                    detail = client.get(f"{prefix}/{endpoint}/{page.pk}/", follow=True)
                    assert detail.status_code == (200 if item.public else 404)
                    assert detail["Content-Type"] == "application/json"
                    assert (WORD in detail.content.decode()) == item.public
                organisations = client.get(f"{prefix}/organisations/").json()["items"]
                named = {organisation["id"] for organisation in organisations}
                assert (item.release.organisation_id in named) == item.public
                organisation = client.get(
                    f"{prefix}/organisations/{item.release.organisation_id}/",
                    follow=True,
                )
                assert organisation.status_code == (200 if item.public else 404)

    def test_public_calendars(self, item, client):
        with item.clock():
            for url in (
                "/fr/calendrier.ics",
                "/en/calendar.ics",
                "/fr/calendrier/NCT01234567.ics",
                "/en/calendar/NCT01234567.ics",
            ):
                content = client.get(url).content.decode()
                assert (WORD in content) == item.public, url

    def test_press_area(self, item, client):
        """Only an approved journalist given the item reads it, only while it is
        approved and scheduled (never a draft or an item in review); after the
        lift its address leads to the public page."""
        everything = JournalistFactory(all_embargoed=True)
        nothing = JournalistFactory(all_embargoed=False)
        scheduled = item.state == "scheduled"
        with item.clock():
            # The press area carries releases and statements; a lay summary is
            # for patients, public at its lift like any page.
            for page in (item.release, item.position):
                for language, area in (("fr", "presse"), ("en", "press")):
                    url = f"/{language}/{area}/{page.pk}/"
                    client.logout()
                    anonymous = client.get(url)
                    assert anonymous.status_code == 302 and WORD not in anonymous.text
                    for journalist, allowed in ((everything, True), (nothing, False)):
                        press_sign_in(client, journalist)
                        response = client.get(url)
                        if item.public:
                            assert response.status_code == 302
                            assert response["Location"] == url_in(page, language)
                        else:
                            expected = 200 if scheduled and allowed else 404
                            assert response.status_code == expected, (url, journalist)
                            assert (WORD in response.text) == (expected == 200)
                        listing = client.get(f"/{language}/{area}/").text
                        assert (WORD in listing) == (scheduled and allowed)

    def test_trial_page_list_of_statements(self, item, client):
        with item.clock():
            html = client.get(url_in(item.trial, "en")).text
        assert (WORD in html) == item.public


def test_no_stale_cache_after_the_lift(
    home, make_user, client, page_cache_on, committed
):
    """With the page cache on, as in production: pages and feeds read (and
    cached) before the embargo never show the item before it, and show it
    at the first request after the scheduler lifts it."""
    item = Embargoed(home, make_user, "scheduled")
    page_url = url_in(item.release, "en")
    urls = [
        "/en/",
        "/fr/communiques/",
        "/en/statements/",
        url_in(item.trial, "en"),
        "/en/rss/",
        "/fr/flux/essais/NCT01234567/",
    ]
    search = f"/en/search/?q={WORD}"  # the query is repeated, not the item
    for _ in range(2):  # the second read comes from the cache
        assert client.get(page_url).status_code == 404
        for url in urls:
            assert WORD not in client.get(url).content.decode(), url
        assert "embargoed-release" not in client.get(search).text
    feed = client.get("/en/rss/")
    with time_machine.travel(EMBARGO + datetime.timedelta(seconds=20), tick=False):
        with committed():
            call_command("publish_scheduled", stdout=StringIO())
        assert client.get(page_url).status_code == 200
        for url in urls:
            assert WORD in client.get(url).content.decode(), url
        assert "embargoed-release" in client.get(search).text
        assert any("embargoed-release" in loc for loc in read_sitemap(client))
        fresh = client.get("/en/rss/", HTTP_IF_NONE_MATCH=feed["ETag"])
        assert fresh.status_code == 200 and WORD in fresh.content.decode()


def test_scheduled_release_is_dated_at_its_embargo(home, make_user):
    item = Embargoed(home, make_user, "scheduled")
    with time_machine.travel(EMBARGO + datetime.timedelta(seconds=50), tick=False):
        call_command("publish_scheduled", stdout=StringIO())
    release = PressRelease.objects.get(pk=item.release.pk)
    assert release.live and release.first_published_at == EMBARGO


class TestJournalistPreviewLink:
    """A secret link shows a scheduled release to journalists, marked, until
    the embargo lifts or the link is revoked."""

    @pytest.fixture
    def scheduled(self, home, make_user):
        return Embargoed(home, make_user, "scheduled")

    def make_link(self, page, **kwargs):
        link = EmbargoPreviewLink(page=page, label="Desk santé", **kwargs)
        link.full_clean()
        link.save()
        return link

    def test_link_shows_the_release_marked_and_not_indexable(self, scheduled, client):
        link = self.make_link(scheduled.release)
        assert link.expires_at is None  # until the lift
        response = client.get(link.url_in("en"))
        assert response.status_code == 200
        html = response.content.decode()
        assert f"Release {WORD}" in html
        assert "EMBARGOED UNTIL" in html
        assert '<meta name="robots" content="noindex, nofollow">' in html
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert "no-store" in response["Cache-Control"]
        french = client.get(link.url_in("fr")).content.decode()
        assert f"Communiqué {WORD}" in french and "SOUS EMBARGO JUSQU’AU" in french

    def test_revoked_or_unknown_link_is_not_found(self, scheduled, client):
        link = self.make_link(scheduled.release)
        url = link.url_in("en")
        link.revoked_at = timezone.now()
        link.save()
        response = client.get(url)
        assert response.status_code == 404 and WORD not in response.content.decode()
        assert client.get("/en/embargo/not-a-token/").status_code == 404

    def test_a_link_for_a_public_item_is_refused(self, home, client):
        trial = build_trial(home)
        live = build_release(home, trial)
        with pytest.raises(Exception, match="already public"):
            self.make_link(live, expires_at=EMBARGO)


def test_documents_not_carried_by_a_live_page_are_private(home, make_user, client):
    """A document uploaded but not yet attached, or attached by a scheduled
    change to a live release, is not served before that change is live."""
    document_model = get_document_model()
    loose = document_model.objects.create(
        title="Brouillon", file=ContentFile(b"%PDF-1.4 loose", name="loose.pdf")
    )
    assert client.get(loose.url).status_code == 404

    release = build_release(home, build_trial(home, registry_id="NCT07654321"))
    extra = document_model.objects.create(
        title="Annexe", file=ContentFile(b"%PDF-1.4 annex", name="annexe.pdf")
    )
    release.attachments.create(document=extra)
    release.go_live_at = EMBARGO
    release.save_revision().publish()  # scheduled change of a live release
    assert client.get(extra.url).status_code == 404
    with time_machine.travel(EMBARGO + datetime.timedelta(seconds=30), tick=False):
        call_command("publish_scheduled", stdout=StringIO())
        assert client.get(extra.url).status_code == 200


def test_preview_links_need_an_approved_schedule(home, make_user):
    item = Embargoed(home, make_user, "draft")
    link = EmbargoPreviewLink(page=item.release, expires_at=EMBARGO)
    with pytest.raises(ValidationError) as error:
        link.full_clean()
    assert "page" in error.value.message_dict


def test_preview_language_switch_stays_on_preview_links(home, make_user, client):
    item = Embargoed(home, make_user, "scheduled")
    link = EmbargoPreviewLink(page=item.release)
    link.full_clean()
    link.save()
    html = client.get(link.url_in("fr")).content.decode()
    assert f'href="{link.url_in("en")}"' in html
    assert 'rel="canonical"' not in html
    assert item.release.url_path_en.split("/")[-2] not in html.split("<main")[0]


class TestWhatRemainedOfTheLeaks:
    """Related records, old addresses, feed validators and attachments tell
    nothing of what is not public."""

    def test_a_statement_shows_nothing_of_a_trial_record_not_yet_public(
        self, home, client
    ):
        secret = build_trial(
            home,
            live=False,
            title_fr="SECRETRIAL",
            title_en="SECRETRIAL",
            registry_id="NCT09999999",
        )
        Page_ = type(secret)
        Page_.objects.filter(pk=secret.pk).update(
            primary_endpoint_result_en="Secret result"
        )
        statement = build_position(home, secret, title_en="Public statement")
        for language in ("fr", "en"):
            html = client.get(url_in(statement, language)).content.decode()
            assert "Public statement" in html or language == "fr"
            for word in ("SECRETRIAL", "NCT09999999", "Secret result"):
                assert word not in html, (language, word)
            feed = client.get(feed_url(language)).content.decode()
            assert "SECRETRIAL" not in feed

    def test_an_old_address_does_not_lead_to_a_page_not_yet_public(self, home, client):
        """Renamed while withdrawn, then scheduled: the old address is not
        found, and the new one (from an embargoed headline) is not told."""
        trial = build_trial(home)
        release = build_release(home, trial, slug_fr="ancien", slug_en="old")
        old = url_in(release, "en")
        assert client.get(old).status_code == 200
        release.slug_en = "renamed"
        release.save_revision().publish()
        assert client.get(old).status_code == 301  # renamed while live: followed
        release.unpublish()
        release = PressRelease.objects.get(pk=release.pk)
        release.slug_fr, release.slug_en = "secret-fr", "secret-headline"
        release.go_live_at = EMBARGO
        release.save_revision().publish()
        for url in (old, "/fr/communiques/ancien/", "/en/press-releases/renamed/"):
            response = client.get(url)
            assert response.status_code == 404, url
            assert "secret" not in response.get("Location", ""), url

    def test_feed_validators_change_only_with_public_content(self, home, client):
        trial = build_trial(home)
        build_release(home, trial)
        first = client.get("/en/rss/")
        draft = build_release(home, trial, live=False)
        assert client.get("/en/rss/")["ETag"] == first["ETag"]
        draft.delete()
        unchanged = client.get("/en/rss/")
        assert unchanged["ETag"] == first["ETag"]
        assert unchanged["Last-Modified"] == first["Last-Modified"]
        with time_machine.travel(datetime.timedelta(minutes=5)):
            live = build_release(home, trial, title_en="Withdrawn later")
            second = client.get("/en/rss/")
            assert second["ETag"] != first["ETag"]
        with time_machine.travel(datetime.timedelta(minutes=10)):
            live.delete()
            third = client.get("/en/rss/")
        assert third["ETag"] not in (first["ETag"], second["ETag"])
        assert third["Last-Modified"] != second["Last-Modified"]

    def test_a_preview_link_opens_its_releases_attachments_and_nothing_else(
        self, home, make_user, client
    ):
        item = Embargoed(home, make_user, "scheduled")
        other = get_document_model().objects.create(
            title="Autre", file=ContentFile(b"%PDF-1.4 other", name="other.pdf")
        )
        link = EmbargoPreviewLink(page=item.release, label="Desk")
        link.full_clean()
        link.save()
        html = client.get(link.url_in("en")).content.decode()
        url = f"/en/embargo/{link.token}/documents/{item.document.pk}/"
        assert f'href="{url}"' in html
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 embargoed"
        assert "no-store" in response["Cache-Control"]
        assert client.get(item.document.url).status_code == 404
        other_url = f"/en/embargo/{link.token}/documents/{other.pk}/"
        assert client.get(other_url).status_code == 404
        link.revoked_at = timezone.now()
        link.save()
        assert client.get(url).status_code == 404
