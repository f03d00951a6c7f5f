#!/usr/bin/env bash
# make bench: the production stack on this machine (gunicorn, PostgreSQL, Redis) driven by wrk.
# Writes bench/results.md. Knobs: BENCH_WORKERS, BENCH_THREADS, BENCH_WORKER_CLASS,
# BENCH_DURATION, BENCH_CONNECTIONS, BENCH_TILE_COUNT, BENCH_PORT, BENCH_DATABASE_URL,
# BENCH_REDIS_URL.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
PORT=${BENCH_PORT:-8765}
WORKERS=${BENCH_WORKERS:-3}
THREADS=${BENCH_THREADS:-1}
WORKER_CLASS=${BENCH_WORKER_CLASS:-sync}
DURATION=${BENCH_DURATION:-20}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
TILE_COUNT=${BENCH_TILE_COUNT:-6000}
WORK=$(mktemp -d)
SERVER_PID=""

cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if ! command -v wrk >/dev/null; then
  echo "Installing wrk..."
  apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi
bin/services-up

export DEBUG=false SECRET_KEY=bench-only-secret-key DJANGO_SETTINGS_MODULE=bench.settings
export ENCRYPTION_KEY=YmVuY2gtb25seS1lbmNyeXB0aW9uLWtleS0zMi1ieXQ=
export DATABASE_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/latentgeo_bench}
export REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/15}
export CELERY_BROKER_URL= SENTRY_DSN= LOG_LEVEL=WARNING ALLOWED_HOSTS=127.0.0.1,localhost
export TILESETS_DIR=${TILESETS_DIR:-$PWD/var/tilesets}

database=${DATABASE_URL##*/}
if ! psql "${DATABASE_URL%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
  psql "${DATABASE_URL%/*}/postgres" -qc "CREATE DATABASE \"$database\""
fi
$BIN/python manage.py migrate --noinput >/dev/null
$BIN/python manage.py build_sample_tilesets --if-missing
$BIN/python manage.py shell -c "from django.core.cache import cache; cache.clear()"
TOKEN=$($BIN/python manage.py create_api_token --org bench-unlimited --tier unlimited \
  --name "make bench" --scopes "tiles:read")

$BIN/python bench/tile_list.py "$TILESETS_DIR/places.pmtiles" places "$TILE_COUNT" >"$WORK/tiles.txt"
echo "/v1/tiles/places/metadata" >"$WORK/tilejson.txt"
echo "/bench/baseline" >"$WORK/baseline.txt"
sed 's|^/v1/tiles/|/bench/open-tiles/|' "$WORK/tiles.txt" >"$WORK/open.txt"
echo "$(wc -l <"$WORK/tiles.txt") distinct tile URLs over zooms $(cut -d/ -f5 "$WORK/tiles.txt" | sort -n | uniq | tr '\n' ' ')"

$BIN/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --worker-class "$WORKER_CLASS" --threads "$THREADS" --log-level warning &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$PORT/health/live" >/dev/null 2>&1 && break
  sleep 0.1
done

drive() {  # name seconds paths-file [token]
  wrk -t2 -c"$CONNECTIONS" -d"$2s" --latency -s bench/tiles.lua "http://127.0.0.1:$PORT" \
    -- "$3" "${4:-}" | tee "$WORK/run-$1.log" | grep -v BENCH_JSON
  grep BENCH_JSON "$WORK/run-$1.log" | sed 's/^BENCH_JSON //' >"$WORK/$1.json"
}

echo "== cold start: the first 10 seconds of fresh workers"
drive cold 10 "$WORK/tiles.txt" "$TOKEN"
echo "== warm-up"
drive warmup 5 "$WORK/tiles.txt" "$TOKEN" >/dev/null
echo "== tiles, full stack"
drive tiles "$DURATION" "$WORK/tiles.txt" "$TOKEN"
echo "== baseline view"
drive baseline "$DURATION" "$WORK/baseline.txt"
echo "== tiles without the token check"
drive open "$DURATION" "$WORK/open.txt"
echo "== TileJSON"
drive tilejson "$DURATION" "$WORK/tilejson.txt" "$TOKEN"

$BIN/python bench/report.py "$WORK" bench/results.md \
  "gunicorn $WORKER_CLASS, $WORKERS workers x $THREADS threads; wrk 2 threads, $CONNECTIONS connections, ${DURATION}s per run; $(nproc) cores shared by server and load generator"
cat bench/results.md
