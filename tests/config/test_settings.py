import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_PRINT_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s;"
    "print(json.dumps({'db': s.DATABASES['default']['ENGINE'],"
    " 'cache': s.CACHES['default']['BACKEND'], 'eager': s.CELERY_TASK_ALWAYS_EAGER,"
    " 'serializer': s.CELERY_TASK_SERIALIZER, 'accept': s.CELERY_ACCEPT_CONTENT,"
    " 'time_limit': s.CELERY_TASK_TIME_LIMIT}))"
)


def _run_settings(**overrides: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DEBUG", "SECRET_KEY"}
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings", **overrides)
    return subprocess.run(
        [sys.executable, "-c", _PRINT_SETTINGS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_refuses_to_start_with_the_default_secret_key():
    completed = _run_settings(DEBUG="false")
    assert completed.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in completed.stderr


def test_embedded_default_uses_sqlite_local_memory_and_eager_tasks():
    completed = _run_settings(DEBUG="true")
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout) == {
        "db": "django.db.backends.sqlite3",
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "eager": True,
        "serializer": "json",
        "accept": ["json"],
        "time_limit": 300,
    }


def test_production_uses_postgresql_redis_and_a_broker():
    completed = _run_settings(
        SECRET_KEY="a-real-secret",
        DATABASE_URL="postgres://app@db.internal:5432/app",
        REDIS_URL="redis://cache.internal:6379/0",
        CELERY_BROKER_URL="redis://cache.internal:6379/1",
    )
    assert completed.returncode == 0, completed.stderr
    settings = json.loads(completed.stdout)
    assert settings["db"] == "django.db.backends.postgresql"
    assert settings["cache"] == "django_redis.cache.RedisCache"
    assert settings["eager"] is False


def test_internal_test_tokens_without_debug_refuse_to_start():
    completed = _run_settings(
        SECRET_KEY="a-real-secret",
        ALLOW_INTERNAL_TEST_JWT="true",
        INSECURE_FORCE_INTERNAL_TEST_JWT_WITHOUT_DEBUG="false",
    )
    assert completed.returncode != 0
    assert "ALLOW_INTERNAL_TEST_JWT is on while DEBUG is off" in completed.stderr


def test_internal_test_tokens_without_debug_start_only_when_forced():
    completed = _run_settings(
        SECRET_KEY="a-real-secret",
        ALLOW_INTERNAL_TEST_JWT="true",
        INSECURE_FORCE_INTERNAL_TEST_JWT_WITHOUT_DEBUG="true",
    )
    assert completed.returncode == 0, completed.stderr
