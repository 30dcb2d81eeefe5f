"""Varnish in front, as large sites run Wagtail: readers get public pages
from it, a publication is on every page at once through it, and nothing
personal, embargoed or logged-in is ever served from it to someone else.

Real processes: Debian's varnishd (``make setup-dev`` installs it) on free
ports, with the project's VCL (``deploy/varnish/newsroom.vcl``) and one
backend, the test's live server, whose page cache is on as in production.
Changes are made through the real publishing path, in the live server's
database, and Varnish is banned as in production (``VARNISH_URL``).
"""

import datetime
import gzip
import http.client
import re
import shutil
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.test import Client
from django.utils import timezone

from wagtail.models import PageViewRestriction

import pytest
import time_machine

from announcements.models import Institution
from announcements.site_tree import ensure_site_tree
from newsroom.tasks import waiting
from newsroom.varnish import ban_again
from press.models import EmbargoPreviewLink
from tests.factories import JournalistFactory, build_release, build_trial, url_in
from tests.support import (
    ROOT,
    Processes,
    free_port,
    press_sign_in,
    run_worker,
    wait_until,
)

pytestmark = [pytest.mark.varnish, pytest.mark.usefixtures("page_cache_on")]

VCL = ROOT / "deploy" / "varnish" / "newsroom.vcl"


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    text: str


class Varnish:
    def __init__(self, port, purge_port):
        self.port = port
        self.purge_port = purge_port

    def request(self, method, path, cookie=None, body=None, headers=(), port=None):
        """One request as a browser sends it (gzip accepted), redirects not
        followed."""
        connection = http.client.HTTPConnection(
            "127.0.0.1", port or self.port, timeout=30
        )
        sent = {"Accept-Encoding": "gzip", **dict(headers)}
        if cookie:
            sent["Cookie"] = cookie
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        if response.getheader("Content-Encoding") == "gzip":
            content = gzip.decompress(content)
        return Answer(response.status, response.headers, content.decode())

    def get(self, path, cookie=None):
        return self.request("GET", path, cookie=cookie)

    def ban(self):
        """What the app servers send after a public change."""
        return self.request("BAN", "/", port=self.purge_port)


@pytest.fixture(scope="module")
def varnishd(live_server, tmp_path_factory):
    """varnishd on free ports (readers', and the purge address), in front of
    the live server: started once for the module."""
    varnishd = shutil.which("varnishd")
    assert varnishd, "varnishd is missing: `make setup-dev` installs it (apt)"
    work = tmp_path_factory.mktemp("varnish")
    backend = urlsplit(live_server.url)
    (work / "newsroom-backends.vcl").write_text(
        f'backend live {{ .host = "{backend.hostname}"; .port = "{backend.port}"; }}\n'
        "sub vcl_init { app_servers.add_backend(live); }\n"
    )
    port, purge_port = free_port(), free_port()
    processes = Processes(work)
    process, log = processes.start(
        "varnishd",
        [varnishd, "-F", "-j", "none", "-n", str(work / "state")]
        + ["-a", f"127.0.0.1:{port}", "-a", f"purge=127.0.0.1:{purge_port}"]
        + ["-f", str(VCL), "-p", f"vcl_path={work}", "-s", "malloc,32m"],
    )
    varnish = Varnish(port, purge_port)
    try:
        wait_until(lambda: varnish.ban().status == 200, "varnishd", process, log)
        yield varnish
    finally:
        processes.stop()


@pytest.fixture
def varnish(varnishd, settings):
    """Varnish, emptied, and the site set up as with ``VARNISH_URL``."""
    settings.VARNISH_CACHE_SECONDS = 3600
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "newsroom.varnish.VarnishBanBackend",
            "LOCATION": f"http://127.0.0.1:{varnishd.purge_port}",
        }
    }
    assert varnishd.ban().status == 200
    return varnishd


@pytest.fixture
def site(transactional_db):
    home = ensure_site_tree()
    # As on a site that has served a page: the first one saves the
    # institution setting, a public change made while it is built.
    Institution.for_site(home.get_site())
    trial = build_trial(home, title_en="MIROCALS", registry_id="NCT03039673")
    release = build_release(
        home, trial, title_en="First release", slug_en="first", slug_fr="premier"
    )
    return {"home": home, "trial": trial, "release": release}


def test_public_pages_are_served_by_varnish_from_the_second_reader_on(site, varnish):
    """Pages, listings, the trial page, feeds, the calendar, search and the
    sitemap: the second reader gets Varnish's copy. Readers are not told to
    keep it longer than the app says (s-maxage is Varnish's alone)."""
    release, trial = site["release"], site["trial"]
    for path in [
        "/en/",
        "/fr/",
        "/en/press-releases/",
        url_in(release, "en"),
        url_in(release, "fr"),
        url_in(trial, "en"),
        "/en/rss/",
        "/fr/flux/communiques/",
        "/en/calendar.ics",
        "/en/search/?q=release",
        "/sitemap.xml",
        "/sitemap-pages.xml",
    ]:
        first = varnish.get(path)
        assert first.status == 200, path
        assert first.headers["X-Cache"] == "MISS", path
        again = varnish.get(path)
        assert again.status == 200, path
        assert again.headers["X-Cache"] == "HIT", path
        assert again.text == first.text, path
        assert "s-maxage" not in again.headers.get("Cache-Control", ""), path
    # Readers cannot empty it: BAN is for the app servers' address only.
    assert varnish.request("BAN", "/").status == 405
    assert varnish.get("/en/").headers["X-Cache"] == "HIT"


