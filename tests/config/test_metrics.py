"""/metrics adds up every web worker under the Procfile's command, and can be restricted."""

import ipaddress
import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from authn.internal_tokens import internal_token_issue
from tests.procfile_web import http_get

FAILURES = 13
SCRAPES = 6


def _missing_sub_count(text: str) -> float:
    pattern = r'^auth_failures_total\{api="latentgeo",code="missing_sub"\} (\S+)$'
    found = re.search(pattern, text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


def test_metrics_add_up_both_workers_under_the_procfile_command(web_server):
    base, metrics_dir, log_path = web_server
    assert http_get(f"{base}/health/live")[0] == 200, log_path.read_text()[-3000:]
    headers = {"Authorization": f"Bearer {internal_token_issue(sub='')}"}

    def rejected(_index: int) -> str:
        status, response_headers, _body = http_get(f"{base}/api/v1/audits", headers)
        assert status == 401
        return response_headers["X-Auth-Error-Code"]

    # Concurrent requests, each on its own connection, so both workers take some of them.
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert set(pool.map(rejected, range(FAILURES))) == {"missing_sub"}

    counts = [_missing_sub_count(http_get(f"{base}/metrics")[2]) for _ in range(SCRAPES)]
    assert counts == [FAILURES] * SCRAPES
    # Each worker process keeps its own file; the scrape added them up.
    assert list(metrics_dir.glob("counter_*.db"))


@pytest.mark.parametrize(
    ("token", "networks", "authorization", "status"),
    [
        ("s3cret-scrape-token", [], None, 401),
        ("s3cret-scrape-token", [], "Bearer wrong", 401),
        ("s3cret-scrape-token", [], "Bearer s3cret-scrape-token", 200),
        ("", ["10.0.0.0/8"], None, 403),
        ("", ["127.0.0.0/8"], None, 200),
        ("s3cret-scrape-token", ["10.0.0.0/8"], "Bearer s3cret-scrape-token", 200),
        ("", [], None, 200),
    ],
)
def test_metrics_can_be_restricted_by_token_or_network(
    client, settings, token, networks, authorization, status
):
    settings.METRICS_BEARER_TOKEN = token
    settings.METRICS_ALLOWED_NETWORKS = [ipaddress.ip_network(network) for network in networks]
    extra = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = client.get("/metrics", **extra)
    assert response.status_code == status
    if status == 401:
        assert response["WWW-Authenticate"] == "Bearer"
