"""An editor who saves while autosave is saving (or double-clicks Save)
loses nothing and half-creates nothing, on either database.

Real processes: gunicorn with two workers of two threads each on 127.0.0.1,
on the test's database (PostgreSQL, or a SQLite file copied from the test's
in-memory database, as ``test_two_app_servers`` does), so that the requests
really run at once; every wait is bounded.
"""

import json
import os
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

from django.conf import settings
from django.test import Client

from wagtail.test.utils.form_data import querydict_from_html

from announcements.models import TrialIndexPage
from announcements.site_tree import ensure_site_tree
from tests.factories import build_release, build_trial
from tests.support import free_port, wait_until
from tests.test_two_app_servers import database_url

BIN = Path(sys.executable).parent
ROUNDS = 4


class Editor:
    """An editor's browser: their session, and the CSRF cookie Django gives."""

    def __init__(self, port, session):
        self.base = f"http://127.0.0.1:{port}"
        self.cookies = {settings.SESSION_COOKIE_NAME: session}

    def _send(self, request):
        request.add_header(
            "Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                answer = response.status, response.read().decode()
                headers = response.headers
        except urllib.error.HTTPError as error:
            answer = error.code, error.read().decode(errors="replace")
            headers = error.headers
        for value in headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        return answer

    def get(self, path):
        return self._send(urllib.request.Request(self.base + path))  # noqa: S310

    def form(self, path):
        status, html = self.get(path)
        assert status == 200, (path, status)
        return querydict_from_html(html, form_id="page-edit-form", exclude_csrf=False)

    def post(self, path, data, autosave=False):
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if autosave:
            headers["Accept"] = "application/json"
        body = urllib.parse.urlencode(list(data.lists()), doseq=True).encode()
        request = urllib.request.Request(self.base + path, body, headers)  # noqa: S310
        return self._send(request)


def at_once(*calls):
    """Run ``calls`` in threads released together; their answers, in order."""
    answers = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(index, call):
        start.wait(timeout=30)
        answers[index] = call()

    threads = [
        threading.Thread(target=run, args=(index, call))
        for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def test_saving_while_autosave_saves_loses_nothing(
    transactional_db, make_user, tmp_path, processes
):
    home = ensure_site_tree()
    trial = build_trial(home, registry_id="NCT09999999")
    release = build_release(home, trial, live=False, title_en="Draft")
    editor = make_user("edith", "Editors")
    client = Client()
    client.force_login(editor)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value

    url, _change = database_url(tmp_path)
    port = free_port()
    process, log = processes.start(
        "gunicorn",
        [str(BIN / "gunicorn"), "newsroom.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "2", "--threads", "2", "--log-level", "warning"],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.dev",
            "DATABASE_URL": url,
            "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{port}",
            "PYTHONDONTWRITEBYTECODE": "1",
        },
    )
    browser = Editor(port, session)
    wait_until(lambda: browser.get("/healthz")[0] == 200, "gunicorn", process, log)

    # An existing release: Save draft and an autosave at the same moment.
    edit = f"/admin/pages/{release.pk}/edit/"
    saved = []
    for round_ in range(ROUNDS):
        data = browser.form(edit)
        autosaved, full = data.copy(), data.copy()
        autosaved["title_en"] = f"Autosaved {round_}"
        full["title_en"] = f"Saved {round_}"
        answers = at_once(
            lambda autosaved=autosaved: browser.post(edit, autosaved, autosave=True),
            lambda full=full: browser.post(edit, full),
        )
        for status, body in answers:
            assert status < 500, (round_, status, body[-2000:])
        assert answers[1][0] in (200, 302), answers[1]
        saved.append(f"Saved {round_}")

    # What the database holds, as the servers left it.
    revisions = _titles_of_revisions(url, release.pk)
    for title in saved:
        assert title in revisions, (title, revisions)

    # A new trial: autosave creates it while the editor clicks Save.
    add = f"/admin/pages/add/announcements/trial/{TrialIndexPage.objects.get().pk}/"
    data = browser.form(add)
    data.update(
        {
            "title_fr": "CONCURRENT",
            "slug_fr": "concurrent",
            "full_name_fr": "Un essai créé deux fois à la fois",
            "registry_id": "NCT08888888",
        }
    )
    answers = at_once(
        lambda: browser.post(add, data, autosave=True),
        lambda: browser.post(add, data),
    )
    for status, body in answers:
        assert status < 500, (status, _exception(body))
    created = _pages_with_slug(url, "concurrent")
    assert len(created) == 1, created
    assert created[0]["latest_revision_id"] is not None, "half-created"


def _exception(body):
    import re

    found = re.search(r'<pre class="exception_value">(.*?)</pre>', body, re.S)
    title = re.search(r"<title>(.*?)</title>", body, re.S)
    text = re.search(r"^(\w+(?:Error|Exception)\b.*)$", body, re.M)
    return (
        title and title.group(1).strip(),
        found and found.group(1).strip(),
        text and text.group(1)[:300],
        body[:300],
    )


def _query(url, sql, params=()):
    """Rows of ``sql`` on the servers' database (a file copy on SQLite)."""
    if url.startswith("sqlite:///"):
        import sqlite3

        with sqlite3.connect(url.removeprefix("sqlite:///")) as database:
            database.row_factory = sqlite3.Row
            rows = [dict(row) for row in database.execute(sql, params)]
        database.close()
        return rows
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql.replace("?", "%s"), params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _titles_of_revisions(url, page_id):
    rows = _query(
        url,
        "SELECT content FROM wagtailcore_revision WHERE object_id = ?",
        (str(page_id),),
    )
    return {
        (
            row["content"]
            if isinstance(row["content"], dict)
            else json.loads(row["content"])
        )["title_en"]
        for row in rows
    }


def _pages_with_slug(url, slug):
    return _query(
        url,
        "SELECT id, latest_revision_id FROM wagtailcore_page WHERE slug_fr = ?",
        (slug,),
    )


def test_the_second_of_two_creates_is_answered_not_a_server_error(
    home, trial, make_user, rf
):
    """The answer the race above may give, deterministically: the second
    save of a new page, meeting at its save the address the first took."""
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.core.exceptions import ValidationError
    from django.urls import resolve, reverse

    from announcements.concurrent_saves import ConcurrentCreateMiddleware
    from announcements.models import ReleaseIndexPage

    editor = make_user("edith", "Editors")
    first = build_release(home, trial, live=False, slug_fr="double", owner=editor)
    parent = ReleaseIndexPage.objects.get()
    url = reverse(
        "wagtailadmin_pages:add", args=("announcements", "pressrelease", parent.pk)
    )
    middleware = ConcurrentCreateMiddleware(lambda request: None)
    taken = ValidationError({"slug_fr": "Cette adresse est déjà utilisée."})

    for accept, expected in (("application/json", 400), ("text/html", 302)):
        request = rf.post(url, {"slug_fr": "double"}, HTTP_ACCEPT=accept)
        request.user = editor
        request.session = {}
        request._messages = FallbackStorage(request)
        request.resolver_match = resolve(url)
        response = middleware.process_exception(request, taken)
        assert response.status_code == expected
        if expected == 400:
            assert json.loads(response.content)["error_code"] == "address_taken"
        else:
            assert response["Location"] == reverse(
                "wagtailadmin_pages:edit", args=(first.pk,)
            )
    # Any other error is not its business.
    other = rf.post(url, {"slug_fr": "double"})
    other.user, other.resolver_match = editor, resolve(url)
    assert middleware.process_exception(other, ValueError()) is None


def test_the_first_create_meeting_the_seconds_subscription_is_answered(
    transactional_db, make_user, client
):
    """The other order of the race, deterministically: the first save has
    created the page and its revision when the second save's editor, sent to
    that page's edit view, subscribes to it; the first's own subscription
    then meets theirs. The page is whole and the answer is not a 500."""
    from django.db import transaction
    from django.db.models.signals import post_save
    from django.urls import reverse

    from wagtail.models import Page, PageSubscription, Revision

    home = ensure_site_tree()
    editor = make_user("edith", "Editors")
    parent = TrialIndexPage.objects.child_of(home).get()
    url = reverse("wagtailadmin_pages:add", args=("announcements", "trial", parent.pk))
    client.force_login(editor)
    data = querydict_from_html(client.get(url).text, form_id="page-edit-form")
    data.update(
        {
            "title_fr": "COURSE",
            "slug_fr": "course",
            "full_name_fr": "Un essai créé deux fois à la fois",
            "registry_id": "NCT08888881",
        }
    )

    def the_other_editor_opens_it(sender, instance, created, **kwargs):
        # Once the revision is committed: the other request's own work.
        if created:
            transaction.on_commit(
                lambda: PageSubscription.objects.get_or_create(
                    page_id=int(instance.object_id),
                    user=editor,
                    defaults={"comment_notifications": False},
                )
            )

    post_save.connect(the_other_editor_opens_it, sender=Revision)
    try:
        response = client.post(url, data)
    finally:
        post_save.disconnect(the_other_editor_opens_it, sender=Revision)
    created = Page.objects.get(slug_fr="course")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "wagtailadmin_pages:edit", args=(created.pk,)
    )
    assert created.latest_revision_id is not None
    assert PageSubscription.objects.filter(page=created, user=editor).count() == 1
