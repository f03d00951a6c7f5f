"""The whole flow on a real git repository: audit, open the fix PR, check out, audit again."""

import subprocess

import pytest

from github_fixes.models import FixPullRequest, Repository
from notifications.models import WebhookDelivery
from tests.connections.github_peer import git
from tests.github_fixes.conftest import engine_audit
from tests.github_fixes.defects_site import defects_site_files
from tests.notifications.factories import WebhookEndpointFactory
from tests.reports.factories import CompletedAuditFactory

pytestmark = pytest.mark.django_db

AUTOMATIC = {
    "TITLE_MISSING",
    "META_DESCRIPTION_MISSING",
    "CANONICAL_MISSING",
    "SCHEMA_MISSING",
    "H1_MULTIPLE",
    "AUTHOR_MISSING",
    "AI_CRAWLER_BLOCKED",
    "SITEMAP_MISSING",
    "LLMS_TXT_MISSING",
}


def _pairs(results: dict) -> set[tuple[str, str]]:
    """(code, page URL) of every finding: per page for page checks, the site root otherwise."""
    pairs = {(code, page["url"]) for page in results["pages"] for code in page.get("findings", [])}
    page_codes = {code for code, _url in pairs}
    pairs |= {(f["code"], f["url"]) for f in results["findings"] if f["code"] not in page_codes}
    return pairs


def test_fix_pr_fixes_every_automatic_finding_and_leaves_the_manual_ones(
    api_client, latentgeo_auth, connection, peer_repository, folder_site, tmp_path
):
    repo = peer_repository("workshop", defects_site_files())
    site = folder_site(repo.path)
    results = engine_audit(site.root)
    before = _pairs(results)
    assert {code for code, _url in before} >= AUTOMATIC
    audit = CompletedAuditFactory(url=site.root, results=results)
    auth = latentgeo_auth()
    WebhookEndpointFactory(
        url="https://hooks.example/latentgeo", events=["github_pr.opened", "github_pr.merged"]
    )

    synced = api_client.post(f"/api/v1/github/sync/{connection.pk}", **auth)
    assert synced.json() == {"status": "success", "synced_count": 1}
    repository = Repository.objects.get(connection=connection)
    inputs = api_client.post(
        f"/api/v1/github/fix-inputs/{audit.pk}",
        {
            "inputs": [
                {
                    "id": "author:/blog/restoring-frames/",
                    "issue_code": "AUTHOR_MISSING",
                    "page_path": "/blog/restoring-frames/",
                    "values": {"name": "Ana Ruiz"},
                }
            ]
        },
        format="json",
        **auth,
    )
    assert inputs.status_code == 200, inputs.content

    response = api_client.post(
        f"/api/v1/github/create-auto-fix-pr/{connection.pk}/{repository.pk}",
        {"audit_id": audit.pk},
        format="json",
        **auth,
    )

    assert response.status_code == 200, response.content
    body = response.json()
    branch = f"latentgeo/audit-{audit.pk}"
    assert body["success"] is True
    assert body["branch"] == branch
    assert body["pr"] == {"html_url": body["pr_url"], "number": body["pr_number"]}
    assert body["pr_url"] == "https://github.example/acme/workshop/pull/1"
    assert sorted(body["files_modified"]) == [
        "about.html",
        "blog/restoring-frames/index.html",
        "index.html",
        "llms.txt",
        "robots.txt",
        "sitemap.xml",
        "workshop.html",
    ]
    assert {fix["code"] for fix in body["fixes_applied"]} == AUTOMATIC
    pull = repo.pulls[0]
    assert pull["head"] == {"ref": branch} and pull["base"] == {"ref": "main"}
    assert "## Fixes per file" in pull["body"]
    assert "- [ ] THIN_CONTENT: Page has thin content" in pull["body"]

    # Check out the pushed branch, serve it at the same address, audit it again.
    checkout = tmp_path / "checkout"
    git(repo.path, "worktree", "add", "-q", str(checkout), branch)
    site.folder = checkout
    after = _pairs(engine_audit(site.root))
    fixed = {pair for pair in before if pair[0] in AUTOMATIC}
    assert not {pair for pair in after if pair[0] in AUTOMATIC}
    assert after == before - fixed

    # The commit holds only the fixes: HTML lines are added, except the two changed in place.
    assert git(repo.path, "rev-list", "--count", f"main..{branch}").strip() == "1"
    diff = git(repo.path, "diff", "--unified=0", "main", branch)
    removed = [
        line for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")
    ]
    assert removed == ["-<title> </title>", "-<h1>Restoring vintage bicycles</h1>"]
    added = [
        line for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")
    ]
    assert "+<title>Restoring vintage bicycles</title>" in added
    assert "+<h2>Restoring vintage bicycles</h2>" in added
    robots = git(repo.path, "show", f"{branch}:robots.txt")
    assert robots.startswith(defects_site_files()["robots.txt"])
    assert FixPullRequest.objects.get().status == "open"
    opened = WebhookDelivery.objects.get(event="github_pr.opened")
    assert f'"pr_url":"{body["pr_url"]}"' in opened.payload

    # A second run updates the same branch and pull request.
    again = api_client.post(
        f"/api/v1/github/create-auto-fix-pr/{connection.pk}/{repository.pk}",
        {"audit_id": audit.pk},
        format="json",
        **auth,
    )
    assert again.status_code == 200, again.content
    assert again.json()["pr_number"] == body["pr_number"]
    assert len(repo.pulls) == 1
    assert FixPullRequest.objects.count() == 1
    assert WebhookDelivery.objects.filter(event="github_pr.opened").count() == 1
    assert git(repo.path, "rev-list", "--count", f"main..{branch}").strip() == "1"
    listed = api_client.get(f"/api/v1/github/prs/{repository.pk}", **auth).json()
    assert [(p["pr_number"], p["status"], p["audit_id"]) for p in listed] == [(1, "open", audit.pk)]
    subprocess.run(["git", "worktree", "remove", "--force", str(checkout)], cwd=repo.path)
