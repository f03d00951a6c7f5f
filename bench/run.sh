#!/usr/bin/env bash
# make bench: the production stack on this machine (the Procfile `web` command, PostgreSQL,
# Redis) and TileServer GL light on the same large archive, both driven by wrk. The service
# serves the archive twice: as a local file (`places`) and from an S3 bucket through
# TILESETS_URL (`remote-places`: moto's S3 server, started here by bench/s3_server.py), in
# alternating rounds of the same run. Writes bench/results.md. Knobs: BENCH_WEB (the web command; default the Procfile's),
# WEB_CONCURRENCY and WEB_THREADS (passed to it), BENCH_DURATION, BENCH_CONNECTIONS,
# BENCH_ROUNDS, BENCH_TILE_COUNT, BENCH_PORT, BENCH_PEER_PORT, BENCH_REMOTE_PORT,
# BENCH_DATABASE_URL, BENCH_REDIS_URL.
PORT=${BENCH_PORT:-8765}
BENCH_PIDS="SERVER_PID PEER_PID REMOTE_PID"
source "$(dirname "$0")/common.sh"

PEER_PORT=${BENCH_PEER_PORT:-8766}
REMOTE_PORT=${BENCH_REMOTE_PORT:-8767}
PEER_VERSION=5.6.0
PEER_PID=""
REMOTE_PID=""

tools_up
environment_export latentgeo_bench
export DJANGO_SETTINGS_MODULE=bench.settings GEOG_FREE_TILES_PER_WINDOW=1000000000
export TILESETS_DIR=$BENCH_DIR/tilesets TILES_INDEX_DIR=$BENCH_DIR/tile-index
export TILESETS_URL=s3://bench/tilesets/ AWS_ENDPOINT_URL=http://127.0.0.1:$REMOTE_PORT
export AWS_ACCESS_KEY_ID=bench-access-key AWS_SECRET_ACCESS_KEY=bench-secret-key
export AWS_REGION=us-east-1

archive_build
# The remote side: the same file (a hard link, for its name) uploaded to a bucket of moto's
# S3 server, which logs every object GET with its Range header.
mkdir -p "$BENCH_DIR/remote"
ln -f "$ARCHIVE" "$BENCH_DIR/remote/remote-places.pmtiles"
$BIN/python bench/s3_server.py "$REMOTE_PORT" bench tilesets/ \
  "$BENCH_DIR/remote/remote-places.pmtiles" >"$WORK/remote.log" 2>&1 &
REMOTE_PID=$!
until grep -qx ready "$WORK/remote.log"; do
  kill -0 "$REMOTE_PID" 2>/dev/null || { cat "$WORK/remote.log" >&2; exit 1; }
  sleep 0.5
done
# The peer: TileServer GL light from npm, in a folder of its own.
PEER=$BENCH_DIR/node/node_modules/.bin/tileserver-gl
if [ ! -x "$PEER" ]; then
  echo "Installing tileserver-gl-light $PEER_VERSION from npm..."
  mkdir -p "$BENCH_DIR/node"
  npm install --silent --no-audit --no-fund --prefix "$BENCH_DIR/node" "tileserver-gl-light@$PEER_VERSION"
fi

database_migrate
# What the Procfile's release step does before the web processes start.
$BIN/python manage.py build_tile_indexes
cache_clear
# A free-tier organization whose limit is never reached: every tile is counted in Redis.
TOKEN=$($BIN/python manage.py create_api_token --org bench-free --tier free \
  --name "make bench" --scopes "tiles:read")

$BIN/python bench/tile_list.py "$ARCHIVE" places "$TILE_COUNT" >"$WORK/tiles.txt"
echo "/v1/tiles/places/metadata" >"$WORK/tilejson.txt"
echo "/bench/baseline" >"$WORK/baseline.txt"
sed 's|^/v1/tiles/|/bench/open-tiles/|' "$WORK/tiles.txt" >"$WORK/open.txt"
sed 's|^/v1/tiles/places/|/v1/tiles/remote-places/|' "$WORK/tiles.txt" >"$WORK/remote.txt"
sed 's|^/v1/tiles/places/\(.*\)\.mvt$|/data/places/\1.pbf|' "$WORK/tiles.txt" >"$WORK/peer.txt"
ARCHIVE_FIGURES=$($BIN/python bench/tile_list.py --describe "$ARCHIVE")
echo "$ARCHIVE_FIGURES; $(wc -l <"$WORK/tiles.txt") distinct random tiles"

