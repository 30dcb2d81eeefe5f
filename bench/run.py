"""The load test behind ``bash bench/run.sh``: build, serve, measure, report.

1. Builds (once per size) a SQLite database: migrations, the seed content,
   then ``bench/populate.py`` to the requested totals; the build is timed.
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
4. Lifts an embargo: a release approved for a time now past, one
   ``publish_scheduled`` run, then the time until its page, the listing, the
   feed and the sitemap show it.
5. Writes the report (``docs/performance.md`` by default) and the raw figures
   (``bench/results.json``).
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
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORT = 8123
WRK_THREADS = 2
WRK_CONNECTIONS = 4
# The targets, as ratios to the bare view in the same run.
TARGET_CACHED = 0.5
TARGET_VARNISH = 5
TARGET_RELEASE = 0.05
TARGET_LISTING = 0.03
TARGET_QUERIES = 12
TARGET_BUILD_SECONDS = 300
BARE = "/bench/bare/"
VCL = ROOT / "deploy" / "varnish" / "newsroom.vcl"
FULL = {"releases": 10_000, "statements": 3_000, "trials": 200, "contacts": 500}
SMOKE = {"releases": 150, "statements": 60, "trials": 10, "contacts": 20}


def log(message):
    sys.stderr.write(f"[bench] {message}\n")
    sys.stderr.flush()


def manage(env, *args, **kwargs):
    return subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs
    )


# Building -------------------------------------------------------------------


def build_database(path, sizes, env):
    """Migrate, seed and populate ``path``; the seconds each step took."""
    if path.exists():
        path.unlink()
    steps = {}
    started = time.monotonic()
    manage(env, "migrate", "--noinput", "-v0", stdout=subprocess.DEVNULL)
    manage(env, "update_translation_fields", "-v0", stdout=subprocess.DEVNULL)
    steps["migrate"] = time.monotonic() - started
    started = time.monotonic()
    manage(env, "load_seed_content", stdout=subprocess.DEVNULL)
    steps["seed"] = time.monotonic() - started
    started = time.monotonic()
    subprocess.run(  # noqa: S603
        [
            PYTHON,
            "bench/populate.py",
            *(f"--{name}={count}" for name, count in sizes.items()),
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    steps["populate"] = time.monotonic() - started
    return steps


# Serving --------------------------------------------------------------------


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


def fetch(path, port=None):
    """``(status, queries, body)`` of one request (to gunicorn, or ``port``)."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port or PORT}{path}", headers=HEADERS
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


