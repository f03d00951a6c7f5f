#!/usr/bin/env bash
# make bench, counters part: the tile and places hot paths with their rate limit counted by
# the one-round-trip script (the product's tile route, a bench-only places route) against the
# same views counted by django-ratelimit's get_usage (a bench-only tile route, the product's
# places route), in alternating rounds on the Procfile's web line. Both count the usage of each request too: the script on its one round trip,
# django-ratelimit's side after the answer. Writes bench/counters-results.md.
# Knobs: BENCH_DURATION, BENCH_ROUNDS, BENCH_CONNECTIONS, BENCH_PLACES_CONNECTIONS,
# BENCH_TILE_COUNT, BENCH_PORT, BENCH_DATABASE_URL, BENCH_REDIS_URL, WEB_CONCURRENCY, WEB_THREADS.
PORT=${BENCH_PORT:-8767}
source "$(dirname "$0")/common.sh"

tools_up
environment_export latentgeo_bench_counters
export DJANGO_SETTINGS_MODULE=bench.settings
# A free-tier organization whose limits are never reached: every request is counted.
export GEOG_FREE_TILES_PER_WINDOW=1000000000 GEOG_FREE_PLACES_PER_WINDOW=1000000000
export TILESETS_DIR=$BENCH_DIR/tilesets TILES_INDEX_DIR=$BENCH_DIR/tile-index

archive_build
database_migrate
$BIN/python manage.py build_tile_indexes
$BIN/python manage.py load_sample_places --if-missing
$BIN/python manage.py pack_place_cells
cache_clear
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

service_start "$(procfile_web)"

tiles() {  # name seconds paths-file
  wrk_run "$1" "$CONNECTIONS" "$2" bench/tiles.lua "$PORT" "$3" "$TOKEN" >/dev/null
}
places() {  # name seconds path
  wrk_run "$1" "$PLACES_CONNECTIONS" "$2" bench/places.lua "$PORT" \
    "$WORK/bodies.jsonl" "$TOKEN" "$3" >/dev/null
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
stop "$SERVER_PID"
ALLOWED_HOSTS=testserver PYTHONPATH=. $BIN/python bench/counters_cpu.py "$TOKEN" \
  "$WORK/tiles.txt" "$WORK/bodies.jsonl" >"$WORK/cpu.json"

$BIN/python bench/counters_report.py "$WORK" bench/counters-results.md \
  "Procfile web line (granian, ${WEB_CONCURRENCY:-2} workers x ${WEB_THREADS:-4} threads), PostgreSQL, Redis; wrk 2 threads, $CONNECTIONS connections (tiles) and $PLACES_CONNECTIONS (places), ${DURATION}s per run, $ROUNDS alternating rounds; $(nproc) cores shared by server, database, Redis and load generator"
cat bench/counters-results.md
