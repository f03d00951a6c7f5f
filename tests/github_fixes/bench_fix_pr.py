"""Figures of fixes as GitHub pull requests, on the site with known defects.

Run: `make pytest ARGS="tests/github_fixes/bench_fix_pr.py -s"` (not part of the suite: the
file name is not `test_*`; PostgreSQL and Redis as for the tests). It
writes bench/fix-pr-results.md:

- findings of the defects site fixed automatically, against all of them (counted per page
  and code, the engine's own way, after auditing the pushed branch again);
- the time from the request to an opened pull request for a 50-page site (the request
  reads the repository through the local GitHub peer, builds the fixes, writes one commit
  with the Git Data API and opens the PR), for a first run and a second run that updates
  it, over several rounds.

Everything runs on one machine: the service in-process, the GitHub peer and the site on
127.0.0.1. The figures measure this project's work plus the peer's git commands, not GitHub's
latency.
"""

import statistics
import time
from pathlib import Path

import pytest

from github_fixes.models import Repository
from tests.connections.github_peer import git
from tests.github_fixes.conftest import engine_audit
from tests.github_fixes.defects_site import defects_site_files
from tests.github_fixes.test_key_flow import AUTOMATIC, _pairs
from tests.reports.factories import CompletedAuditFactory

pytestmark = pytest.mark.django_db
ROUNDS = 3
RESULTS = Path(__file__).resolve().parents[2] / "bench" / "fix-pr-results.md"


def _pr(api_client, auth, connection, repository, audit_id):
    started = time.perf_counter()
    response = api_client.post(
        f"/api/v1/github/create-auto-fix-pr/{connection.pk}/{repository.pk}",
        {"audit_id": audit_id},
        format="json",
        **auth,
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.content
    return elapsed, response.json()


def test_fix_pr_figures(
    api_client, latentgeo_auth, connection, peer_repository, folder_site, tmp_path
):
    auth = latentgeo_auth()
    lines = ["# Fixes as GitHub pull requests: figures", ""]

    # Share of findings fixed automatically on the 5-page defects site.
    repo = peer_repository("defects", defects_site_files())
    site = folder_site(repo.path)
    before = _pairs(engine_audit(site.root))
    audit = CompletedAuditFactory(url=site.root, results=engine_audit(site.root))
    api_client.post(f"/api/v1/github/sync/{connection.pk}", **auth)
    api_client.post(
        f"/api/v1/github/fix-inputs/{audit.pk}",
        {"inputs": [{"id": "author:/blog/restoring-frames/", "values": {"name": "Ana Ruiz"}}]},
        format="json",
        **auth,
    )
    repository = Repository.objects.get(name="defects")
    _elapsed, body = _pr(api_client, auth, connection, repository, audit.pk)
    checkout = tmp_path / "defects-fixed"
    git(repo.path, "worktree", "add", "-q", str(checkout), body["branch"])
    site.folder = checkout
    after = _pairs(engine_audit(site.root))
    fixed = before - after
    codes_before = {code for code, _url in before}
    lines += [
        "## Findings fixed automatically (defects site, 5 pages)",
        "",
        f"- findings (page, code) before: {len(before)}; after the PR: {len(after)}; "
        f"fixed: {len(fixed)} ({100 * len(fixed) // len(before)} %)",
        f"- finding codes before: {len(codes_before)}; fixed entirely: "
        f"{len(codes_before & AUTOMATIC)}; left to a person: "
        f"{', '.join(sorted(codes_before - AUTOMATIC))}",
        "- with the author given as a fix input; without it AUTHOR_MISSING stays manual",
        "",
    ]

    # Request to opened PR for a 50-page site, first run and update, alternating rounds.
    first, second, audit_seconds = [], [], []
    for round_number in range(ROUNDS):
        name = f"fifty-{round_number}"
        repo = peer_repository(name, defects_site_files(pages=50))
        site = folder_site(repo.path)
        started = time.perf_counter()
        results = engine_audit(site.root, max_pages=60)
        audit_seconds.append(time.perf_counter() - started)
        assert len(results["pages"]) == 50
        audit = CompletedAuditFactory(url=site.root, results=results)
        api_client.post(f"/api/v1/github/sync/{connection.pk}", **auth)
        repository = Repository.objects.get(name=name)
        elapsed, body = _pr(api_client, auth, connection, repository, audit.pk)
        first.append(elapsed)
        assert len(body["files_modified"]) >= 48
        elapsed, _body = _pr(api_client, auth, connection, repository, audit.pk)
        second.append(elapsed)
    lines += [
        "## Request to opened PR, 50-page site",
        "",
        f"- rounds: {ROUNDS}; files in the commit: {len(body['files_modified'])}",
        "- first run (opens the PR): "
        + ", ".join(f"{s:.2f} s" for s in first)
        + f" (median {statistics.median(first):.2f} s)",
        "- second run (updates branch and PR): "
        + ", ".join(f"{s:.2f} s" for s in second)
        + f" (median {statistics.median(second):.2f} s)",
        "- for scale, the audit of the same site: "
        + ", ".join(f"{s:.2f} s" for s in audit_seconds),
        "",
        "Measured on the project's 2-core machine shared with other work; the GitHub peer runs "
        "git commands for every blob, tree, commit and ref, in the same process.",
    ]
    RESULTS.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
