"""The load test behind ``bash bench/run.sh``: build, serve, measure, report.

1. Builds (once per database and size; ``--rebuild`` to redo it) a SQLite
   file, or a PostgreSQL database (``--database-url`` or ``DATABASE_URL``
   ``postgres://…/NAME``: the database ``NAME_10k`` on that server, created
   for the run): migrations, the seed content, then ``bench/populate.py`` to
   the requested totals; each step is timed. A build is made under a
   temporary name and takes the final one only once complete.
2. Serves it with gunicorn (``bench.settings``: the production settings, a
   bare view and a query-count header), 2 sync workers, on 127.0.0.1 only,
   in each mode asked for: "cached" (the page cache on, in Redis as in
   production: ``REDIS_URL``, or a redis-server started for the run),
   "uncached" (``PAGE_CACHE_SECONDS=0``) and "varnish" (cached, with Debian's
   varnishd and ``deploy/varnish/newsroom.vcl`` in front, on free ports, and
   ``VARNISH_URL`` set so that the embargo lift bans it).
3. For each page: one request without and one with warm per-process caches
   (status and ``X-Bench-Queries``), then ``wrk`` for a bounded time:
   requests per second, p50 and p99 latency, each page's throughput divided
   by the bare view's in the same run. The bare view is always measured at
   gunicorn; in the "varnish" mode every other page through Varnish.
4. The admin, in the first mode (with the cache when measured, as in
   production), as an editor the run creates and logs in (a real session):
   the releases explorer, its page 2 and page 200, the admin search, a
   release's edit and history views, each with one connection at a time
   (its latency, not a queue's) and its queries.
5. Lifts an embargo: a release approved for a time now past, one
   ``publish_scheduled`` run, then the time until its page, the listing, the
   feed and the sitemap show it.
6. Keeps the run's figures (``bench/results/<database>-<size>.json``) and
   writes the report (``docs/performance.md`` by default) from every run
   kept there: both databases and every size side by side.
"""

import argparse
import contextlib
import datetime
import json
import os
import platform
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORT = 8123
WRK_THREADS = 2
WRK_CONNECTIONS = 4
# The smoke run only shows that each page answers: one connection, so that it
# leaves the machine's other core to the tests running beside it.
SMOKE_CONNECTIONS = 1
BARE = "/bench/bare/"
VCL = ROOT / "deploy" / "varnish" / "newsroom.vcl"
# Sizes named by their releases; statements grow with them (3 for 10),
# trials and press contacts do not.
NAMED_SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
STATEMENTS_PER_RELEASE = 0.3
TRIALS = 200
CONTACTS = 500
SMOKE = {"releases": 150, "statements": 60, "trials": 10, "contacts": 20}
# The smoke run measures one page of each kind, enough to see each answer.
SMOKE_PAGES = {
    "bare view",
    "home",
    "releases, page 200",
    "a release",
    "a trial, page 1",
    "search",
    "feed: one trial",
    "sitemap index",
    "sitemap page",
    "partner: shared trial, page 1",
}
SMOKE_ADMIN = {"explorer", "admin search", "edit", "history"}
EDITOR = "bench-editor"


def log(message):
    sys.stderr.write(f"[bench] {message}\n")
    sys.stderr.flush()


def manage(env, *args, **kwargs):
    return subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs
    )


def sizes_of(args):
    """``(label, {releases, statements, trials, contacts})`` asked for."""
    if args.smoke:
        base = dict(SMOKE)
    else:
        releases = args.releases or NAMED_SIZES["10k"]
        base = {
            "releases": releases,
            "statements": round(releases * STATEMENTS_PER_RELEASE),
            "trials": TRIALS,
            "contacts": CONTACTS,
        }
    sizes = {name: getattr(args, name) or count for name, count in base.items()}
    if sizes == SMOKE:
        return "smoke", sizes
    for label, releases in NAMED_SIZES.items():
        if sizes == {
            "releases": releases,
            "statements": round(releases * STATEMENTS_PER_RELEASE),
            "trials": TRIALS,
            "contacts": CONTACTS,
        }:
            return label, sizes
    return "-".join(str(count) for count in sizes.values()), sizes


# Databases --------------------------------------------------------------------


class SQLiteDatabase:
    engine = "sqlite"

    def __init__(self, path):
        self.path = path
        self.name = path.name
        self.url = f"sqlite:///{path}"

    def version(self):
        return f"SQLite {sqlite3.sqlite_version}"

    def exists(self):
        return self.path.exists()

    @contextlib.contextmanager
    def building(self):
        """The URL of a new, empty database, which becomes this one if the
        block ends without an error."""
        temporary = self.path.with_name(self.path.name + ".building")
        temporary.unlink(missing_ok=True)
        yield f"sqlite:///{temporary}"
        temporary.replace(self.path)


class PostgresDatabase:
    """``NAME_<size>`` on the server of ``url`` (``postgres://…/NAME``),
    created and dropped through the server's ``postgres`` database with the
    same role, which needs ``CREATEDB``."""

    engine = "postgresql"

    def __init__(self, url, label):
        self.parts = urllib.parse.urlsplit(url)
        prefix = self.parts.path.lstrip("/") or "newsroom"
        self.name = f"{prefix}_{label}".replace("-", "_")
        self.url = self._url(self.name)

    def _url(self, name):
        return urllib.parse.urlunsplit(self.parts._replace(path=f"/{name}"))

    def _admin(self, sql, params=()):
        import psycopg

        with psycopg.connect(self._url("postgres"), autocommit=True) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else None

    def version(self):
        import psycopg

        with psycopg.connect(self.url) as conn:
            number = conn.execute("SHOW server_version").fetchone()[0]
        return f"PostgreSQL {number.split()[0]}"

    def exists(self):
        return bool(
            self._admin("SELECT 1 FROM pg_database WHERE datname = %s", [self.name])
        )

    def drop(self, name=None):
        from psycopg import sql

        self._admin(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name or self.name)
            )
        )

    @contextlib.contextmanager
    def building(self):
        from psycopg import sql

        temporary = f"{self.name}_building"
        self.drop(temporary)
        self._admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(temporary)))
        yield self._url(temporary)
        self.drop()
        self._admin(
            sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                sql.Identifier(temporary), sql.Identifier(self.name)
            )
        )