def wrk(path, seconds, port=None):
    """Requests per second, p50 and p99 (ms) and non-2xx count of ``path``."""
    command = [
        "wrk",
        f"-t{WRK_THREADS}",
        f"-c{WRK_CONNECTIONS}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "--latency",
        *(
            part
            for name, value in HEADERS.items()
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


# What is measured -----------------------------------------------------------


def pages_to_measure(env):
    """``[(name, path)]``, read from the database the server serves."""
    script = """
import json
from django.utils import translation
from announcements.models import PartnerPosition, PressRelease, Trial
from announcements.models import ReleaseIndexPage, PositionIndexPage
from announcements.models import TrialIndexPage, ContactIndexPage

def url(page, language):
    with translation.override(language):
        return page.get_url()

releases = PressRelease.objects.live().order_by("path")
release = releases[releases.count() // 2]
statement = PartnerPosition.objects.live().order_by("path").last()
trial = Trial.objects.live().order_by("path").first()
# A sitemap page holds 1,000 pages: the second one when there is one.
many = PressRelease.objects.live().count() > 1000
print(json.dumps([
    ["bare view", "/bench/bare/"],
    ["home", "/fr/"],
    ["releases, page 1", url(ReleaseIndexPage.objects.get(), "fr")],
    ["releases, page 200", url(ReleaseIndexPage.objects.get(), "fr") + "?page=200"],
    ["statements, page 1", url(PositionIndexPage.objects.get(), "en")],
    ["statements, page 200", url(PositionIndexPage.objects.get(), "en") + "?page=200"],
    ["trials", url(TrialIndexPage.objects.get(), "fr")],
    ["press contacts", url(ContactIndexPage.objects.get(), "fr")],
    ["a release", url(release, "fr")],
    ["a release (English)", url(release, "en")],
    ["a statement", url(statement, "en")],
    ["a trial, page 1", url(trial, "fr")],
    ["a trial, page 200", url(trial, "fr") + "?page=200"],
    ["search", "/en/search/?q=biomarker"],
    ["feed: everything", "/fr/flux/"],
    ["feed: releases", "/fr/flux/communiques/"],
    ["feed: statements", "/en/rss/statements/"],
    ["feed: one trial", f"/fr/flux/essais/{trial.registry_id}/"],
    ["sitemap index", "/sitemap.xml"],
    ["sitemap page", "/sitemap-pages.xml" + ("?p=2" if many else "")],
]))
"""
    output = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def measure_pages(pages, seconds, port=None):
    """Each page at gunicorn, or through ``port`` (Varnish) but the bare
    view, the ceiling of the app server."""
    results = []
    for name, path in pages:
        via = None if path == BARE else port
        cold_status, cold_queries, _body = fetch(path, via)
        # Each worker has served the page at least once after a few more.
        warm = [fetch(path, via) for _ in range(4)]
        status = max(answer[0] for answer in warm)
        result = {
            "name": name,
            "path": path,
            "status": status if cold_status == 200 else cold_status,
            "queries_cold": _int(cold_queries),
            "queries": min(_int(answer[1]) for answer in warm),
        }
        result.update(wrk(path, seconds, via))
        log(
            f"{name:24} {result['status']} q={result['queries']:>3} "
            f"{result['rps']:8.1f} req/s p50 {result['p50_ms']:.1f} ms"
        )
        results.append(result)
    bare = results[0]["rps"]
    for result in results:
        result["ratio"] = result["rps"] / bare if bare else None
    return results


def _int(value):
    return int(value) if value not in (None, "") else None


# The embargo lift -----------------------------------------------------------

EMBARGO_SCRIPT = """
import datetime, json, os
from django.utils import timezone, translation
from announcements.models import PressRelease, ReleaseIndexPage, Trial, Organisation

stamp = os.environ["BENCH_STAMP"]
with translation.override("fr"):
    index = ReleaseIndexPage.objects.get()
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
    print(json.dumps({"pk": page.pk, "url": page.get_url(), "slug": page.slug_fr}))
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
    # Each reader's view before the lift: every page is in the cache now.
    channels = {
        "release page": release["url"],
        "release listing": release["url"].rsplit("/", 2)[0] + "/",
        "releases feed": "/fr/flux/communiques/",
        # The sitemap page that lists it: pages are in tree order, so a new
        # release is in the middle of the sitemap, not on its last page.
        "sitemap": lambda: sitemap_pages(port),
    }
    for path in channels.values():
        for each in path() if callable(path) else [path]:
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
            for each in path() if callable(path) else [path]:
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


# The report -----------------------------------------------------------------


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
        "sqlite": sqlite3.sqlite_version,
        "wrk": (wrk_version.stdout + wrk_version.stderr).split(" [")[0].strip(),
    }


def _fmt(value, digits=1):
    return "–" if value is None else f"{value:.{digits}f}"


def _ratio(value):
    return "–" if value is None else f"{value:.3f}"


def targets(results, build, sizes, full):
    """``[(target, met, figures)]``."""
    modes = results["modes"]
    out = []
    if full:
        total = sum(build.values()) if build else None
        out.append(
            (
                f"{sizes['releases']:,}-release database in under 5 minutes",
                None if total is None else total < TARGET_BUILD_SECONDS,
                "not rebuilt in this run"
                if total is None
                else f"{total:.0f} s (migrate {build['migrate']:.0f} s, seed "
                f"{build['seed']:.0f} s, populate {build['populate']:.0f} s)",
            )
        )
    if "cached" in modes:
        pages = [page for page in modes["cached"] if page["name"] != "bare view"]
        worst = min(pages, key=lambda page: page["ratio"])
        out.append(
            (
                f"cached anonymous pages and feeds ≥ {TARGET_CACHED}× the bare view",
                worst["ratio"] >= TARGET_CACHED,
                f"lowest: {worst['name']} {worst['ratio']:.3f}×",
            )
        )
    if "varnish" in modes:
        pages = [page for page in modes["varnish"] if page["name"] != "bare view"]
        worst = min(pages, key=lambda page: page["ratio"])
        out.append(
            (
                f"pages and feeds through Varnish ≥ {TARGET_VARNISH}× the bare view "
                "(at gunicorn)",
                worst["ratio"] >= TARGET_VARNISH,
                f"lowest: {worst['name']} {worst['ratio']:.3f}×",
            )
        )
    if "uncached" in modes:
        pages = {page["name"]: page for page in modes["uncached"]}
        release = pages["a release"]
        out.append(
            (
                f"uncached release page ≥ {TARGET_RELEASE}×",
                release["ratio"] >= TARGET_RELEASE,
                f"{release['ratio']:.3f}×",
            )
        )
        listings = [
            page
            for name, page in pages.items()
            if name.startswith(("releases", "statements", "a trial", "search"))
        ]
        worst = min(listings, key=lambda page: page["ratio"])
        out.append(
            (
                f"uncached listings, trial and search ≥ {TARGET_LISTING}×",
                worst["ratio"] >= TARGET_LISTING,
                f"lowest: {worst['name']} {worst['ratio']:.3f}×; "
                + ", ".join(
                    f"{page['name']} {page['ratio']:.3f}×" for page in listings
                ),
            )
        )
        counted = [page for page in modes["uncached"] if page["name"] != "bare view"]
        most = max(counted, key=lambda page: page["queries"] or 0)
        out.append(
            (
                f"at most {TARGET_QUERIES} queries for any uncached public page "
                "or feed",
                (most["queries"] or 0) <= TARGET_QUERIES,
                f"most: {most['name']} {most['queries']} (warm process); "
                "the same for 3 items and for many: tests/test_query_counts.py",
            )
        )
    for mode, where in (("cached", "with the cache"), ("varnish", "through Varnish")):
        lift = results.get("embargo", {}).get(mode)
        if not lift:
            continue
        late = [name for name, seconds in lift["channels"].items() if seconds is None]
        slowest = max(
            (s for s in lift["channels"].values() if s is not None), default=0
        )
        out.append(
            (
                f"an embargo lift is on every channel within one scheduler run, "
                f"{where}",
                not late,
                f"scheduler run {lift['scheduler_seconds']:.1f} s; "
                + (
                    f"every channel after {slowest:.1f} s"
                    if not late
                    else f"not seen within {lift['timeout']} s: {', '.join(late)}"
                ),
            )
        )
    return out


def write_report(path, results, build, sizes, full, command):
    info = results["machine"]
    lines = [
        "# Performance",
        "",
        "Written by `bench/run.py`"
        + ("" if full else " in smoke mode (a few hundred items, seconds of load)")
        + f" on {results['date']}. Command: `{command}`.",
        "",
        "Figures are ratios to a bare Django view measured in the same server "
        "and the same run, so that the machine's speed cancels out. The "
        "machine is shared with other work (load average "
        f"{info['load']} at the start), so absolute figures vary between runs; "
        "compare ratios within one run.",
        "",
        "## Set-up",
        "",
        f"- Machine: {info['cpu']}, {info['cores']} cores; {info['os']}.",
        f"- Python {info['python']}, Django {info['django']}, Wagtail "
        f"{info['wagtail']}, gunicorn {info['gunicorn']}, SQLite {info['sqlite']}, "
        f"{info['wrk']}.",
        f"- Database: SQLite, {sizes['releases']:,} releases, "
        f"{sizes['statements']:,} statements, {sizes['trials']:,} trials, "
        f"{sizes['contacts']:,} press contacts, in French and English, built by "
        "`bench/populate.py` (revisions, history, search and reference "
        "index entries included).",
        "- Server: gunicorn, 2 sync workers, production settings "
        "(`bench.settings` adds only the bare view and the `X-Bench-Queries` "
        "header), 127.0.0.1.",
        f"- Load: wrk, {WRK_THREADS} threads, {WRK_CONNECTIONS} connections, "
        f"{results['seconds']} s per page, with `Accept-Encoding: gzip` and "
        "`X-Forwarded-Proto: https` as the reverse proxy sends.",
        "- Queries: the `X-Bench-Queries` header of the first request after "
        "the server started (cold), and the fewest of the next four (warm: "
        "each worker's own caches filled).",
        "- Cached: the page cache in Redis (`REDIS_URL`, as production; a "
        "redis-server started for the run when unset), `PAGE_CACHE_SECONDS=3600`; "
        "uncached: `PAGE_CACHE_SECONDS=0`.",
        "- Varnish (when measured): cached, with Debian's varnishd and "
        "`deploy/varnish/newsroom.vcl` in front of the same gunicorn "
        "(`-s malloc,256m`), `VARNISH_URL` set; every page but the bare view "
        "is measured through Varnish, the bare view at gunicorn; the queries "
        "are those of the answer Varnish keeps.",
    ]
    if build:
        lines.append(
            f"- Build: migrate {build['migrate']:.0f} s, seed content "
            f"{build['seed']:.0f} s, populate {build['populate']:.0f} s; "
            f"total {sum(build.values()):.0f} s."
        )
    lines += ["", "## Targets", "", "| target | met | figures |", "| --- | --- | --- |"]
    for target, met, figures in targets(results, build, sizes, full):
        verdict = "–" if met is None else ("met" if met else "**missed**")
        lines.append(f"| {target} | {verdict} | {figures} |")
    for mode, pages in results["modes"].items():
        lines += [
            "",
            f"## {mode.capitalize()}",
            "",
            "| page | path | status | queries (cold/warm) | req/s | p50 ms | p99 ms "
            "| ratio to bare view |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for page in pages:
            lines.append(
                f"| {page['name']} | `{page['path']}` | {page['status']} | "
                f"{page['queries_cold']}/{page['queries']} | {_fmt(page['rps'])} | "
                f"{_fmt(page['p50_ms'])} | {_fmt(page['p99_ms'])} | "
                f"{_ratio(page['ratio'])} |"
            )
    if results.get("embargo"):
        lines += [
            "",
            "## Embargo lift",
            "",
            "A release approved for a time just past, then one `publish_scheduled` "
            "run (a separate process, as cron runs it) while the server is warm; "
            "seconds from the start of that run until each channel shows it.",
            "",
            "| server | scheduler run | "
            + " | ".join(next(iter(results["embargo"].values()))["channels"])
            + " |",
            "| --- | --- | " + " | ".join("---" for _ in range(4)) + " |",
        ]
        for mode, lift in results["embargo"].items():
            cells = [
                _fmt(seconds, 2) if seconds is not None else f"> {lift['timeout']}"
                for seconds in lift["channels"].values()
            ]
            lines.append(
                f"| {mode} | {lift['scheduler_seconds']:.2f} | "
                + " | ".join(cells)
                + " |"
            )
    analysis = ROOT / "bench" / "analysis.md"
    if full and analysis.exists():
        lines += ["", analysis.read_text().strip()]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")


# Main -----------------------------------------------------------------------


def main(argv=None):
    global PORT  # noqa: PLW0603
    parser = argparse.ArgumentParser(description="Newsroom load test.")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a few hundred items and one second per page (CI)",
    )
    parser.add_argument("--seconds", type=int, help="wrk duration per page")
    parser.add_argument(
        "--port", type=int, default=None, help="127.0.0.1 port (default: a free one)"
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild the database")
    parser.add_argument("--database", type=Path, help="SQLite file to build and serve")
    parser.add_argument("--report", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument(
        "--modes",
        default="cached,uncached",
        help="comma-separated: cached (the page cache in Redis), uncached "
        "(PAGE_CACHE_SECONDS=0), varnish (cached, and Varnish in front)",
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="write the report again from the last run's results.json",
    )
    for name, count in FULL.items():
        parser.add_argument(f"--{name}", type=int, help=f"total {name} ({count:,})")
    args = parser.parse_args(argv)
    PORT = args.port or _free_port()
    sizes = {
        name: getattr(args, name) or (SMOKE if args.smoke else FULL)[name]
        for name in FULL
    }
    seconds = args.seconds or (1 if args.smoke else 10)
    full = sizes == FULL
    suffix = "-".join(str(count) for count in sizes.values())
    database = args.database or ROOT / "bench" / f"bench-{suffix}.sqlite3"
    work = database.parent
    if args.report_only:
        results = json.loads((work / "results.json").read_text())
        write_report(
            args.report,
            results,
            results["build"],
            results["sizes"],
            results["sizes"] == FULL,
            results.get("command", "bash bench/run.sh"),
        )
        return
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk (bench/run.sh does)")

    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY")
        or "bench-only-" + "k3y-n0t-f0r-pr0duct10n-" * 3,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Where the links in mails lead (none is sent here); production
        # refuses a local address.
        "WAGTAILADMIN_BASE_URL": "https://newsroom.example.org",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    build = None
    if args.rebuild or not database.exists():
        log(f"building {database.name}: {sizes}")
        build = build_database(database, sizes, env)
        log("built in " + ", ".join(f"{k} {v:.0f} s" for k, v in build.items()))
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "compilemessages", "--ignore=.venv", "-v0")
    pages = pages_to_measure(env)
    results = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "seconds": seconds,
        "sizes": sizes,
        "build": build,
        "machine": machine(),
        "modes": {},
        "embargo": {},
    }
    for mode in args.modes.split(","):
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
                results["modes"][mode] = measure_pages(pages, seconds, port)
                results["embargo"][mode] = embargo_lift(
                    mode_env, timeout=10 if args.smoke else 60, port=port
                )
            log(f"embargo lift ({mode}): {results['embargo'][mode]}")
    command = "bash bench/run.sh" + ("" if not argv else " " + " ".join(argv))
    results["command"] = command
    (work / "results.json").write_text(json.dumps(results, indent=2))
    write_report(args.report, results, build, sizes, full, command)
    log(f"report written to {args.report}")
    failed = [
        f"{mode}: {page['name']} {page['status']}"
        for mode, pages_ in results["modes"].items()
        for page in pages_
        if page["status"] != 200 or page["non_2xx"]
    ]
    if failed:
        raise SystemExit("pages that did not answer 200: " + "; ".join(failed))


if __name__ == "__main__":
    main(sys.argv[1:])
