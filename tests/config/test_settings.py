import json
import os
import subprocess
import sys
from pathlib import Path

from config.dev_env import dev_env_write

ROOT = Path(__file__).resolve().parents[2]
_PRINT_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s;"
    "print(json.dumps({'db': s.DATABASES['default']['ENGINE'],"
    " 'cache': s.CACHES['default']['BACKEND'], 'eager': s.CELERY_TASK_ALWAYS_EAGER,"
    " 'serializer': s.CELERY_TASK_SERIALIZER, 'accept': s.CELERY_ACCEPT_CONTENT,"
    " 'time_limit': s.CELERY_TASK_TIME_LIMIT}))"
)


_PRINT_SECRETS = (
    "import json, django; django.setup(); from django.conf import settings as s;"
    "print(json.dumps({'debug': s.DEBUG, 'secret_key': s.SECRET_KEY,"
    " 'encryption_key': s.ENCRYPTION_KEY}))"
)

# Dropped from the suite's environment so that each test chooses them; ENV_FILE="" reads none.
_UNSET = {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DEBUG", "SECRET_KEY", "ENCRYPTION_KEY"}


def _run_settings(code: str = _PRINT_SETTINGS, **overrides: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in _UNSET}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", ENV_FILE="")
    env.update(overrides)
    return subprocess.run(
        [sys.executable, "-c", code],
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


def test_production_without_an_env_file_refuses_the_default_secret_key(tmp_path):
    completed = _run_settings(ENV_FILE=str(tmp_path / ".env"))
    assert completed.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in completed.stderr


def test_env_file_written_for_make_run_turns_debug_on_with_its_own_secrets(tmp_path):
    env_file = tmp_path / ".env"
    assert dev_env_write(path=env_file) == ["DEBUG", "SECRET_KEY", "ENCRYPTION_KEY"]
    completed = _run_settings(_PRINT_SECRETS, ENV_FILE=str(env_file))
    assert completed.returncode == 0, completed.stderr
    settings = json.loads(completed.stdout)
    assert settings["debug"] is True
    assert len(settings["secret_key"]) >= 50
    assert f"SECRET_KEY={settings['secret_key']}" in env_file.read_text()
    assert f"ENCRYPTION_KEY={settings['encryption_key']}" in env_file.read_text()


def test_environment_variables_win_over_the_env_file(tmp_path):
    env_file = tmp_path / ".env"
    dev_env_write(path=env_file)
    completed = _run_settings(
        _PRINT_SECRETS, ENV_FILE=str(env_file), DEBUG="false", SECRET_KEY="from-the-environment"
    )
    assert completed.returncode == 0, completed.stderr
    settings = json.loads(completed.stdout)
    assert settings["debug"] is False
    assert settings["secret_key"] == "from-the-environment"


def test_env_file_keeps_existing_values_and_adds_only_missing_ones(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("SECRET_KEY=chosen-by-the-developer\nREDIS_URL=redis://127.0.0.1:6379/3")
    assert dev_env_write(path=env_file) == ["DEBUG", "ENCRYPTION_KEY"]
    lines = env_file.read_text().splitlines()
    assert lines[:2] == ["SECRET_KEY=chosen-by-the-developer", "REDIS_URL=redis://127.0.0.1:6379/3"]
    assert lines[2] == "DEBUG=true"
    assert lines[3].startswith("ENCRYPTION_KEY=")
    assert dev_env_write(path=env_file) == []