def database_of(args, label, work):
    """The database asked for: ``--database`` (SQLite file), else
    ``--database-url``, else ``DATABASE_URL`` when it is PostgreSQL's, else a
    SQLite file in the work directory."""
    if args.database:
        return SQLiteDatabase(args.database.resolve())
    url = args.database_url or os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return PostgresDatabase(url, label)
    if args.database_url and url.startswith("sqlite:///"):
        return SQLiteDatabase(Path(url.removeprefix("sqlite:///")).resolve())
    if args.database_url:
        raise SystemExit(f"--database-url: postgres:// or sqlite:/// ({url})")
    return SQLiteDatabase(work / f"bench-{label}.sqlite3")


# Building ---------------------------------------------------------------------


def build_database(database, sizes, env):
    """Migrate, seed and populate ``database``; the seconds each step took,
    and what the builder said of its own steps."""
    steps = {}
    with database.building() as url:
        env = {**env, "DATABASE_URL": url}
        started = time.monotonic()
        manage(env, "migrate", "--noinput", "-v0", stdout=subprocess.DEVNULL)
        manage(env, "update_translation_fields", "-v0", stdout=subprocess.DEVNULL)
        steps["migrate"] = time.monotonic() - started
        started = time.monotonic()
        manage(env, "load_seed_content", stdout=subprocess.DEVNULL)
        # Two newsrooms and more: each partner's statement in its own, about
        # the first newsroom's trial.
        manage(env, "demo_partner_newsrooms", stdout=subprocess.DEVNULL)
        steps["seed"] = time.monotonic() - started
        started = time.monotonic()
        said = subprocess.run(  # noqa: S603
            [
                PYTHON,
                "bench/populate.py",
                *(f"--{name}={count}" for name, count in sizes.items()),
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        steps["populate"] = time.monotonic() - started
    log(said)
    return steps, said


# Serving ----------------------------------------------------------------------


class Redis:
    """``REDIS_URL`` when set; else a redis-server on a free port for the run,
    as production shares one Redis between gunicorn and the scheduler."""

    def __init__(self, log_path):
        self.log_path = log_path
        self.process = None
        self.url = os.environ.get("REDIS_URL")

    def __enter__(self):
        if self.url:
            return self
        server = shutil.which("redis-server")
        if not server:
            raise SystemExit("redis-server is missing: apt-get install redis-server")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.log_file = open(self.log_path, "ab")  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603
            [server, "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
            stdout=self.log_file,
            stderr=self.log_file,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        self.url = f"redis://127.0.0.1:{port}/0"
                        return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"redis-server did not answer; see {self.log_path}")

    def __exit__(self, *exc):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.log_file.close()


class Server:
    def __init__(self, env, log_path):
        self.env = env
        self.log_path = log_path
        self.process = None

    def __enter__(self):
        self.log_file = open(self.log_path, "ab")  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603
            [
                str(Path(PYTHON).with_name("gunicorn")),
                "newsroom.wsgi",
                "--bind",
                f"127.0.0.1:{PORT}",
                "--workers",
                "2",
                "--worker-class",
                "sync",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log_file,
            stderr=self.log_file,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped; see {self.log_path}")
            try:
                fetch(BARE)
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer; see {self.log_path}")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log_file.close()


class Varnish:
    """Debian's varnishd with the project's VCL, in front of the gunicorn of
    the run (``PORT``): readers' address and the purge one on free ports."""

    def __init__(self, work):
        self.work = work
        self.port = _free_port()
        self.purge_port = _free_port()
        self.url = f"http://127.0.0.1:{self.purge_port}"
        self.process = None

    def __enter__(self):
        varnishd = shutil.which("varnishd")
        if not varnishd:
            raise SystemExit("varnishd is missing: apt-get install varnish")
        self.work.mkdir(parents=True, exist_ok=True)
        (self.work / "newsroom-backends.vcl").write_text(
            f'backend gunicorn {{ .host = "127.0.0.1"; .port = "{PORT}"; }}\n'
            "sub vcl_init { app_servers.add_backend(gunicorn); }\n"
        )
        self.log_file = open(self.work / "varnishd.log", "ab")  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603
            [
                varnishd,
                "-F",
                "-j",
                "none",
                "-n",
                str(self.work / "state"),
                "-a",
                f"127.0.0.1:{self.port}",
                "-a",
                f"purge=127.0.0.1:{self.purge_port}",
                "-f",
                str(VCL),
                "-p",
                f"vcl_path={self.work}",
                "-s",
                "malloc,256m",
            ],
            stdout=self.log_file,
            stderr=self.log_file,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"varnishd stopped; see {self.work}/varnishd.log")
            try:
                request = urllib.request.Request(self.url, method="BAN")  # noqa: S310
                with urllib.request.urlopen(request, timeout=5):  # noqa: S310
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"varnishd did not answer; see {self.work}/varnishd.log")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log_file.close()


# What a reverse proxy in front of production adds: HTTPS, compression asked.
HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}


