#!/usr/bin/env bash
# The tile path's throughput with and without 200 open progress streams on running audits.
# Each round runs the tiles on web command A (BENCH_WEB_A, default: granian WSGI, the former
# Procfile line), then on B (BENCH_WEB_B, default: the Procfile's), first without streams and
# then with them. Progress moves on every audit every BENCH_PROGRESS_INTERVAL seconds for
# the whole run (bench/progress_driver.py, as crawl workers would), so only the streams
# (bench/sse_clients.py) differ between B's two runs. Prints one line per run.
# Knobs: BENCH_STREAMS, BENCH_DURATION, BENCH_ROUNDS, BENCH_CONNECTIONS, BENCH_PORT,
# BENCH_DATABASE_URL, BENCH_REDIS_URL, BENCH_TILE_COUNT.
PORT=${BENCH_PORT:-8775}
BENCH_PIDS="CLIENTS_PID DRIVER_PID SERVER_PID"
# Shorter runs than the other parts: each round starts two web commands.
BENCH_DURATION=${BENCH_DURATION:-10} BENCH_ROUNDS=${BENCH_ROUNDS:-2}
source "$(dirname "$0")/common.sh"

STREAMS=${BENCH_STREAMS:-200}
INTERVAL=${BENCH_PROGRESS_INTERVAL:-5}
CLIENTS_PID="" DRIVER_PID=""
FLAGS='--host 127.0.0.1 --port $PORT --workers ${WEB_CONCURRENCY:-2} --workers-kill-timeout 5'
WEB_A=${BENCH_WEB_A:-"bin/web granian --interface wsgi config.wsgi:application $FLAGS --blocking-threads ${WEB_THREADS:-4}"}
WEB_B=${BENCH_WEB_B:-$(procfile_web)}

tools_up
environment_export latentgeo_bench_streams
export DJANGO_SETTINGS_MODULE=bench.settings GEOG_FREE_TILES_PER_WINDOW=1000000000
export ALLOW_INTERNAL_TEST_JWT=true INSECURE_FORCE_INTERNAL_TEST_JWT_WITHOUT_DEBUG=true
export TILESETS_DIR=$BENCH_DIR/tilesets TILES_INDEX_DIR=${BENCH_TILES_INDEX_DIR:-$BENCH_DIR/tile-index}
export PYTHONPATH=$PWD

database_migrate
$BIN/python manage.py build_tile_indexes >/dev/null
cache_clear
TILE_TOKEN=$($BIN/python manage.py create_api_token --org bench-streams --tier free \
  --name "bench streams" --scopes "tiles:read")
AUDIT_IDS=$($BIN/python bench/progress_driver.py setup "$STREAMS")
USER_TOKEN=$($BIN/python manage.py issue_test_jwt --sub 'auth0|bench-streams' --expires-in 3600)
$BIN/python bench/tile_list.py "$ARCHIVE" places "$TILE_COUNT" >"$WORK/tiles.txt"

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
  wrk_run "$1" "$CONNECTIONS" "$2" bench/tiles.lua "$PORT" "$WORK/tiles.txt" "$TILE_TOKEN" \
    >/dev/null
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
  service_start "$WEB_A"
  drive "warmup-A-$round" 3 >/dev/null
  drive "A-$round-no-streams" "$DURATION"
  stop "$SERVER_PID"
  echo "== round $round, B: $WEB_B"
  service_start "$WEB_B"
  drive "warmup-B-$round" 3 >/dev/null
  drive "B-$round-no-streams" "$DURATION"
  streams_open
  drive "B-$round-$STREAMS-streams" "$DURATION"
  streams_close "B-$round"
  stop "$SERVER_PID"
done
