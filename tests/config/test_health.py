import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_health_reports_database_and_redis_connected(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "healthy",
        "services": {"database": "connected", "redis": "connected"},
    }


@pytest.mark.django_db
def test_health_is_degraded_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "services": {"database": "connected", "redis": "disconnected"},
    }
    ready = client.get("/health/ready")
    assert ready.status_code == 503
    assert ready.json() == {"status": "not_ready", "error": "dependency_unavailable"}


@pytest.mark.django_db
def test_ready_and_live(client):
    assert client.get("/health/ready").json() == {"status": "ready"}
    assert client.get("/health/live").json() == {"status": "alive"}


def _health_with_unreachable_database() -> dict:
    script = (
        "import json, django; django.setup();"
        "from django.test import Client;"
        "r = Client().get(PATH);"
        "print(json.dumps({'status': r.status_code, 'body': r.json(),"
        " 'retry_after': r.get('Retry-After')}))"
    )
    results = {}
    for path in ("/health", "/health/ready", "/health/live"):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:1/unreachable",
            "REDIS_URL": "",
            "SECRET_KEY": "test-only-secret-key",
        }
        completed = subprocess.run(
            [sys.executable, "-c", script.replace("PATH", repr(path))],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        results[path] = json.loads(completed.stdout.strip().splitlines()[-1])
    return results


def test_health_is_503_unhealthy_when_the_database_is_unreachable():
    results = _health_with_unreachable_database()
    assert results["/health"] == {
        "status": 503,
        "body": {
            "status": "unhealthy",
            "services": {"database": "disconnected", "redis": "disabled"},
        },
        "retry_after": "30",
    }
    assert results["/health/ready"] == {
        "status": 503,
        "body": {"status": "not_ready", "error": "dependency_unavailable"},
        "retry_after": "30",
    }
    assert results["/health/live"]["status"] == 200