def _free_port():
    """A port nothing listens on now: the run never measures another server."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(path, port=None, headers=None):
    """``(status, queries, body)`` of one request (to gunicorn, or ``port``)."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port or PORT}{path}", headers={**HEADERS, **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            body = response.read()
            if response.headers.get("Content-Encoding") == "gzip":
                import gzip

                body = gzip.decompress(body)
            return response.status, response.headers.get("X-Bench-Queries"), body
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("X-Bench-Queries"), b""


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(value):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * _UNITS[unit]


def wrk(path, seconds, port=None, headers=None, connections=WRK_CONNECTIONS):
    """Requests per second, p50 and p99 (ms) and non-2xx count of ``path``."""
    command = [
        "wrk",
        f"-t{min(WRK_THREADS, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "--latency",
        *(
            part
            for name, value in {**HEADERS, **(headers or {})}.items()
            for part in ("-H", f"{name}: {value}")
        ),
        f"http://127.0.0.1:{port or PORT}{path}",
    ]
    output = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = re.search(r"\s50%\s+(\S+)", output)
    p99 = re.search(r"\s99%\s+(\S+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": rps,
        "p50_ms": _ms(p50.group(1)) if p50 else None,
        "p99_ms": _ms(p99.group(1)) if p99 else None,
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


# What is measured -------------------------------------------------------------

# Run in the served database's settings before serving: the French
# catalogue, the static files when their sources changed (collectstatic takes
# most of 20 s), an editor logged in, and the pages to measure.
PREPARE_SCRIPT = """
import hashlib, json, os
from pathlib import Path
from urllib.parse import urlsplit
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from announcements.models import PartnerPosition, PressRelease, Trial
from announcements.models import ReleaseIndexPage, PositionIndexPage
from announcements.models import TrialIndexPage, ContactIndexPage
from announcements.roles import EDITORS
from wagtail.models import Site

call_command("compilemessages", ignore_patterns=[".venv"], verbosity=0)
sources = hashlib.sha256()
for line in sorted(
    f"{path} {os.stat(storage.path(path)).st_size} "
    f"{os.stat(storage.path(path)).st_mtime_ns}"
    for finder in get_finders()
    for path, storage in finder.list([])
):
    sources.update(line.encode())
stamp = Path(settings.STATIC_ROOT) / ".bench-sources"
if not stamp.exists() or stamp.read_text() != sources.hexdigest():
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(sources.hexdigest())

editor, _created = get_user_model().objects.update_or_create(
    username=os.environ["BENCH_EDITOR"],
    defaults={"email": "bench-editor@example.org", "is_active": True},
)
editor.groups.add(Group.objects.get(name=EDITORS))
client = Client()
client.force_login(editor)
session = client.cookies[settings.SESSION_COOKIE_NAME].value

def url(page, language):
    # The path alone: with several newsrooms Wagtail gives full addresses.
    with translation.override(language):
        return urlsplit(page.get_url()).path

home = Site.objects.get(is_default_site=True).root_page
partner = Site.objects.filter(hostname="filslan.localhost").first()
def section(model):
    return model.objects.child_of(home).get()
releases = PressRelease.objects.live().order_by("path")
release = releases[releases.count() // 2]
statement = PartnerPosition.objects.live().order_by("path").last()
trial = Trial.objects.live().order_by("path").first()
index = section(ReleaseIndexPage)
# A sitemap page holds 1,000 pages: the second one when there is one.
many = PressRelease.objects.live().count() > 1000
print(json.dumps({
    "session": [settings.SESSION_COOKIE_NAME, session],
    "pages": [
        ["bare view", "/bench/bare/", "bare"],
        ["home", "/fr/", "listing"],
        ["releases, page 1", url(index, "fr"), "listing"],
        ["releases, page 200", url(index, "fr") + "?page=200", "listing"],
        ["statements, page 1", url(section(PositionIndexPage), "en"), "listing"],
        ["statements, page 200",
         url(section(PositionIndexPage), "en") + "?page=200", "listing"],
        ["trials", url(section(TrialIndexPage), "fr"), "listing"],
        ["press contacts", url(section(ContactIndexPage), "fr"), "listing"],
        ["a release", url(release, "fr"), "release"],
        ["a release (English)", url(release, "en"), "release"],
        ["a statement", url(statement, "en"), "release"],
        ["a trial, page 1", url(trial, "fr"), "listing"],
        ["a trial, page 200", url(trial, "fr") + "?page=200", "listing"],
        ["search", "/en/search/?q=biomarker", "search"],
        ["feed: everything", "/fr/flux/", "listing"],
        ["feed: releases", "/fr/flux/communiques/", "listing"],
        ["feed: statements", "/en/rss/statements/", "listing"],
        ["feed: one trial", f"/fr/flux/essais/{trial.registry_id}/", "listing"],
        ["sitemap index", "/sitemap.xml", "listing"],
        ["sitemap page", "/sitemap-pages.xml" + ("?p=2" if many else ""), "listing"],
        # A second newsroom, FILSLAN's: its trial page is the first
        # newsroom's trial, with every newsroom's items.
        *([
            ["partner: home", "/fr/", "listing", partner.hostname],
            ["partner: shared trial, page 1",
             f"/fr/essais/{trial.slug_fr}/", "listing", partner.hostname],
            ["partner: shared trial, page 200",
             f"/fr/essais/{trial.slug_fr}/?page=200", "listing", partner.hostname],
            ["partner: feed", "/fr/flux/", "listing", partner.hostname],
        ] if partner else []),
    ],
    "admin": [
        ["explorer", f"/admin/pages/{index.pk}/"],
        ["explorer, page 2", f"/admin/pages/{index.pk}/?p=2"],
        ["explorer, page 200", f"/admin/pages/{index.pk}/?p=200"],
        ["admin search", "/admin/pages/search/?q=biomarker"],
        ["edit", f"/admin/pages/{release.pk}/edit/"],
        ["history", f"/admin/pages/{release.pk}/history/"],
    ],
}))
"""


def prepare(env):
    """``{"session": [cookie, value], "pages": [...], "admin": [...]}``."""
    output = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "shell", "-c", PREPARE_SCRIPT],
        cwd=ROOT,
        env={**env, "BENCH_EDITOR": EDITOR},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def measure_pages(pages, seconds, port=None, warm=4, connections=WRK_CONNECTIONS):
    """Each page at gunicorn, or through ``port`` (Varnish) but the bare
    view, the ceiling of the app server."""
    results = []
    for name, path, kind, *host in pages:
        via = None if path == BARE else port
        headers = {"Host": host[0]} if host else None
        cold_status, cold_queries, _body = fetch(path, via, headers)
        # Each worker has served the page at least once after a few more.
        answers = [fetch(path, via, headers) for _ in range(warm)]
        status = max(answer[0] for answer in answers)
        result = {
            "name": name,
            "path": path,
            "kind": kind,
            "status": status if cold_status == 200 else cold_status,
            "queries_cold": _int(cold_queries),
            "queries": min(_int(answer[1]) for answer in answers),
        }
        result.update(wrk(path, seconds, via, headers, connections))
        log(
            f"{name:24} {result['status']} q={result['queries']:>3} "
            f"{result['rps']:8.1f} req/s p50 {result['p50_ms']:.1f} ms"
        )
        results.append(result)
    bare = results[0]["rps"]
    for result in results:
        result["ratio"] = result["rps"] / bare if bare else None
    return results


def measure_admin(screens, session, seconds, warm=4):
    """Each admin screen at gunicorn as the logged-in editor, one request at
    a time: p50 and p99 are the time to build it."""
    cookie = {"Cookie": f"{session[0]}={session[1]}"}
    results = []
    for name, path in screens:
        cold_status, cold_queries, _body = fetch(path, headers=cookie)
        answers = [fetch(path, headers=cookie) for _ in range(warm)]
        # Timed here, not by wrk: wrk counts no request that outlasts its run.
        took = []
        deadline = time.monotonic() + seconds
        while len(took) < warm or time.monotonic() < deadline:
            started = time.perf_counter()
            fetch(path, headers=cookie)
            took.append((time.perf_counter() - started) * 1000)
        took.sort()
        result = {
            "name": name,
            "path": path,
            "status": max(answer[0] for answer in answers)
            if cold_status == 200
            else cold_status,
            "queries_cold": _int(cold_queries),
            "queries": min(_int(answer[1]) for answer in answers),
        }
        result.update(
            {
                "rps": len(took) / (sum(took) / 1000),
                "p50_ms": took[len(took) // 2],
                "p99_ms": took[min(len(took) - 1, int(len(took) * 0.99))],
                "non_2xx": sum(answer[0] != 200 for answer in answers),
            }
        )
        log(
            f"admin: {name:20} {result['status']} q={result['queries']:>3} "
            f"p50 {result['p50_ms']:.1f} ms p99 {result['p99_ms']:.1f} ms"
        )
        results.append(result)
    return results


def _int(value):
    return int(value) if value not in (None, "") else None


# The embargo lift -------------------------------------------------------------

EMBARGO_SCRIPT = """
import datetime, json, os
from django.utils import timezone, translation
from urllib.parse import urlsplit
from wagtail.models import Site
from announcements.models import PressRelease, ReleaseIndexPage, Trial, Organisation

stamp = os.environ["BENCH_STAMP"]
home = Site.objects.get(is_default_site=True).root_page
with translation.override("fr"):
    index = ReleaseIndexPage.objects.child_of(home).get()
    # The new release comes after it in tree order, so in the sitemap.
    before = PressRelease.objects.live().descendant_of(home).order_by("path").last()
    page = PressRelease(
        title=f"Levée d’embargo {stamp}", title_fr=f"Levée d’embargo {stamp}",
        title_en=f"Embargo lift {stamp}", slug=f"embargo-{stamp}",
        slug_fr=f"embargo-{stamp}", slug_en=f"embargo-{stamp}",
        trial=Trial.objects.live().order_by("path").first(),
        organisation=Organisation.objects.first(), requires_en=True,
        standfirst_fr="Chapeau.", standfirst_en="Standfirst.",
        body_fr="<p>Texte.</p>", body_en="<p>Text.</p>", live=False,
    )
    index.add_child(instance=page)
    page.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    page.save_revision().publish()
    page = PressRelease.objects.get(pk=page.pk)
    revision = page.scheduled_revision
    # The clock moves to the embargo: the approved time is now past.
    past = timezone.now() - datetime.timedelta(seconds=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    PressRelease.objects.filter(pk=page.pk).update(go_live_at=past)
    print(json.dumps({
        "pk": page.pk, "url": urlsplit(page.get_url()).path, "slug": page.slug_fr,
        "before": urlsplit(before.get_url()).path if before else None,
    }))
"""

CLEANUP_SCRIPT = """
import os
from announcements.models import PressRelease
PressRelease.objects.get(pk=int(os.environ["BENCH_PAGE"])).delete()
"""


def sitemap_pages(port=None):
    """Every sitemap page the index lists."""
    index = fetch("/sitemap.xml", port)[2].decode()
    return [
        path.replace("&amp;", "&")
        for path in re.findall(r"<loc>https?://[^/]+(/sitemap-pages[^<]*)</loc>", index)
    ]


def embargo_lift(env, timeout, port=None):
    """Seconds from the scheduler's start to the release on each channel
    (read at gunicorn, or through ``port``)."""
    stamp = str(int(time.time()))
    output = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "shell", "-c", EMBARGO_SCRIPT],
        cwd=ROOT,
        env={**env, "BENCH_STAMP": stamp},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    release = json.loads(output.strip().splitlines()[-1])
    slug = release["slug"].encode()
    # The sitemap page that will list it: pages are in tree order, so a new
    # release is in the middle of the sitemap, on the page of the release
    # before it or the next. Reading them all at each look would time the
    # rebuilding of every other sitemap page (130 at 100,000 releases).
    sitemap = sitemap_pages(port)
    before = (release["before"] or "").encode()
    for number, each in enumerate(sitemap):
        if before and before in fetch(each, port)[2]:
            sitemap = sitemap[number : number + 2]
            break
    # Each reader's view before the lift: every page is in the cache now.
    channels = {
        "release page": release["url"],
        "release listing": release["url"].rsplit("/", 2)[0] + "/",
        "releases feed": "/fr/flux/communiques/",
        "sitemap": sitemap,
    }
    for path in channels.values():
        for each in [path] if isinstance(path, str) else path:
            fetch(each, port)
    started = time.monotonic()
    manage(env, "publish_scheduled", stdout=subprocess.DEVNULL)
    scheduler = time.monotonic() - started
    seen = {}
    deadline = started + timeout
    while len(seen) < len(channels) and time.monotonic() < deadline:
        for name, path in channels.items():
            if name in seen:
                continue
            for each in [path] if isinstance(path, str) else path:
                status, _queries, body = fetch(each, port)
                if status == 200 and slug in body:
                    seen[name] = time.monotonic() - started
                    break
        time.sleep(0.1)
    subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "shell", "-c", CLEANUP_SCRIPT],
        cwd=ROOT,
        env={**env, "BENCH_PAGE": str(release["pk"])},
        check=True,
        capture_output=True,
    )
    return {
        "scheduler_seconds": scheduler,
        "timeout": timeout,
        "channels": {name: seen.get(name) for name in channels},
    }


