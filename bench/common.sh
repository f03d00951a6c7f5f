# Sourced by the make bench scripts: what every run sets up the same way (the repository root
# as working directory, wrk and the local services, the production-like environment, the
# database, the sample archive, the service on a web command) and the one way a wrk run
# leaves its figures, so that the figures of the scripts stay comparable.
# A script sets PORT (and BENCH_PIDS, the names of the variables holding the pids of what it
# starts, SERVER_PID included) before it starts anything.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The knobs every part reads, with the defaults its figures are published at.
DURATION=${BENCH_DURATION:-20}
ROUNDS=${BENCH_ROUNDS:-3}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
PLACES_CONNECTIONS=${BENCH_PLACES_CONNECTIONS:-4}
TILE_COUNT=${BENCH_TILE_COUNT:-20000}

BIN=$PWD/.venv/bin
BENCH_DIR=$PWD/var/bench
ARCHIVE=$BENCH_DIR/tilesets/places.pmtiles
WORK=$(mktemp -d)
SERVER_PID=""
BENCH_PIDS=${BENCH_PIDS:-SERVER_PID}

stop() {  # pid
  if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then
    kill "$1" && wait "$1" 2>/dev/null || true
  fi
}
cleanup() {
  local name
  for name in $BENCH_PIDS; do
    stop "${!name:-}"
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

tools_up() {  # wrk, and PostgreSQL and Redis running
  if ! command -v wrk >/dev/null; then
    echo "Installing wrk..."
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
  fi
  bin/services-up
}

environment_export() {  # database name: the settings of a production node on this machine
  export ENV_FILE= DEBUG=false SECRET_KEY=bench-only-secret-key
  export ENCRYPTION_KEY=YmVuY2gtb25seS1lbmNyeXB0aW9uLWtleS0zMi1ieXQ=
  export DATABASE_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/$1}
  export REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/15}
  export CELERY_BROKER_URL= SENTRY_DSN= LOG_LEVEL=WARNING ALLOWED_HOSTS=127.0.0.1,localhost
  export PATH=$BIN:$PATH
}

database_migrate() {  # the bench database, created when missing, at the latest migration
  local database=${DATABASE_URL##*/}
  if ! psql "${DATABASE_URL%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
    psql "${DATABASE_URL%/*}/postgres" -qc "CREATE DATABASE \"$database\""
  fi
  $BIN/python manage.py migrate --noinput >/dev/null
}

cache_clear() {  # counters and cached tokens of an earlier run
  $BIN/python manage.py shell -v0 -c "from django.core.cache import cache; cache.clear()"
}

archive_build() {  # every cities500 place at zooms 0-14, built once (a few minutes) and kept
  if [ ! -f "$ARCHIVE" ]; then
    echo "Building $ARCHIVE with tippecanoe (once; a few minutes)..."
    PYTHONPATH=. $BIN/python bench/archive_build.py "$ARCHIVE"
  fi
}

procfile_web() {  # the Procfile's web line, as production starts it
  sed -n 's/^web: //p' Procfile
}

service_start() {  # web command: the service on PORT, answering its liveness probe
  PORT=$PORT bash -c "exec $1" >"$WORK/web.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 600); do
    # A server of someone else on the port would answer too: ours must still be running.
    kill -0 "$SERVER_PID" 2>/dev/null || break
    curl -fs "http://127.0.0.1:$PORT/health/live" >/dev/null 2>&1 && return
    sleep 0.1
  done
  echo "The service did not start:" >&2
  cat "$WORK/web.log" >&2
  exit 1
}

wrk_run() {  # name connections seconds script port [script arguments...]
  # Prints wrk's summary; the figures go to $WORK/<name>.json for the reports.
  local name=$1 connections=$2 seconds=$3 script=$4 port=$5
  shift 5
  wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$script" "http://127.0.0.1:$port" \
    -- "$@" | tee "$WORK/run-$name.log" | grep -v BENCH_JSON
  grep BENCH_JSON "$WORK/run-$name.log" | sed 's/^BENCH_JSON //' >"$WORK/$name.json"
}
