"""Proposed changes from an audit's latest results, for the synced pages they match."""

import json
import re

import pytest

from audit_engine.page_checks import page_analyse
from tests.hubspot_cms.factories import AuditedSiteFactory

pytestmark = [pytest.mark.django_db]

DESCRIPTION = (
    "Acme makes widgets for people who build things that last, and has since 1962 in a small "
    "workshop by the river. Every widget is tested by hand before it ships, one at a time."
)


@pytest.fixture
def synced(api_client, latentgeo_auth, portal):
    connection = portal["connection"]
    api_client.post(f"/api/v1/hubspot/sync/{connection.pk}", **latentgeo_auth())
    return portal


def _recommendations(api_client, latentgeo_auth, audit, **caller) -> list[dict]:
    response = api_client.get(
        f"/api/v1/hubspot/recommendations/{audit.pk}", **latentgeo_auth(**caller)
    )
    assert response.status_code == 200, response.content
    return response.json()["recommendations"]


def test_matched_pages_get_title_description_and_schema_from_the_page(
    api_client, latentgeo_auth, hubspot, synced, audit
):
    items = _recommendations(api_client, latentgeo_auth, audit)
    about = synced["about"]
    by_key = {(item["hubspot_page_id"], item["field"]): item for item in items}
    # The elsewhere.example page matches no synced page; the post's missing H1 is not ours.
    assert sorted(by_key) == sorted(
        [
            (about["id"], "html_title"),
            (about["id"], "meta_description"),
            (about["id"], "head_html"),
            (synced["posts"][0]["id"], "meta_description"),
        ]
    )
    title = by_key[(about["id"], "html_title")]
    assert title == {
        "id": title["id"],
        "hubspot_page_id": about["id"],
        "page_url": f"{hubspot.url}/site/about",
        "page_title": "About",
        "field": "html_title",
        "current_value": "",
        "recommended_value": "About Acme Widgets",
        "priority": "high",
        "auto_fixable": True,
        "issue_type": "missing_title",
        "code": "TITLE_MISSING",
    }
    description = by_key[(about["id"], "meta_description")]["recommended_value"]
    assert len(description) <= 160 and DESCRIPTION.startswith(description)
    # Cut after a whole word.
    assert not DESCRIPTION[len(description)].isalnum()
    assert by_key[(about["id"], "meta_description")]["priority"] == "medium"


def test_proposed_json_ld_is_what_the_engine_accepts(
    api_client, latentgeo_auth, hubspot, synced, audit
):
    items = _recommendations(api_client, latentgeo_auth, audit)
    head = next(item for item in items if item["field"] == "head_html")["recommended_value"]
    match = re.fullmatch(r'<script type="application/ld\+json">(.*)</script>', head, re.S)
    data = json.loads(match[1])
    assert data["@type"] == "WebPage" and data["url"] == f"{hubspot.url}/site/about"
    page = f"<html><head><title>t</title>{head}</head><body><h1>x</h1></body></html>"
    findings = page_analyse(url=data["url"], html=page.encode(), charset=None, robots_header="")
    assert "SCHEMA_MISSING" not in findings.findings
    assert "SCHEMA_INVALID" not in findings.findings


def test_existing_head_html_is_kept_before_the_added_block(
    api_client, latentgeo_auth, hubspot, synced, audit
):
    about = synced["about"]
    hubspot.page_edit("site_page", about["id"], headHtml='<link rel="preload" href="/a.css">')
    api_client.post(f"/api/v1/hubspot/sync/{synced['connection'].pk}", **latentgeo_auth())
    items = _recommendations(api_client, latentgeo_auth, audit)
    head = next(item for item in items if item["field"] == "head_html")
    assert head["current_value"] == '<link rel="preload" href="/a.css">'
    assert head["recommended_value"].startswith('<link rel="preload" href="/a.css">\n<script ')


def test_ids_are_stable_and_follow_the_value(api_client, latentgeo_auth, hubspot, synced, audit):
    first = {item["id"] for item in _recommendations(api_client, latentgeo_auth, audit)}
    second = {item["id"] for item in _recommendations(api_client, latentgeo_auth, audit)}
    assert first == second and len(first) == 4
    hubspot.state.site["/site/about"] = hubspot.state.site["/site/about"].replace(
        "About   Acme Widgets", "About Acme"
    )
    third = {
        item["field"]: item["id"]
        for item in _recommendations(api_client, latentgeo_auth, audit)
        if item["hubspot_page_id"] == synced["about"]["id"]
    }
    assert third["meta_description"] in first
    assert third["html_title"] not in first


def test_applying_a_recommendation_as_listed_writes_it(
    api_client, latentgeo_auth, hubspot, synced, audit
):
    items = _recommendations(api_client, latentgeo_auth, audit)
    response = api_client.post(
        "/api/v1/hubspot/apply-recommendations",
        {"audit_id": audit.pk, "recommendations": items},
        format="json",
        **latentgeo_auth(),
    )
    assert response.json()["applied"] == 4, response.content
    about = hubspot.page("site_page", synced["about"]["id"])
    assert about["htmlTitle"] == "About Acme Widgets"
    assert about["headHtml"].startswith('<script type="application/ld+json">')
    # What is applied is no longer proposed.
    assert _recommendations(api_client, latentgeo_auth, audit) == []


def test_nothing_is_proposed_without_synced_pages(api_client, latentgeo_auth, hubspot, audit):
    assert _recommendations(api_client, latentgeo_auth, audit) == []


def test_someone_elses_audit_gets_no_recommendations(
    api_client, latentgeo_auth, hubspot, synced, audit
):
    response = api_client.get(
        f"/api/v1/hubspot/recommendations/{audit.pk}",
        **latentgeo_auth(sub="auth0|bob", email="bob@example.com"),
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "No autorizado para esta auditoría"}


def test_another_users_pages_are_never_proposed(api_client, latentgeo_auth, hubspot, synced):
    bobs_audit = AuditedSiteFactory(
        owner_user_id="auth0|bob",
        owner_email="bob@example.com",
        results={"pages": [{"url": f"{hubspot.url}/site/about", "findings": ["TITLE_MISSING"]}]},
    )
    items = _recommendations(
        api_client, latentgeo_auth, bobs_audit, sub="auth0|bob", email="bob@example.com"
    )
    assert items == []