# The report -------------------------------------------------------------------

# The targets, as ratios to the bare view in the same run.
TARGET_RELEASE = 0.05
TARGET_LISTING = 0.03
TARGET_SEARCH = 0.02
TARGET_FLAT = 0.8
TARGET_CACHED = 0.5
TARGET_VARNISH = 5
TARGET_QUERIES = 12
TARGET_ADMIN_MS = 300
TARGET_BUILD_SECONDS = 600
WHY = ROOT / "bench" / "why.md"
ANALYSIS = ROOT / "bench" / "analysis.md"
ENGINES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def machine():
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import django

    import wagtail

    import gunicorn

    wrk_version = subprocess.run(
        ["wrk", "--version"],  # noqa: S607
        capture_output=True,
        text=True,
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "load": " ".join(f"{value:.2f}" for value in os.getloadavg()),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "gunicorn": gunicorn.__version__,
        "wrk": (wrk_version.stdout + wrk_version.stderr).split(" [")[0].strip(),
    }


def _fmt(value, digits=1):
    return "–" if value is None else f"{value:.{digits}f}"


def _ratio(value):
    return "–" if value is None else f"{value:.3f}"


def run_name(run):
    return f"{ENGINES[run['database']['engine']]} {run['label']}"


def _ordered(runs):
    return sorted(
        runs,
        key=lambda run: (
            list(ENGINES).index(run["database"]["engine"]),
            run["sizes"]["releases"],
        ),
    )


