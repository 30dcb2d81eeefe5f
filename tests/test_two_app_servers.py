"""Production runs two or more gunicorn instances behind a reverse proxy,
sharing one database and one Redis: a release lifted by the scheduler (its
own process, from cron) is on every instance's pages and feeds at the next
request, although each instance had the old ones in its cache.

Real processes: a redis-server on a free port (Debian's package, which
``make test`` installs), two gunicorn instances on 127.0.0.1 with the
production settings, and ``manage.py`` commands run as cron runs them, all on
the test's database (PostgreSQL, or a SQLite file copied from the test's
in-memory database). Every wait is bounded; the processes are stopped after
the test whatever happens.
"""

import datetime
import os
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

from django.db import connection
from django.utils import timezone

from wagtail.models import Page, Revision

from announcements.site_tree import ensure_site_tree
from tests.factories import build_release, build_trial, url_in
from tests.support import free_port, wait_until

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
COMMAND_SECONDS = 120
# What the reverse proxy adds to every request it passes on.
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}


def database_url(tmp_path):
    """The test's database, as the other processes reach it, and a way to
    change it behind Wagtail's back (no signal, nothing expired)."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user = quote(settings["USER"] or "", safe="")
        password = quote(settings["PASSWORD"] or "", safe="")
        host = settings["HOST"] or "127.0.0.1"
        port = settings["PORT"] or 5432
        url = f"postgres://{user}:{password}@{host}:{port}/{settings['NAME']}"
        return url, lambda pk, title: Page.objects.filter(pk=pk).update(title_en=title)
    # SQLite: the test database is in memory; the servers get a file copy.
    path = tmp_path / "newsroom.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    copy.close()

    def change(pk, title):
        with sqlite3.connect(path) as database:
            database.execute(
                "UPDATE wagtailcore_page SET title_en = ? WHERE id = ?", (title, pk)
            )
        database.close()

    return f"sqlite:///{path}", change


def get(port, path):
    """``(status, text)`` from one instance, as the reverse proxy asks it."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers=PROXY_HEADERS
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            body = response.read()
            if response.headers.get("Content-Encoding") == "gzip":
                import gzip

                body = gzip.decompress(body)
            return response.status, body.decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_a_release_lifted_by_the_scheduler_shows_on_every_app_server_at_once(
    transactional_db, tmp_path, processes, redis_server
):
    redis_url, redis_client, _process = redis_server
    home = ensure_site_tree()
    trial = build_trial(home, title_en="MIROCALS", registry_id="NCT03039673")
    first = build_release(home, trial, title_en="First release", slug_en="first")
    lifted = build_release(
        home, trial, live=False, title_en="Lifted release", slug_en="lifted"
    )
    lifted.go_live_at = timezone.now() + datetime.timedelta(days=1)
    lifted.save_revision().publish()
    # Its embargo is now: the embargo moved into the past, as the clock would
    # have moved (the scheduler runs in its own process: time-machine cannot
    # move its clock).
    embargo = timezone.now() - datetime.timedelta(seconds=5)
    revision = Revision.objects.get(
        object_id=str(lifted.pk), approved_go_live_at__isnull=False
    )
    revision.approved_go_live_at = embargo
    revision.content["go_live_at"] = embargo.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    Page.objects.filter(pk=lifted.pk).update(go_live_at=embargo)
    url, change_quietly = database_url(tmp_path)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.two_servers_settings",
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "two-servers-test-" + "n0t-a-pr0duct10n-k3y-" * 3,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "WAGTAILADMIN_BASE_URL": "https://news.example.org",
        "CONN_MAX_AGE": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    ports = [free_port(), free_port()]
    for number, port in enumerate(ports, start=1):
        process, log = processes.start(
            f"gunicorn-{number}",
            [str(BIN / "gunicorn"), "newsroom.wsgi", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", "1", "--log-level", "warning"],
            env=env,
        )
        wait_until(
            lambda port=port: get(port, "/healthz")[0] == 200,
            f"gunicorn {number}",
            process,
            log,
        )

    pages = ["/en/press-releases/", "/en/rss/", url_in(trial, "en")]
    for port in ports:
        for path in pages:
            for _ in range(2):
                status, text = get(port, path)
                assert status == 200, (port, path)
                assert "First release" in text and "Lifted release" not in text
        assert get(port, url_in(lifted, "en"))[0] == 404
    assert redis_client.keys("*page:*"), "the pages are in the shared cache"
    # Served from the cache: a change no signal announced is not seen.
    change_quietly(first.pk, "Quietly renamed")
    for port in ports:
        for path in pages:
            assert "Quietly renamed" not in get(port, path)[1], (port, path)

    # The scheduler, as cron runs it: its own process, the same Redis.
    run = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "publish_scheduled"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_SECONDS,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Published 1," in run.stdout, run.stdout + run.stderr
    for port in ports:
        for path in pages:
            status, text = get(port, path)
            assert status == 200 and "Lifted release" in text, (port, path)
            assert "Quietly renamed" in text, (port, path)  # built anew
        assert get(port, url_in(lifted, "en"))[0] == 200
