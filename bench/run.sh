#!/usr/bin/env bash
# Load test: gunicorn (production settings) on 127.0.0.1 only, wrk for a
# bounded time on each kind of public URL. Uses its own SQLite database.
#   bash bench/run.sh [ITEMS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
ITEMS=${1:-1000}
SECONDS_PER_URL=${2:-10}
PORT=8123
export DATABASE_URL="sqlite:///$PWD/bench/bench.sqlite3"
export DJANGO_SETTINGS_MODULE=newsroom.settings.production
export SECRET_KEY=bench-only-secret-key-not-for-production-0123456789
export ALLOWED_HOSTS=127.0.0.1
export WAGTAILADMIN_BASE_URL=http://127.0.0.1:8123 SECURE_SSL_REDIRECT=false SECURE_HSTS_SECONDS=0
PY=.venv/bin/python
command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)

if [ ! -f bench/bench.sqlite3 ]; then
    $PY manage.py migrate --noinput -v0
    $PY manage.py load_seed_content >/dev/null
    DJANGO_SETTINGS_MODULE=newsroom.settings.dev $PY bench/populate.py "$ITEMS"
fi
$PY manage.py collectstatic --noinput -v0
$PY manage.py compilemessages --ignore=.venv -v0

.venv/bin/gunicorn newsroom.wsgi --bind 127.0.0.1:$PORT --workers 2 --log-level warning &
GUNICORN=$!
trap 'kill $GUNICORN' EXIT
for _ in $(seq 1 50); do curl -fs -o /dev/null http://127.0.0.1:$PORT/fr/ && break; sleep 0.2; done

for path in /fr/ /en/press-releases/ /fr/communiques/communique-500/ \
            /en/trials/mirocals/ /fr/rss/ /en/rss/statements/ \
            "/en/search/?q=riluzole" /sitemap.xml /sitemap-pages.xml; do
    printf '%-45s ' "$path"
    wrk -t2 -c8 -d"${SECONDS_PER_URL}s" --latency "http://127.0.0.1:$PORT$path" \
        | awk '/Requests\/sec/ {rps=$2} /50%/ {p50=$2} /99%/ {p99=$2} /Non-2xx/ {err=$5}
               END {printf "%8s req/s  p50 %8s  p99 %8s  %s\n", rps, p50, p99, (err ? "non-2xx " err : "")}'
done
