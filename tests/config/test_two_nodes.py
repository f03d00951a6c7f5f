"""Two web nodes sharing no disk: tilesets and PDF reports live in an S3-compatible bucket.

Each node is the Procfile's web command with a folder of its own for tileset files, tile
indexes and media; a Celery worker runs beside node A. Both serve the same tiles, and a
report rendered by node A's worker downloads from node B.
"""

import io
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from authn.internal_tokens import internal_token_issue
from tests.object_storage import ACCESS_KEY, REGION, SECRET_KEY, free_port
from tests.reports.conftest import celery_redis_broker  # noqa: F401
from tests.reports.factories import CompletedAuditFactory
from tests.reports.test_pdf_worker import WORKER_ARGS, _test_database_url
from tests.tiles.archives import mvt_tile, pmtiles_write, pyramid

pytestmark = pytest.mark.django_db(transaction=True)

STARTUP_SECONDS = 90
MAX_WAIT_SECONDS = 120


def _procfile(process: str) -> str:
    for line in (Path(settings.BASE_DIR) / "Procfile").read_text().splitlines():
        if line.startswith(f"{process}:"):
            return line.removeprefix(f"{process}:").strip()
    raise AssertionError(f"the Procfile has no {process} process")


def _request(url: str, headers: dict, method: str = "GET") -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class Node:
    """One node's processes and folders; nothing of it is shared with the other node."""

    def __init__(self, name: str, root: Path, env: dict) -> None:
        self.name = name
        self.root = root / name
        self.root.mkdir()
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **env,
            "PORT": str(self.port),
            "TILESETS_DIR": str(self.root / "tilesets"),
            "TILES_INDEX_DIR": str(self.root / "tile-index"),
            "MEDIA_ROOT": str(self.root / "media"),
        }
        self.processes: list[subprocess.Popen] = []

    def run(self, command: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["bash", "-c", command],
            cwd=settings.BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def start(self, command: str, log_name: str) -> Path:
        log_path = self.root / log_name
        with open(log_path, "wb") as log:
            self.processes.append(
                subprocess.Popen(
                    ["bash", "-c", f"exec {command}"],
                    cwd=settings.BASE_DIR,
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        return log_path

    def web_start(self) -> None:
        log_path = self.start(_procfile("web").replace("0.0.0.0", "127.0.0.1"), "web.log")
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline and self.processes[-1].poll() is None:
            try:
                if _request(f"{self.base}/health/live", {})[0] == 200:
                    return
            except OSError:
                time.sleep(0.3)
        raise AssertionError(log_path.read_text()[-3000:])

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture
def two_nodes(s3_server, tmp_path, celery_redis_broker):  # noqa: F811
    client = s3_server.client()
    client.create_bucket(Bucket="shared-tiles")
    client.create_bucket(Bucket="shared-reports")
    client.upload_file(
        str(pmtiles_write(tmp_path / "roads.pmtiles", pyramid(3), leaf_size=16)),
        "shared-tiles",
        "tilesets/roads.pmtiles",
    )
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": celery_redis_broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "WEB_CONCURRENCY": "1",
        "WEB_THREADS": "2",
        "TILESETS_URL": "s3://shared-tiles/tilesets/",
        "AWS_STORAGE_BUCKET_NAME": "shared-reports",
        "AWS_ENDPOINT_URL": s3_server.endpoint,
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_REGION": REGION,
    }
    nodes = [Node("node-a", tmp_path, env), Node("node-b", tmp_path, env)]
    try:
        yield nodes
    finally:
        for node in nodes:
            node.stop()


def test_two_nodes_serve_the_same_tiles_and_each_others_reports(two_nodes, s3_server, geog_auth):
    node_a, node_b = two_nodes
    # Node A deploys with the Procfile's release step, which indexes the bucket's archive.
    release = node_a.run(_procfile("release"))
    assert release.returncode == 0, release.stderr[-3000:]
    assert list((node_a.root / "tile-index").glob("roads-*.idx"))
    node_a.web_start()
    node_b.web_start()
    worker_log = node_a.start(f"{sys.executable} -m celery {' '.join(WORKER_ARGS)}", "worker.log")

    tiles = {"Authorization": geog_auth(scopes="tiles:read")["HTTP_AUTHORIZATION"]}
    for z, x, y in [(0, 0, 0), (2, 1, 3), (3, 6, 2)]:
        url = f"/v1/tiles/roads/{z}/{x}/{y}.mvt"
        answers = [_request(f"{node.base}{url}", tiles) for node in two_nodes]
        assert [status for status, _, _ in answers] == [200, 200]
        assert answers[0][2] == answers[1][2] == mvt_tile(z, x, y)
        assert answers[0][1]["ETag"] == answers[1][1]["ETag"]

    audit = CompletedAuditFactory()
    token = internal_token_issue(sub=audit.owner_user_id, email=audit.owner_email)
    caller = {"Authorization": f"Bearer {token}"}
    path = f"/api/v1/audits/{audit.pk}"
    status, _, _ = _request(f"{node_a.base}{path}/generate-pdf", caller, method="POST")
    assert status == 202
    deadline = time.monotonic() + MAX_WAIT_SECONDS
    state = {"status": "queued"}
    while state["status"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.5)
        state = json.loads(_request(f"{node_a.base}{path}/pdf-status", caller)[2])
    assert state["status"] == "completed", worker_log.read_text()[-3000:]

    status, headers, content = _request(f"{node_b.base}{path}/download-pdf", caller)
    assert status == 200
    assert headers["Content-Type"] == "application/pdf"
    assert len(content) == state["file_size"]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert audit.url in text
    # The report is in the bucket, and on neither node's disk.
    listed = s3_server.client().list_objects_v2(Bucket="shared-reports").get("Contents", [])
    assert [item["Key"].endswith(".pdf") for item in listed] == [True]
    for node in two_nodes:
        assert not list((node.root / "media").rglob("*.pdf"))