def _pages(run, mode):
    return [page for page in run["modes"].get(mode, []) if page["name"] != "bare view"]


def _verdict(met, figure):
    if met is None:
        return figure
    return f"met {figure}" if met else f"**missed** {figure}"


def _lowest(pages, kinds, target):
    chosen = [page for page in pages if page["kind"] in kinds]
    if not chosen:
        return None
    worst = min(chosen, key=lambda page: page["ratio"])
    short = (
        "" if worst["ratio"] >= target else f", {target / worst['ratio']:.1f}× short"
    )
    return (
        worst["ratio"] >= target,
        f"{worst['ratio']:.3f}× ({worst['name']}{short})",
    )


def target_cells(runs):
    """``[(key, target, {run name: cell})]``: each target, judged in each
    run it applies to."""
    by_name = {run_name(run): run for run in runs}
    rows = []

    def row(key, text, judge):
        cells = {}
        for name, run in by_name.items():
            judged = judge(run)
            if judged is not None:
                cells[name] = _verdict(*judged)
        rows.append((key, text, cells))

    def build(run):
        build = run.get("build")
        if not build or run["sizes"]["releases"] < NAMED_SIZES["100k"]:
            return None
        return (
            build["populate"] < TARGET_BUILD_SECONDS,
            f"populate {build['populate']:.0f} s (migrate {build['migrate']:.0f} s, "
            f"seed {build['seed']:.0f} s)",
        )

    def at_scale(run):
        return run["sizes"]["releases"] >= NAMED_SIZES["10k"]

    row(
        "build",
        "100,000 releases built in under 10 minutes (populate)",
        build,
    )
    row(
        "release page",
        f"uncached release and statement pages ≥ {TARGET_RELEASE}× the bare view "
        "(10k and 100k)",
        lambda run: (
            at_scale(run)
            and _lowest(_pages(run, "uncached"), {"release"}, TARGET_RELEASE)
            or None
        ),
    )
    row(
        "listings",
        f"uncached listings, home, trial pages, directories, feeds and sitemaps "
        f"≥ {TARGET_LISTING}× (10k and 100k)",
        lambda run: (
            at_scale(run)
            and _lowest(_pages(run, "uncached"), {"listing"}, TARGET_LISTING)
            or None
        ),
    )
    row(
        "search",
        f"uncached search ≥ {TARGET_SEARCH}× (10k and 100k)",
        lambda run: (
            at_scale(run)
            and _lowest(_pages(run, "uncached"), {"search"}, TARGET_SEARCH)
            or None
        ),
    )

    def flat(run):
        if run["label"] != "100k":
            return None
        small = by_name.get(f"{ENGINES[run['database']['engine']]} 1k")
        if not small or not _pages(small, "uncached") or not _pages(run, "uncached"):
            return None
        before = {page["name"]: page["ratio"] for page in _pages(small, "uncached")}
        changes = [
            (page["ratio"] / before[page["name"]], page["name"])
            for page in _pages(run, "uncached")
            if before.get(page["name"])
        ]
        worst, name = min(changes)
        return worst >= TARGET_FLAT, f"worst: {name} at {worst:.2f}× its 1k ratio"

    row(
        "flat",
        f"flat: each uncached page's ratio at 100k ≥ {TARGET_FLAT}× its ratio at 1k",
        flat,
    )
    row(
        "cached",
        f"cached pages and feeds ≥ {TARGET_CACHED}× the bare view (app servers)",
        lambda run: _lowest(
            _pages(run, "cached"), {"listing", "release", "search"}, TARGET_CACHED
        ),
    )
    row(
        "varnish",
        f"pages and feeds through Varnish ≥ {TARGET_VARNISH}× the bare view "
        "(at gunicorn)",
        lambda run: _lowest(
            _pages(run, "varnish"), {"listing", "release", "search"}, TARGET_VARNISH
        ),
    )

    def queries(run):
        pages = _pages(run, "uncached")
        if not pages:
            return None
        most = max(pages, key=lambda page: page["queries"] or 0)
        return (
            (most["queries"] or 0) <= TARGET_QUERIES,
            f"most: {most['queries']} ({most['name']})",
        )

    row(
        "queries",
        f"at most {TARGET_QUERIES} queries for any uncached public page or feed "
        "(warm worker)",
        queries,
    )

    def admin(run):
        screens = run.get("admin", {}).get("screens")
        if not screens:
            return None
        slowest = max(screens, key=lambda screen: screen["p50_ms"])
        applies = (
            run["database"]["engine"] == "postgresql"
            and run["sizes"]["releases"] >= NAMED_SIZES["100k"]
        )
        return (
            slowest["p50_ms"] <= TARGET_ADMIN_MS if applies else None,
            f"slowest: {slowest['name']} p50 {slowest['p50_ms']:.0f} ms "
            f"(p99 {slowest['p99_ms']:.0f} ms)",
        )

    row(
        "admin",
        f"each admin screen under {TARGET_ADMIN_MS} ms (p50) at 100k on PostgreSQL",
        admin,
    )

    def lift(run):
        lifts = run.get("embargo", {})
        if not lifts:
            return None
        late = [
            f"{mode}: {channel}"
            for mode, lift in lifts.items()
            for channel, seconds in lift["channels"].items()
            if seconds is None or seconds > lift["timeout"]
        ]
        slowest = max(
            (s for lift in lifts.values() for s in lift["channels"].values() if s),
            default=0,
        )
        return (
            not late,
            f"every channel within {slowest:.1f} s"
            if not late
            else "late: " + ", ".join(late),
        )

    row(
        "embargo lift",
        "an embargo lift is on every channel within one scheduler run",
        lift,
    )
    return rows


