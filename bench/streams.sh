#!/usr/bin/env bash
# The tile path's throughput with and without 200 open progress streams on running audits.
# Each round runs the tiles on web command A (BENCH_WEB_A, default: granian WSGI, the former
# Procfile line), then on B (BENCH_WEB_B, default: the Procfile's), first without streams and
# then with them. Progress moves on every audit every BENCH_PROGRESS_INTERVAL seconds for
# the whole run (bench/progress_driver.py, as crawl workers would), so only the streams
# (bench/sse_clients.py) differ between B's two runs. Prints one line per run.
# Knobs: BENCH_STREAMS, BENCH_DURATION, BENCH_ROUNDS, BENCH_CONNECTIONS, BENCH_PORT,
# BENCH_DATABASE_URL, BENCH_REDIS_URL, BENCH_TILE_COUNT.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
PORT=${BENCH_PORT:-8775}
DURATION=${BENCH_DURATION:-10}
ROUNDS=${BENCH_ROUNDS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
STREAMS=${BENCH_STREAMS:-200}
TILE_COUNT=${BENCH_TILE_COUNT:-20000}
INTERVAL=${BENCH_PROGRESS_INTERVAL:-5}
ARCHIVE=$PWD/var/bench/tilesets/places.pmtiles
WORK=$(mktemp -d)
SERVER_PID="" CLIENTS_PID="" DRIVER_PID=""
FLAGS='--host 127.0.0.1 --port $PORT --workers ${WEB_CONCURRENCY:-2} --workers-kill-timeout 5'
WEB_A=${BENCH_WEB_A:-"bin/web granian --interface wsgi config.wsgi:application $FLAGS --blocking-threads ${WEB_THREADS:-4}"}
WEB_B=${BENCH_WEB_B:-$(sed -n 's/^web: //p' Procfile)}

stop() {  # pid
  if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then
    kill "$1" && wait "$1" 2>/dev/null || true
  fi
}
cleanup() {
  stop "$CLIENTS_PID"
  stop "$DRIVER_PID"
  stop "$SERVER_PID"
  rm -rf "$WORK"
}
trap cleanup EXIT

export ENV_FILE= DEBUG=false SECRET_KEY=bench-only-secret-key DJANGO_SETTINGS_MODULE=bench.settings
export ALLOW_INTERNAL_TEST_JWT=true INSECURE_FORCE_INTERNAL_TEST_JWT_WITHOUT_DEBUG=true
export ENCRYPTION_KEY=YmVuY2gtb25seS1lbmNyeXB0aW9uLWtleS0zMi1ieXQ=
export DATABASE_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/latentgeo_bench_streams}
export REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/15}
export GEOG_FREE_TILES_PER_WINDOW=1000000000
export CELERY_BROKER_URL= SENTRY_DSN= LOG_LEVEL=WARNING ALLOWED_HOSTS=127.0.0.1,localhost
export TILESETS_DIR=$PWD/var/bench/tilesets TILES_INDEX_DIR=${BENCH_TILES_INDEX_DIR:-$PWD/var/bench/tile-index}
export PATH=$PWD/$BIN:$PATH PYTHONPATH=$PWD

database=${DATABASE_URL##*/}
if ! psql "${DATABASE_URL%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
  psql "${DATABASE_URL%/*}/postgres" -qc "CREATE DATABASE \"$database\""
fi
$BIN/python manage.py migrate --noinput >/dev/null
$BIN/python manage.py build_tile_indexes >/dev/null
$BIN/python manage.py shell -c "from django.core.cache import cache; cache.clear()"
TILE_TOKEN=$($BIN/python manage.py create_api_token --org bench-streams --tier free \
  --name "bench streams" --scopes "tiles:read")
AUDIT_IDS=$($BIN/python bench/progress_driver.py setup "$STREAMS")
USER_TOKEN=$($BIN/python manage.py issue_test_jwt --sub 'auth0|bench-streams' --expires-in 3600)
$BIN/python bench/tile_list.py "$ARCHIVE" places "$TILE_COUNT" >"$WORK/tiles.txt"

start_service() {  # command
  PORT=$PORT bash -c "exec $1" >"$WORK/web.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 600); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    curl -fs "http://127.0.0.1:$PORT/health/live" >/dev/null 2>&1 && return
    sleep 0.1
  done
  echo "The service did not start:" >&2
  cat "$WORK/web.log" >&2
  exit 1
}

server_cpu_ticks() {  # user + system clock ticks of the server and its workers so far
  local total=0 pid
  for pid in "$SERVER_PID" $(pgrep -P "$SERVER_PID" || true); do
    [ -r "/proc/$pid/stat" ] || continue
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}

drive() {  # name seconds
  local before
  before=$(server_cpu_ticks)
  wrk -t2 -c"$CONNECTIONS" -d"$2s" --latency -s bench/tiles.lua "http://127.0.0.1:$PORT" \
    -- "$WORK/tiles.txt" "$TILE_TOKEN" >"$WORK/run-$1.log"
  grep BENCH_JSON "$WORK/run-$1.log" | sed 's/^BENCH_JSON //' >"$WORK/$1.json"
  $BIN/python - "$WORK/$1.json" "$1" "$(($(server_cpu_ticks) - before))" "$(getconf CLK_TCK)" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))
rate = run["requests"] / (run["duration_us"] / 1e6)
cpu = int(sys.argv[3]) / int(sys.argv[4])
per_cpu = run["requests"] / cpu if cpu else 0
print(f"{sys.argv[2]}: {rate:,.0f} req/s, {per_cpu:,.0f} req per server CPU-second ({cpu:.1f} s), p50 {run['p50_us']/1000:.1f} ms, p99 {run['p99_us']/1000:.1f} ms, non-2xx {run['non_2xx_3xx']}, errors {run['errors']}")
PY
}

streams_open() {
  # shellcheck disable=SC2086
  $BIN/python bench/sse_clients.py "$PORT" "$USER_TOKEN" $AUDIT_IDS >"$WORK/clients.log" 2>&1 &
  CLIENTS_PID=$!
  # Every stream has had its first frame before the tiles start.
  sleep 8
}

streams_close() {  # name
  stop "$CLIENTS_PID"
  echo "$1 streams: $(sed -n 's/^BENCH_JSON //p' "$WORK/clients.log")"
}

$BIN/python bench/progress_driver.py run "$INTERVAL" >"$WORK/driver.log" 2>&1 &
DRIVER_PID=$!
for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round, A: $WEB_A"
  start_service "$WEB_A"
  drive "warmup-A-$round" 3 >/dev/null
  drive "A-$round-no-streams" "$DURATION"
  stop "$SERVER_PID"
  echo "== round $round, B: $WEB_B"
  start_service "$WEB_B"
  drive "warmup-B-$round" 3 >/dev/null
  drive "B-$round-no-streams" "$DURATION"
  streams_open
  drive "B-$round-$STREAMS-streams" "$DURATION"
  streams_close "B-$round"
  stop "$SERVER_PID"
done
