#!/usr/bin/env bash
# make bench, places part: import of a million generated places, then full-stack search
# (token, scope, rate limit counted in Redis) on the Procfile's web line, driven by wrk, in the
# densest area: 5 km with a query, 100 km without one (nearest first), autocomplete (1 to 6
# letters, with and without a focus), text search without a location and reverse
# geocoding. Writes bench/places-results.md.
# Knobs: BENCH_PLACES_COUNT, BENCH_PLACES_IMPORT (0: search the places a previous run
# imported), BENCH_PLACES_REIMPORT (1: also time a second import of the same file), BENCH_DURATION, BENCH_ROUNDS, BENCH_PLACES_CONNECTIONS, BENCH_PORT, BENCH_DATABASE_URL,
# BENCH_REDIS_URL, WEB_CONCURRENCY, WEB_THREADS.
PORT=${BENCH_PORT:-8766}
source "$(dirname "$0")/common.sh"

COUNT=${BENCH_PLACES_COUNT:-1000000}
DATA=var/bench/places-$COUNT.geojsonl
CENTRE=var/bench/places-$COUNT-centre.json

tools_up
environment_export latentgeo_bench
# A free-tier organization whose limit is never reached: every search is counted in Redis.
export GEOG_FREE_PLACES_PER_WINDOW=1000000000
database_migrate

mkdir -p var/bench
if [ ! -s "$DATA" ] || [ ! -s "$CENTRE" ]; then
  echo "Generating $COUNT places into $DATA..."
  $BIN/python bench/places_generate.py "$DATA" "$COUNT" "$CENTRE"
fi

if [ "${BENCH_PLACES_IMPORT:-1}" = 1 ]; then
  echo "== import of $COUNT places (a fresh source, then the same file again as updates)"
  # Deleted behind the importer's back (every place: this database holds the bench's own), so
  # every cell pack and coarse count is marked for rebuilding too.
  psql "$DATABASE_URL" -qc "BEGIN; DELETE FROM places_place;
    UPDATE places_placecell SET stale = TRUE; UPDATE places_placecoarsecount SET stale = TRUE;
    COMMIT"
  psql "$DATABASE_URL" -qc "VACUUM places_place" -c "VACUUM places_placecell"
  timed() {  # name command...: wall seconds of the whole command, process start included
    local start=$EPOCHREALTIME
    "${@:2}" | tee "$WORK/$1.log"
    $BIN/python -c "print(round($EPOCHREALTIME - $start, 1))" >"$WORK/$1-seconds"
  }
  timed import $BIN/python manage.py import_places "$DATA" --source bench --replace
  if [ "${BENCH_PLACES_REIMPORT:-1}" = 1 ]; then
    timed reimport $BIN/python manage.py import_places "$DATA" --source bench --replace
  fi
fi
psql "$DATABASE_URL" -qc "VACUUM ANALYZE places_place" -c "VACUUM ANALYZE places_placecell" \
  -c "VACUUM ANALYZE places_placeprefix" -c "VACUUM ANALYZE places_placename" \
  -c "VACUUM ANALYZE places_placecoarsecount"

cache_clear
TOKEN=$($BIN/python manage.py create_api_token --org bench-places --tier free \
  --name "make bench" --scopes "places:read")

(cd bench && $BIN/python places_bodies.py "../$CENTRE" 5000 1 2000) >"$WORK/near.jsonl"
(cd bench && $BIN/python places_bodies.py "../$CENTRE" 100000 0 2000) >"$WORK/wide.jsonl"
(cd bench && $BIN/python places_geocoding.py "../$CENTRE" complete 2000) >"$WORK/complete.txt"
(cd bench && $BIN/python places_geocoding.py "../$CENTRE" text 2000) >"$WORK/text.jsonl"
(cd bench && $BIN/python places_geocoding.py "../$CENTRE" reverse 2000) >"$WORK/reverse.txt"
$BIN/python - "$WORK" <<'PY' >"$WORK/sizes.json"
"""Matches of the first requests, to say what the searches had to do."""
import json, os, sys
from urllib.parse import parse_qs, urlsplit
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from places.completion import place_completion_list
from places.selectors import place_nearest_list, place_search
work = sys.argv[1]
sizes = {}
for name in ("near", "wide", "text"):
    totals = []
    with open(f"{work}/{name}.jsonl") as bodies:
        for _, line in zip(range(20), bodies):
            body = json.loads(line)
            location = body.get("location") or {"lat": None, "lon": None}
            page = place_search(lat=location["lat"], lon=location["lon"],
                                radius=body.get("radius", 5000), query=body.get("query"))
            totals.append(page.total)
    sizes[name] = f"{sum(totals) / len(totals):.0f}"
for name, read in (
    ("complete", lambda q: place_completion_list(
        query=q["q"], lat=q.get("lat"), lon=q.get("lon"))),
    ("reverse", lambda q: place_nearest_list(lat=q["lat"], lon=q["lon"], limit=int(q["limit"]))),
):
    counts = []
    with open(f"{work}/{name}.txt") as paths:
        for _, line in zip(range(20), paths):
            params = {k: v[0] for k, v in parse_qs(urlsplit(line.strip()).query).items()}
            for key in ("lat", "lon"):
                if key in params:
                    params[key] = float(params[key])
            counts.append(len(read(params)))
    sizes[name] = f"{sum(counts) / len(counts):.1f} results"
print(json.dumps(sizes))
PY

service_start "$(procfile_web)"

drive() {  # name seconds bodies-or-paths-file [wrk script]
  wrk_run "$1" "$PLACES_CONNECTIONS" "$2" "${4:-bench/places.lua}" "$PORT" "$3" "$TOKEN"
}

echo "== warm-up"
drive warmup 5 "$WORK/near.jsonl" >/dev/null
# Alternating rounds, so that a slow spell of the shared machine does not decide a figure;
# the report takes each search's median round and lists every round.
for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round: search, 5 km with a query, densest area"
  drive "near-$round" "$DURATION" "$WORK/near.jsonl"
  echo "== round $round: search, 100 km without a query, densest area"
  drive "wide-$round" "$DURATION" "$WORK/wide.jsonl"
  echo "== round $round: autocomplete, 1 to 6 letters, half with a focus"
  drive "complete-$round" "$DURATION" "$WORK/complete.txt" bench/places_get.lua
  echo "== round $round: search without a location (forward geocoding)"
  drive "text-$round" "$DURATION" "$WORK/text.jsonl"
  echo "== round $round: reverse geocoding within 30 km of the centre"
  drive "reverse-$round" "$DURATION" "$WORK/reverse.txt" bench/places_get.lua
done

$BIN/python bench/places_report.py "$WORK" bench/places-results.md "$COUNT" \
  "Procfile web line (granian, ${WEB_CONCURRENCY:-2} workers x ${WEB_THREADS:-4} threads), PostgreSQL, Redis; wrk 2 threads, $PLACES_CONNECTIONS connections, ${DURATION}s per run, $ROUNDS alternating rounds; $(nproc) cores shared by server, database and load generator"
cat bench/places-results.md
