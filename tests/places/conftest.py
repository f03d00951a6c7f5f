import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.places.factories import places_load


@pytest.fixture
def places_auth(geog_auth):
    """Headers of a caller with `places:read` (organization `acme`, free tier)."""
    return geog_auth(scopes="places:read")


@pytest.fixture
def place_rows(db):
    """Import places given as dicts of file fields: `place_rows([{"id", "name", ...}])`."""

    def load(rows: list[dict], source: str = "test", replace: bool = False) -> None:
        places_load(rows, source=source, replace=replace)

    return load


@pytest.fixture
def search(client, places_auth):
    """POST a search body; returns the response."""

    def post(body, **headers):
        return client.post(
            "/v1/places/search", body, content_type="application/json", **(headers or places_auth)
        )

    return post


def sqlite_run(
    target: str, directory: Path, extra_env: dict | None = None
) -> subprocess.CompletedProcess:
    """Run pytest `target` in a child process on a fresh SQLite database in `directory`."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{directory / 'places.sqlite3'}",
        **(extra_env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "pytest", target, "-q", "-p", "no:randomly", "--create-db"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


skip_on_sqlite = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("sqlite"), reason="this is the SQLite run"
)