def test_a_publication_is_on_every_page_through_varnish_at_once(site, varnish):
    """A correction, a new release and a withdrawal, published as editors
    publish, are on the page, the listing, the home page, the trial page,
    the feed and the sitemap at the next request, although every one was in
    Varnish."""
    home, trial, release = site["home"], site["trial"], site["release"]
    showing_it = [
        "/en/",
        "/en/press-releases/",
        url_in(trial, "en"),
        "/en/rss/",
        f"/en/rss/trials/{trial.registry_id}/",
    ]
    page = url_in(release, "en")
    for path in [page, *showing_it, "/sitemap-pages.xml"]:
        varnish.get(path)
        assert varnish.get(path).headers["X-Cache"] == "HIT", path

    release.title_en = "Corrected release"
    release.save_revision().publish()
    for path in [page, *showing_it]:
        answer = varnish.get(path)
        assert "Corrected release" in answer.text, path
        assert "First release" not in answer.text, path

    second = build_release(home, trial, title_en="Second release", slug_en="second")
    for path in showing_it:
        assert "Second release" in varnish.get(path).text, path
    assert url_in(second, "en") in varnish.get("/sitemap-pages.xml").text

    second.unpublish()
    assert varnish.get(url_in(second, "en")).status == 404
    for path in showing_it:
        assert "Second release" not in varnish.get(path).text, path


def test_a_page_built_while_a_public_change_is_made_is_not_kept(
    transactional_db, varnish
):
    """Such an answer may hold the content from before the change, and the
    ban may be sent before Varnish has it: Varnish does not keep it. Here the
    change is the first page's own: a new site's first page saves the
    institution setting."""
    ensure_site_tree()
    assert not Institution.objects.exists()
    assert varnish.get("/en/").headers["X-Cache"] == "PASS"
    assert Institution.objects.exists()
    assert varnish.get("/en/").headers["X-Cache"] == "MISS"
    assert varnish.get("/en/").headers["X-Cache"] == "HIT"


@pytest.fixture
def unreachable(settings, varnish):
    """Varnish's purge address out of reach; called, it is back."""
    reachable = settings.WAGTAILFRONTENDCACHE
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "newsroom.varnish.VarnishBanBackend",
            "LOCATION": f"http://127.0.0.1:{free_port()}",
        }
    }

    def reach():
        settings.WAGTAILFRONTENDCACHE = reachable

    return reach


def bans_waiting():
    """The bans queued for the worker, due or not: their arguments."""
    return list(waiting(ban_again).values_list("args_kwargs", flat=True))


def test_a_ban_varnish_did_not_take_is_sent_again_until_it_does(
    site, varnish, unreachable, caplog
):
    """A withdrawal while Varnish's purge address is out of reach: it is
    made, and the operators are told. Varnish still serves the page, so the
    worker sends the ban again (a minute later, then two, …) to the address
    configured then, and the page is gone from Varnish once it takes it."""
    release = site["release"]
    page = url_in(release, "en")
    varnish.get(page)
    assert varnish.get(page).headers["X-Cache"] == "HIT"

    release.unpublish()
    release.refresh_from_db()
    assert not release.live
    assert "did not ban its copies" in caplog.text
    assert varnish.get(page).status == 200, "Varnish's copy, until the ban"
    withdrawn = timezone.now()

    with time_machine.travel(withdrawn + datetime.timedelta(seconds=61), tick=False):
        run_worker()
    assert varnish.get(page).status == 200
    assert [ban["kwargs"]["attempt"] for ban in bans_waiting()] == [2]

    unreachable()
    with time_machine.travel(withdrawn + datetime.timedelta(minutes=4), tick=False):
        run_worker()
    assert varnish.get(page).status == 404
    assert bans_waiting() == []


def test_changes_made_while_varnish_is_away_are_banned_by_one_retry(
    site, varnish, unreachable, caplog
):
    """Every ban bans everything: through an outage the worker sends the
    newest change's retry only, not one per change (each may hold it for
    seconds, ahead of the alerts), and that one takes the pages down."""
    release, page = site["release"], url_in(site["release"], "en")
    varnish.get(page)
    start = timezone.now()
    for seconds, title in enumerate(["First", "Second", "Third"]):
        with time_machine.travel(
            start + datetime.timedelta(seconds=seconds), tick=False
        ):
            release.title_en = f"{title} correction"
            release.save_revision().publish()
    failures = sorted(ban["args"][0] for ban in bans_waiting())
    assert len(failures) == 3

    caplog.clear()
    with time_machine.travel(start + datetime.timedelta(seconds=90), tick=False):
        run_worker()
    assert caplog.text.count("did not ban its copies") == 1
    assert [(ban["args"][0], ban["kwargs"]["attempt"]) for ban in bans_waiting()] == [
        (failures[-1], 2)
    ]

    unreachable()
    with time_machine.travel(start + datetime.timedelta(minutes=4), tick=False):
        run_worker()
    assert "Third correction" in varnish.get(page).text
    assert bans_waiting() == []