def _why():
    """``{key: text}`` from ``bench/why.md`` (``- **key**: text`` lines)."""
    if not WHY.exists():
        return {}
    return dict(
        re.findall(r"^- \*\*(.+?)\*\*: (.+)$", WHY.read_text(), flags=re.MULTILINE)
    )


def _table(header, rows):
    return [
        "| " + " | ".join(header) + " |",
        "| " + " | ".join("---" for _ in header) + " |",
        *("| " + " | ".join(str(cell) for cell in row) + " |" for row in rows),
    ]


def _detail(run, mode, pages):
    return _table(
        [
            "page",
            "path",
            "status",
            "queries (cold/warm)",
            "req/s",
            "p50 ms",
            "p99 ms",
            "ratio",
        ],
        [
            [
                page["name"],
                f"`{page['path']}`",
                page["status"],
                f"{page['queries_cold']}/{page['queries']}",
                _fmt(page["rps"]),
                _fmt(page["p50_ms"]),
                _fmt(page["p99_ms"]),
                _ratio(page.get("ratio")),
            ]
            for page in pages
        ],
    )


def write_report(path, runs, kept, smoke=False):
    runs = _ordered(runs)
    names = [run_name(run) for run in runs]
    newest = max(runs, key=lambda run: run["date"])
    info = newest["machine"]
    load = (
        f"{SMOKE_CONNECTIONS} connection"
        if smoke
        else f"{WRK_THREADS} threads, {WRK_CONNECTIONS} connections"
    )
    lines = [
        "# Performance",
        "",
        "Written by `bench/run.py`"
        + (" in smoke mode (a few hundred items, seconds of load)" if smoke else "")
        + f" from the runs kept in `{_shown(kept)}`, the newest on {newest['date']}. "
        "Each figure is a ratio to a bare Django view measured in the same "
        "server and the same run, so that the machine's speed cancels out; "
        "the machine is shared with other work (the load average at the start "
        "of each run is below), so compare ratios, not absolute figures.",
        "",
        "## Set-up",
        "",
        f"- Machine: {info['cpu']}, {info['cores']} cores; {info['os']}.",
        f"- Python {info['python']}, Django {info['django']}, Wagtail "
        f"{info['wagtail']}, gunicorn {info['gunicorn']}, {info['wrk']}.",
        "- Content (counts in the table of runs): releases, statements (3 "
        "for every 10 releases), trials and press contacts, in French and "
        "English, built by "
        "`bench/populate.py` with what Wagtail writes for each page (revision, "
        "history, search and reference index entries; "
        "`tests/test_bench_populate.py`); on PostgreSQL, `VACUUM ANALYZE` after "
        "the build.",
        "- Server: gunicorn, 2 sync workers, production settings "
        "(`bench.settings` adds only the bare view and the `X-Bench-Queries` "
        "header), 127.0.0.1, `CONN_MAX_AGE` 60.",
        f"- Load: wrk, {load}, "
        "with `Accept-Encoding: gzip` and `X-Forwarded-Proto: https` as the "
        "reverse proxy sends. Admin screens: one request at a time, timed by "
        "the benchmark, as an editor logged in (a real session).",
        "- Queries: the `X-Bench-Queries` header of the first request after "
        "the server started (cold), and the fewest of the next four (warm: "
        "each worker's own caches filled).",
        "- Cached: the page cache in Redis (as production), "
        "`PAGE_CACHE_SECONDS=3600`; uncached: `PAGE_CACHE_SECONDS=0`; Varnish: "
        "cached, with Debian's varnishd and `deploy/varnish/newsroom.vcl` in "
        "front of the same gunicorn, every page but the bare view measured "
        "through it, the bare view at gunicorn.",
        "- Pages 200 of a listing are its last page where it has fewer.",
        "",
        "## Runs",
        "",
        *_table(
            [
                "run",
                "database",
                "releases, statements, trials, contacts",
                "date",
                "load at start",
                "s per page",
                "build",
            ],
            [
                [
                    run_name(run),
                    f"{run['database']['version']}, `{run['database']['name']}`",
                    ", ".join(f"{count:,}" for count in run["sizes"].values()),
                    run["date"],
                    run["machine"]["load"],
                    run["seconds"],
                    _build(run),
                ]
                for run in runs
            ],
        ),
        "",
        "Commands: "
        + "; ".join(f"{run_name(run)}: `{run['command']}`" for run in runs)
        + ".",
        "",
        "## Targets",
        "",
        "A cell says whether the run meets the target, with its figure; a run "
        "the target does not apply to is left empty (the admin's figure is "
        "given for every run). Why a target is missed, and what would close "
        "it: last column, from `bench/why.md`.",
        "",
    ]
    why = _why()
    lines += _table(
        ["target", *names, "gap and why"],
        [
            [
                text,
                *(cells.get(name, "") for name in names),
                why.get(key)
                or (
                    "_to explain_" if any("missed" in c for c in cells.values()) else ""
                ),
            ]
            for key, text, cells in target_cells(runs)
        ],
    )
    for mode, title in (
        ("uncached", "Uncached: ratio to the bare view · queries (warm)"),
        ("cached", "Cached (Redis): ratio to the bare view"),
        ("varnish", "Through Varnish: ratio to the bare view (at gunicorn)"),
    ):
        measured = [run for run in runs if mode in run["modes"]]
        if not measured:
            continue
        order = [page["name"] for page in measured[0]["modes"][mode]]
        lines += ["", f"## {title}", ""]
        lines += _table(
            ["page", *(run_name(run) for run in measured)],
            [
                [
                    name,
                    *(
                        _cell(run, mode, name, queries=mode == "uncached")
                        for run in measured
                    ),
                ]
                for name in order
            ],
        )
    with_admin = [run for run in runs if run.get("admin", {}).get("screens")]
    if with_admin:
        order = [screen["name"] for screen in with_admin[0]["admin"]["screens"]]
        lines += [
            "",
            "## Admin screens: p50 / p99 ms · queries (warm)",
            "",
            "As an editor, one request at a time, at gunicorn, in the "
            + ", ".join(sorted({run["admin"]["mode"] for run in with_admin}))
            + " mode.",
            "",
        ]
        lines += _table(
            ["screen", *(run_name(run) for run in with_admin)],
            [[name, *(_admin_cell(run, name) for run in with_admin)] for name in order],
        )
    lifts = [
        (run, mode, lift)
        for run in runs
        for mode, lift in run.get("embargo", {}).items()
    ]
    if lifts:
        channels = list(lifts[0][2]["channels"])
        lines += [
            "",
            "## Embargo lift",
            "",
            "A release approved for a time just past, then one `publish_scheduled` "
            "run (a separate process, as cron runs it) while the server is warm; "
            "seconds from the start of that run until each channel shows it.",
            "",
        ]
        lines += _table(
            ["run", "server", "scheduler run", *channels],
            [
                [
                    run_name(run),
                    mode,
                    _fmt(lift["scheduler_seconds"], 2),
                    *(
                        _fmt(seconds, 2)
                        if seconds is not None
                        else f"> {lift['timeout']}"
                        for seconds in lift["channels"].values()
                    ),
                ]
                for run, mode, lift in lifts
            ],
        )
    lines += ["", "## Every figure", ""]
    for run in runs:
        for mode, pages in run["modes"].items():
            lines += [
                "<details>",
                f"<summary>{run_name(run)}, {mode}</summary>",
                "",
                *_detail(run, mode, pages),
                "",
                "</details>",
                "",
            ]
        if run.get("admin", {}).get("screens"):
            lines += [
                "<details>",
                f"<summary>{run_name(run)}, admin ({run['admin']['mode']})</summary>",
                "",
                *_detail(run, "admin", run["admin"]["screens"]),
                "",
                "</details>",
                "",
            ]
    if not smoke and ANALYSIS.exists():
        lines += [ANALYSIS.read_text().strip()]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines).rstrip() + "\n")


