PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

# The embedded default: SQLite under var/, local-memory cache, Celery tasks in-process.
RUN_ENV := DEBUG=true
PORT ?= 8000

# The suite runs against real PostgreSQL and Redis on localhost.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/latentgeo
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
TEST_ENV := SECRET_KEY=test-only-secret-key-of-sufficient-length-0123456789 DEBUG=false ALLOW_INTERNAL_TEST_JWT=true \
	INSECURE_FORCE_INTERNAL_TEST_JWT_WITHOUT_DEBUG=true \
	ENCRYPTION_KEY=dGVzdC1vbmx5LWVuY3J5cHRpb24ta2V5LTMyLWJ5dGU= \
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) CELERY_BROKER_URL= \
	SENTRY_DSN= CORS_ALLOWED_ORIGINS=https://app.example.com ENV_FILE=

# MapLibre GL JS for the admin's tileset preview, pinned by tiles/preview_assets/package-lock.json.
NPM_DIR := var/npm
MAPLIBRE := $(NPM_DIR)/node_modules/maplibre-gl/dist/maplibre-gl.js

.PHONY: run test pytest lint services bench maplibre chromium

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(BIN)/.installed-dev: requirements-dev.txt $(BIN)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

$(MAPLIBRE): tiles/preview_assets/package.json tiles/preview_assets/package-lock.json
	mkdir -p $(NPM_DIR)
	cp tiles/preview_assets/package.json tiles/preview_assets/package-lock.json $(NPM_DIR)/
	cd $(NPM_DIR) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

maplibre: $(MAPLIBRE)

# Debian's chromium for the browser tests (Playwright drives it; it never downloads one).
chromium:
	bin/chromium-install

run: $(BIN)/.installed $(MAPLIBRE)
	@$(BIN)/python -m config.dev_env
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py build_sample_tilesets --if-missing
	$(RUN_ENV) $(BIN)/python manage.py load_sample_places --if-missing
	@TOKEN=$$($(RUN_ENV) $(BIN)/python manage.py create_api_token --org demo --tier unlimited \
		--name "make run" --scopes "tiles:read places:read") && \
		echo "Demo Geog token (organization demo, tiles:read places:read): $$TOKEN" && \
		echo "curl -s -H 'Authorization: Bearer $$TOKEN' http://127.0.0.1:$(PORT)/v1/tiles" && \
		echo "curl -s -H 'Authorization: Bearer $$TOKEN' -H 'Content-Type: application/json' http://127.0.0.1:$(PORT)/v1/places/search -d '{\"location\": {\"lat\": 48.8566, \"lon\": 2.3522}, \"radius\": 20000, \"query\": \"versailes\"}'"
	@printf 'LatentGEO dev caller (valid 24 h):\n  curl -s http://127.0.0.1:$(PORT)/api/v1/audits -H "Authorization: Bearer %s"\n' \
		"$$($(RUN_ENV) $(BIN)/python manage.py issue_test_jwt --sub 'auth0|dev' --email dev@example.com --expires-in 86400)"
	@echo "Admin: create a staff user with $(BIN)/python manage.py createsuperuser, then open http://127.0.0.1:$(PORT)/admin/"
	@echo "Tileset preview (staff login): http://127.0.0.1:$(PORT)/admin/tiles/tileset/"
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

services:
	bin/services-up

lint: $(BIN)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: $(BIN)/.installed-dev services lint chromium $(MAPLIBRE)
	$(TEST_ENV) $(BIN)/pytest --create-db

# Run part of the suite: make pytest ARGS="tests/errors -x"
pytest: $(BIN)/.installed-dev $(MAPLIBRE)
	$(TEST_ENV) $(BIN)/pytest $(ARGS)

# Tile throughput and latency of the Procfile web command (PostgreSQL, Redis) beside
# TileServer GL light on a large archive built once under var/bench/, driven by wrk, and
# the same archive from a bucket of moto's S3 server (a dev requirement); writes
# bench/results.md. Then places: import and search of a million places, written to
# bench/places-results.md. Then the rate-limit counters of both hot paths, side by side:
# bench/counters-results.md.
bench: $(BIN)/.installed-dev
	bench/run.sh
	bench/places.sh
	bench/counters.sh