def test_a_ban_is_no_longer_sent_once_the_copies_have_expired(
    site, varnish, unreachable, caplog, settings
):
    """Varnish keeps a copy ``VARNISH_CACHE_SECONDS`` at most: past that, the
    worker stops trying, and says so."""
    release = site["release"]
    release.title_en = "Published while Varnish is away"
    release.save_revision().publish()
    later = timezone.now() + datetime.timedelta(seconds=settings.VARNISH_CACHE_SECONDS)
    with time_machine.travel(later, tick=False):
        run_worker()
    assert bans_waiting() == []
    assert "Varnish never took the ban" in caplog.text


def test_an_editors_admin_and_a_journalists_press_area_stay_theirs(
    site, varnish, make_user
):
    """Logged in through Varnish, the editor gets the admin and the
    journalist the press area; the next reader, on the same addresses, gets
    the login pages."""
    editor = Client()
    editor.force_login(make_user("edith", "Editors"))
    editor_cookie = f"sessionid={editor.cookies['sessionid'].value}"
    journalist = JournalistFactory(name="Jeanne Reporter")
    press = press_sign_in(Client(), journalist)
    journalist_cookie = f"sessionid={press.cookies['sessionid'].value}"

    for _ in range(2):
        admin = varnish.get("/admin/", cookie=editor_cookie)
        assert admin.status == 200 and "edith" in admin.text
        area = varnish.get("/fr/presse/", cookie=journalist_cookie)
        assert area.status == 200 and "Jeanne Reporter" in area.text
    anonymous_admin = varnish.get("/admin/")
    assert anonymous_admin.status == 302
    assert "/admin/login/" in anonymous_admin.headers["Location"]
    anonymous_area = varnish.get("/fr/presse/")
    assert anonymous_area.status == 302
    assert "/fr/presse/connexion/" in anonymous_area.headers["Location"]

    # A public page read while logged in is not kept for the next reader.
    assert varnish.get("/en/", cookie=editor_cookie).headers["X-Cache"] == "PASS"
    assert varnish.get("/en/").headers["X-Cache"] == "MISS"


def test_an_embargo_link_is_read_from_the_app_each_time(site, varnish):
    """A journalist's secret link shows the embargoed release; once the press
    office revokes it, the next reading is refused: no copy was kept."""
    scheduled = build_release(
        site["home"],
        site["trial"],
        live=False,
        title_en="Embargoed release",
        slug_en="embargoed",
    )
    scheduled.go_live_at = timezone.now() + datetime.timedelta(days=1)
    scheduled.save_revision().publish()
    link = EmbargoPreviewLink(page=scheduled, label="Desk")
    link.full_clean()
    link.save()
    url = link.url_in("en")
    for _ in range(2):
        answer = varnish.get(url)
        assert answer.status == 200 and "Embargoed release" in answer.text
        assert answer.headers["X-Cache"] != "HIT"
    assert varnish.get(url_in(scheduled, "en")).status == 404
    link.revoked_at = timezone.now()
    link.save()
    assert varnish.get(url).status == 404


def test_a_page_opened_with_its_password_is_not_served_to_the_next_reader(
    site, varnish
):
    """A page behind a password: the reader who gives it reads the page (a
    session cookie); the next reader, at the same address, gets the form."""
    release = site["release"]
    PageViewRestriction.objects.create(
        page=release, restriction_type="password", password="x"
    )
    url = url_in(release, "en")
    form = varnish.get(url)
    assert form.status == 200 and "First release" not in form.text
    csrf_cookie = re.search(r"csrftoken=([^;]+)", form.headers["Set-Cookie"])[1]
    assert csrf_cookie not in varnish.get(url).headers["Set-Cookie"]  # each its own
    action = re.search(r'<form[^>]+action="([^"]+)"', form.text)[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)[1]
    given = varnish.request(
        "POST",
        action.replace("&amp;", "&"),
        cookie=f"csrftoken={csrf_cookie}",
        body=urlencode(
            {"csrfmiddlewaretoken": token, "password": "x", "return_url": url}
        ),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert given.status == 302, given.text[:500]
    session = re.search(r"sessionid=([^;]+)", given.headers["Set-Cookie"])[1]
    for _ in range(2):
        page = varnish.get(url, cookie=f"sessionid={session}; csrftoken={csrf_cookie}")
        assert page.status == 200 and "First release" in page.text
    assert "First release" not in varnish.get(url).text