def _shown(path):
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _build(run):
    build = run.get("build")
    if not build:
        return "–"
    when = "" if run.get("built_now") else f", built {build['date']}"
    return (
        f"{sum(build[step] for step in ('migrate', 'seed', 'populate')):.0f} s "
        f"(migrate {build['migrate']:.0f}, seed {build['seed']:.0f}, populate "
        f"{build['populate']:.0f}{when})"
    )


def _cell(run, mode, name, queries):
    page = next((page for page in run["modes"][mode] if page["name"] == name), None)
    if page is None:
        return ""
    text = _ratio(page["ratio"])
    if page["status"] != 200:
        text += f" ({page['status']})"
    return f"{text} · {page['queries']}" if queries else text


def _admin_cell(run, name):
    screen = next((s for s in run["admin"]["screens"] if s["name"] == name), None)
    if screen is None:
        return ""
    return (
        f"{_fmt(screen['p50_ms'], 0)} / {_fmt(screen['p99_ms'], 0)} · "
        f"{screen['queries']}"
    )


# Main -------------------------------------------------------------------------


def load_runs(results):
    return [json.loads(path.read_text()) for path in sorted(results.glob("*.json"))]


def main(argv=None):
    global PORT  # noqa: PLW0603
    parser = argparse.ArgumentParser(description="Newsroom load test.")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a few hundred items, one page of each kind, one second each (CI)",
    )
    parser.add_argument("--seconds", type=int, help="wrk duration per page")
    parser.add_argument(
        "--port", type=int, default=None, help="127.0.0.1 port (default: a free one)"
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild the database")
    parser.add_argument(
        "--build-only",
        action="store_true",
        help="build the database (unless it exists, or --rebuild) and stop",
    )
    parser.add_argument("--database", type=Path, help="SQLite file to build and serve")
    parser.add_argument(
        "--database-url",
        help="postgres://USER:PASSWORD@HOST:PORT/NAME: builds and serves NAME_1k, "
        "NAME_10k… on that server (default: DATABASE_URL when it is PostgreSQL's, "
        "else a SQLite file); sqlite:///PATH: that file",
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=ROOT / "bench",
        help="where SQLite databases, logs and results/ go (default: bench/)",
    )
    parser.add_argument("--report", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument(
        "--modes",
        default="cached,uncached,varnish",
        help="comma-separated: cached (the page cache in Redis), uncached "
        "(PAGE_CACHE_SECONDS=0), varnish (cached, and Varnish in front)",
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="write the report again from the runs kept in results/",
    )
    parser.add_argument(
        "--releases",
        type=int,
        help="total releases: 1000, 10000 (default) or 100000; the other counts "
        f"follow (statements {STATEMENTS_PER_RELEASE:g} per release, {TRIALS} "
        f"trials, {CONTACTS} contacts) unless given",
    )
    for name in ("statements", "trials", "contacts"):
        parser.add_argument(f"--{name}", type=int, help=f"total {name}")
    args = parser.parse_args(argv)
    PORT = args.port or _free_port()
    label, sizes = sizes_of(args)
    seconds = args.seconds or (1 if args.smoke else 10)
    work = args.work.resolve()
    results = work / "results"
    if args.report_only:
        write_report(args.report, load_runs(results), results, smoke=args.smoke)
        return
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk (bench/run.sh does)")
    database = database_of(args, label, work)
    work.mkdir(parents=True, exist_ok=True)

    env = {
        **os.environ,
        "DATABASE_URL": database.url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY")
        or "bench-only-" + "k3y-n0t-f0r-pr0duct10n-" * 3,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,.localhost",
        # Where the links in mails lead (none is sent here); production
        # refuses a local address.
        "WAGTAILADMIN_BASE_URL": "https://newsroom.example.org",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    builds = work / "builds.json"
    known = json.loads(builds.read_text()) if builds.exists() else {}
    key = f"{database.engine}:{database.name}"
    built_now = args.rebuild or not database.exists()
    if built_now:
        log(f"building {database.name} ({database.engine}): {sizes}")
        steps, said = build_database(database, sizes, env)
        known[key] = {
            **steps,
            "populate_said": said,
            "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d"),
        }
        builds.write_text(json.dumps(known, indent=2))
        log("built in " + ", ".join(f"{k} {v:.0f} s" for k, v in steps.items()))
    else:
        # Built by older code: brought to this code's schema (and indexes).
        manage(env, "migrate", "--noinput", "-v0", stdout=subprocess.DEVNULL)
    if args.build_only:
        return
    prepared = prepare(env)
    pages, screens = prepared["pages"], prepared["admin"]
    if args.smoke:
        pages = [page for page in pages if page[0] in SMOKE_PAGES]
        screens = [screen for screen in screens if screen[0] in SMOKE_ADMIN]
    modes = args.modes.split(",")
    admin_mode = "cached" if "cached" in modes else modes[0]
    run = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "seconds": seconds,
        "label": label,
        "sizes": sizes,
        "database": {
            "engine": database.engine,
            "name": database.name,
            "version": database.version(),
        },
        "build": known.get(key),
        "built_now": built_now,
        "machine": machine(),
        "modes": {},
        "admin": {},
        "embargo": {},
    }
    warm = 1 if args.smoke else 4
    connections = SMOKE_CONNECTIONS if args.smoke else WRK_CONNECTIONS
    for mode in modes:
        mode_env = dict(env)
        mode_env["PAGE_CACHE_SECONDS"] = "0" if mode == "uncached" else "3600"
        log(f"serving ({mode})")
        # The server and the scheduler share one Redis, as in production, and
        # ban the same Varnish.
        with (
            Redis(work / "bench-redis.log") as redis,
            Varnish(work / "bench-varnish")
            if mode == "varnish"
            else contextlib.nullcontext() as varnish,
        ):
            mode_env["REDIS_URL"] = redis.url
            if varnish is not None:
                mode_env["VARNISH_URL"] = varnish.url
            port = varnish.port if varnish is not None else None
            with Server(mode_env, work / "bench-gunicorn.log"):
                run["modes"][mode] = measure_pages(
                    pages, seconds, port, warm, connections
                )
                if mode == admin_mode:
                    run["admin"] = {
                        "mode": mode,
                        "screens": measure_admin(
                            screens, prepared["session"], seconds, warm
                        ),
                    }
                # The smoke run lifts an embargo once, through every layer.
                if not args.smoke or mode == modes[-1]:
                    run["embargo"][mode] = embargo_lift(mode_env, timeout=60, port=port)
                    log(f"embargo lift ({mode}): {run['embargo'][mode]}")
    command = "bash bench/run.sh" + ("" if not argv else " " + " ".join(argv))
    if database.engine == "postgresql" and not args.database_url:
        command = f"DATABASE_URL={os.environ['DATABASE_URL']} {command}"
    # No credentials in the report.
    command = re.sub(r"://[^/@\s]+@", "://", command)
    run["command"] = command
    results.mkdir(parents=True, exist_ok=True)
    (results / f"{database.engine}-{label}.json").write_text(json.dumps(run, indent=2))
    write_report(args.report, load_runs(results), results, smoke=args.smoke)
    log(f"report written to {args.report}")
    failed = [
        f"{mode}: {page['name']} {page['status']}"
        for mode, measured in [
            *run["modes"].items(),
            ("admin", run["admin"].get("screens", [])),
        ]
        for page in measured
        if page["status"] != 200 or page["non_2xx"]
    ]
    if failed:
        raise SystemExit("pages that did not answer 200: " + "; ".join(failed))


if __name__ == "__main__":
    main(sys.argv[1:])
