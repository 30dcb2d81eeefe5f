"""The benchmark cannot rot: ``bench/run.sh --smoke`` builds a small
database with the bulk builder, serves it with gunicorn and production
settings, uncached and then behind Varnish, drives every measured page with
wrk, lifts an embargo and writes its report; every page answers 200."""

import json
import socket
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_benchmark_runs_end_to_end(tmp_path):
    """One short run of the load test: the report lists every page, each
    answered 200 with a query count and a throughput; through Varnish, the
    lifted release is on every channel within the run."""
    report = tmp_path / "performance.md"
    run = subprocess.run(
        [
            "bash",
            "bench/run.sh",
            "--smoke",
            "--modes=uncached,varnish",
            f"--port={_free_port()}",
            f"--database={tmp_path / 'bench.sqlite3'}",
            f"--report={report}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text())
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
    lift = results["embargo"]["uncached"]
    assert lift["channels"]["release page"] is not None
    through_varnish = results["embargo"]["varnish"]["channels"]
    assert None not in through_varnish.values(), through_varnish
    text = report.read_text()
    assert "| a release |" in text
    assert "## Embargo lift" in text
    assert "## Varnish" in text
