#!/usr/bin/env bash
# Load test of the newsroom: builds a SQLite database of 10,000 releases,
# 3,000 statements, 200 trials and 500 contacts (once; --rebuild to redo it),
# serves it with gunicorn (production settings, 2 sync workers, 127.0.0.1
# only), cached (in Redis) and then uncached (PAGE_CACHE_SECONDS=0), drives each page
# with wrk, lifts an embargo, and writes docs/performance.md. With
# --modes ...,varnish it also serves it cached behind Varnish (Debian's
# varnishd with deploy/varnish/newsroom.vcl, on free ports) and measures each
# page through Varnish against the bare view at gunicorn.
#
#   bash bench/run.sh                 # the full run (about 10 minutes)
#   bash bench/run.sh --modes cached,uncached,varnish   # and through Varnish
#   bash bench/run.sh --smoke         # a few hundred items, 1 s per page (CI)
#   bash bench/run.sh --seconds 30 --rebuild --modes uncached
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
