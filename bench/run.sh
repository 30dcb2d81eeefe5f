#!/usr/bin/env bash
# Load test of the newsroom: builds a database once per engine and size
# (--rebuild to redo it): SQLite by default, PostgreSQL with --database-url
# postgres://…/NAME or when DATABASE_URL is PostgreSQL's (NAME_1k, NAME_10k,
# NAME_100k on that server); --releases 1000|10000|100000 (statements 3 for
# 10, 200 trials, 500 contacts). Serves it with gunicorn (production
# settings, 2 sync workers, 127.0.0.1 only) cached (in Redis), uncached and
# behind Varnish (Debian's varnishd with deploy/varnish/newsroom.vcl, on free
# ports), drives each page with wrk, times the admin screens as an editor,
# lifts an embargo, keeps the run in bench/results/ and writes
# docs/performance.md from every run kept there.
#
#   bash bench/run.sh                              # SQLite, 10,000 releases
#   bash bench/run.sh --releases 100000 --database-url postgres://u:p@host/newsroom_bench
#   bash bench/run.sh --releases 100000 --build-only   # build, stop
#   bash bench/run.sh --smoke         # a few hundred items, 1 s per page (CI)
#   bash bench/run.sh --report-only   # the report again, from bench/results/
#   bash bench/run.sh --help          # every option
#
# The server and the scheduler share one Redis, as in production: REDIS_URL,
# or a redis-server (Debian's package) started on a free port for the run.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
    make setup-dev
fi
command -v msgfmt >/dev/null || make system-packages
command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
command -v redis-server >/dev/null || [ -n "${REDIS_URL:-}" ] || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server)
command -v varnishd >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq varnish)
exec .venv/bin/python bench/run.py "$@"
