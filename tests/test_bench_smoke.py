"""The benchmark cannot rot: ``bench/run.sh --smoke`` builds a small
database with the bulk builder, on the suite's database engine (PostgreSQL
when ``DATABASE_URL`` is PostgreSQL's, else SQLite), serves it with gunicorn
and production settings, uncached and then behind Varnish, drives one page
of each kind and the admin screens with wrk, lifts an embargo through
Varnish and writes its report; every page answers 200."""

import json
import os
import subprocess
from pathlib import Path

from django.db import connection

import pytest

from tests.support import free_port

pytestmark = pytest.mark.long
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def database_url():
    """On PostgreSQL, a database of the run's own on the suite's server,
    dropped after it."""
    if connection.vendor != "postgresql":
        yield None
        return
    import psycopg
    from psycopg import sql

    settings = connection.settings_dict
    prefix = f"{settings['NAME']}_bench{os.getpid()}"
    server = (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}"
        f"@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    )
    yield f"{server}/{prefix}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        for name in (f"{prefix}_smoke", f"{prefix}_smoke_building"):
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(name)
                )
            )


def test_the_benchmark_runs_end_to_end(tmp_path, database_url):
    """One short run of the load test: the report lists every page measured
    and every admin screen, each answered 200 with a query count and a
    throughput; through Varnish, the lifted release is on every channel
    within the run."""
    report = tmp_path / "performance.md"
    run = subprocess.run(
        [
            "bash",
            "bench/run.sh",
            "--smoke",
            "--rebuild",
            "--modes=uncached,varnish",
            f"--port={free_port()}",
            f"--work={tmp_path}",
            f"--report={report}",
            *([f"--database-url={database_url}"] if database_url else []),
        ],
        cwd=ROOT,
        env={
            name: value for name, value in os.environ.items() if name != "DATABASE_URL"
        },
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    engine = "postgresql" if database_url else "sqlite"
    results = json.loads((tmp_path / "results" / f"{engine}-smoke.json").read_text())
    assert results["database"]["engine"] == engine
    for mode in ("uncached", "varnish"):
        pages = results["modes"][mode]
        assert {page["name"] for page in pages} >= {
            "bare view",
            "home",
            "releases, page 200",
            "a release",
            "a trial, page 1",
            "search",
            "feed: one trial",
            "sitemap index",
            "sitemap page",
        }, mode
        for page in pages:
            assert page["status"] == 200, (mode, page)
            assert page["non_2xx"] == 0, (mode, page)
            assert page["rps"] > 0, (mode, page)
            assert page["queries"] is not None, (mode, page)
    screens = results["admin"]["screens"]
    assert {screen["name"] for screen in screens} == {
        "explorer",
        "admin search",
        "edit",
        "history",
    }
    for screen in screens:
        # 200, not the login page's redirect: the editor's session is used.
        assert screen["status"] == 200, screen
        assert screen["queries"] > 0, screen
        assert screen["p50_ms"] > 0, screen
    through_varnish = results["embargo"]["varnish"]["channels"]
    assert None not in through_varnish.values(), through_varnish
    text = report.read_text()
    assert "| a release |" in text
    assert "## Admin screens" in text
    assert "## Embargo lift" in text
    assert "Through Varnish" in text
    assert results["database"]["version"] in text