WEB=${BENCH_WEB:-$(procfile_web)}

drive() {  # name seconds paths-file port [token]
  local before
  before=$(wc -l <"$WORK/remote.log")
  wrk_run "$1" "$CONNECTIONS" "$2" bench/tiles.lua "$4" "$3" "${5:-}"
  # The range requests the service sent to the bucket during this run (its listings, one
  # every rescan interval, are not counted).
  if [[ "$1" == remote* ]]; then
    { tail -n +"$((before + 1))" "$WORK/remote.log" | grep -c "bytes=" || true; } >"$WORK/$1.ranges"
  fi
}

start_peer() {
  cat >"$WORK/peer-config.json" <<JSON
{"options": {"paths": {"root": "$BENCH_DIR/tilesets", "pmtiles": "$BENCH_DIR/tilesets"}},
 "data": {"places": {"pmtiles": "places.pmtiles"}}}
JSON
  "$PEER" --config "$WORK/peer-config.json" --port "$PEER_PORT" --bind 127.0.0.1 --silent \
    >"$WORK/peer.log" 2>&1 &
  PEER_PID=$!
  for _ in $(seq 1 600); do
    kill -0 "$PEER_PID" 2>/dev/null || { cat "$WORK/peer.log" >&2; exit 1; }
    curl -fs "http://127.0.0.1:$PEER_PORT/health" >/dev/null 2>&1 && return
    sleep 0.1
  done
}

echo "== service: $WEB; TileServer GL light $PEER_VERSION on the same archive"
service_start "$WEB"
start_peer
echo "== warm-up"
drive warmup 5 "$WORK/tiles.txt" "$PORT" "$TOKEN" >/dev/null
drive peer-warmup 5 "$WORK/peer.txt" "$PEER_PORT" >/dev/null
# The remote side's cold start: the first 10 s of fresh workers with empty tile caches.
drive remote-cold 10 "$WORK/remote.txt" "$PORT" "$TOKEN"
# Then warm: every tile of the list in every worker's cache, until a pass sends no range.
for _ in $(seq 1 30); do
  drive remote-warmup "$DURATION" "$WORK/remote.txt" "$PORT" "$TOKEN" >/dev/null
  [ "$(cat "$WORK/remote-warmup.ranges")" -le "${BENCH_WARM_RANGES:-20}" ] && break
done
# Rounds alternate between the two, so that a slow spell of the machine does not fall on
# one side only; the report takes each side's median round.
for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round: service, tiles, full stack"
  drive "tiles-$round" "$DURATION" "$WORK/tiles.txt" "$PORT" "$TOKEN"
  echo "== round $round: service, the same tiles from the bucket (warm cache)"
  drive "remote-$round" "$DURATION" "$WORK/remote.txt" "$PORT" "$TOKEN"
  echo "== round $round: TileServer GL light, the same tiles"
  drive "peer-$round" "$DURATION" "$WORK/peer.txt" "$PEER_PORT"
done
stop "$PEER_PID"
$BIN/python bench/report.py memory "$SERVER_PID" "$TILES_INDEX_DIR" >"$WORK/memory.json"
echo "== baseline view"
drive baseline "$DURATION" "$WORK/baseline.txt" "$PORT"
echo "== tiles without the token check"
drive open "$DURATION" "$WORK/open.txt" "$PORT"
echo "== TileJSON"
drive tilejson "$DURATION" "$WORK/tilejson.txt" "$PORT" "$TOKEN"

echo "== restart: the first 10 seconds of fresh workers"
stop "$SERVER_PID"
service_start "$WEB"
drive cold 10 "$WORK/tiles.txt" "$PORT" "$TOKEN"
stop "$SERVER_PID"

$BIN/python bench/report.py results "$WORK" bench/results.md \
  "\`$WEB\` (WEB_CONCURRENCY=${WEB_CONCURRENCY:-default}, WEB_THREADS=${WEB_THREADS:-default}) against TileServer GL light $PEER_VERSION; $ARCHIVE_FIGURES; $(wc -l <"$WORK/tiles.txt") distinct random existing tiles; wrk 2 threads, $CONNECTIONS connections, ${DURATION}s per run, $ROUNDS alternating rounds of service and peer; $(nproc) cores shared by servers and load generator"
cat bench/results.md
