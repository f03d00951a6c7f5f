"""The fix list and the fix inputs of an audit, in the web app's shapes."""

import pytest

from tests.reports.factories import CompletedAuditFactory

pytestmark = pytest.mark.django_db

ROOT = "https://bikes.example/"
RESULTS = {
    "pages": [
        {"url": ROOT, "title": None, "scores": {}, "findings": ["SCHEMA_MISSING"]},
        {
            "url": ROOT + "post",
            "title": "Post",
            "scores": {},
            "findings": ["AUTHOR_MISSING", "THIN_CONTENT"],
        },
    ],
    "findings": [
        {
            "code": "SCHEMA_MISSING",
            "severity": "critical",
            "title": "No schema",
            "url": ROOT,
            "recommendation": "Describe the page.",
            "pages": [ROOT],
        },
        {
            "code": "AUTHOR_MISSING",
            "severity": "high",
            "title": "No author",
            "url": ROOT + "post",
            "recommendation": "Name the author.",
            "pages": [ROOT + "post"],
        },
        {
            "code": "THIN_CONTENT",
            "severity": "medium",
            "title": "Thin",
            "url": ROOT + "post",
            "recommendation": "Write more.",
            "pages": [ROOT + "post"],
        },
        {
            "code": "LLMS_TXT_MISSING",
            "severity": "medium",
            "title": "No llms.txt",
            "url": ROOT + "llms.txt",
            "recommendation": "Publish one.",
        },
    ],
}


@pytest.fixture
def audit():
    return CompletedAuditFactory(url=ROOT, results=RESULTS)


def test_fix_list_has_every_finding_with_its_kind(api_client, latentgeo_auth, audit):
    response = api_client.get(f"/api/v1/github/audit-to-fixes/{audit.pk}", **latentgeo_auth())
    assert response.status_code == 200
    body = response.json()
    assert (body["audit_id"], body["audit_url"], body["total_fixes"]) == (audit.pk, ROOT, 4)
    assert body["audit_date"]
    fixes = {(f["code"], f["page_url"]): f for f in body["fixes"]}
    assert fixes[("SCHEMA_MISSING", ROOT)]["kind"] == "automatic"
    assert fixes[("SCHEMA_MISSING", ROOT)]["type"] == "schema"
    assert fixes[("SCHEMA_MISSING", ROOT)]["priority"] == "critical"
    assert fixes[("AUTHOR_MISSING", ROOT + "post")]["kind"] == "manual"
    assert fixes[("LLMS_TXT_MISSING", ROOT + "llms.txt")]["kind"] == "automatic"
    assert set(fixes[("THIN_CONTENT", ROOT + "post")]) == {
        "type",
        "code",
        "priority",
        "value",
        "page_url",
        "description",
        "current_value",
        "impact",
        "kind",
    }


def test_fix_inputs_list_groups_and_what_remains_after_posting(api_client, latentgeo_auth, audit):
    url = f"/api/v1/github/fix-inputs/{audit.pk}"
    body = api_client.get(url, **latentgeo_auth()).json()
    assert body["audit_id"] == audit.pk
    assert [g["id"] for g in body["missing_inputs"]] == [
        "organization",
        "author:/post",
        "site",
        "language",
    ]
    site = next(g for g in body["missing_inputs"] if g["id"] == "site")
    assert site["required"] is True and body["missing_required"] is True
    assert site["fields"][0] == {
        "key": "name",
        "label": "Site name",
        "value": "",
        "placeholder": "Vintage Bicycles",
        "required": True,
        "input_type": "text",
    }
    assert site["fields"][1]["input_type"] == "textarea"

    posted = api_client.post(
        url,
        {
            "inputs": [
                {
                    "id": "site",
                    "issue_code": "LLMS_TXT_MISSING",
                    "page_path": "/",
                    "values": {"name": "Bikes", "description": "Old bikes."},
                },
                {
                    "id": "author:/post",
                    "issue_code": "AUTHOR_MISSING",
                    "page_path": "/post",
                    "values": {"name": "Ana Ruiz"},
                },
            ]
        },
        format="json",
        **latentgeo_auth(),
    )
    assert posted.status_code == 200
    remaining = posted.json()
    assert [g["id"] for g in remaining["missing_inputs"]] == ["organization", "language"]
    assert remaining["missing_required"] is False
    fixes = api_client.get(f"/api/v1/github/audit-to-fixes/{audit.pk}", **latentgeo_auth())
    kinds = {(f["code"], f["kind"]) for f in fixes.json()["fixes"]}
    assert ("AUTHOR_MISSING", "automatic") in kinds


def test_fix_inputs_reject_unknown_groups_and_bad_bodies(api_client, latentgeo_auth, audit):
    url = f"/api/v1/github/fix-inputs/{audit.pk}"
    unknown = api_client.post(
        url, {"inputs": [{"id": "nope", "values": {}}]}, format="json", **latentgeo_auth()
    )
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["body", "inputs", 0, "id"]
    missing = api_client.post(url, {}, format="json", **latentgeo_auth())
    assert missing.json()["detail"][0] == {
        "loc": ["body", "inputs"],
        "msg": "field required",
        "type": "value_error.missing",
    }
    too_long = api_client.post(
        url,
        {"inputs": [{"id": "site", "values": {"name": "x" * 2001}}]},
        format="json",
        **latentgeo_auth(),
    )
    assert too_long.status_code == 422


def test_fix_list_and_inputs_belong_to_the_audit_owner(api_client, latentgeo_auth, audit):
    bob = latentgeo_auth(sub="auth0|bob", email="bob@example.com")
    answers = [
        api_client.get(f"/api/v1/github/audit-to-fixes/{audit.pk}", **bob),
        api_client.get(f"/api/v1/github/fix-inputs/{audit.pk}", **bob),
        api_client.post(
            f"/api/v1/github/fix-inputs/{audit.pk}", {"inputs": []}, format="json", **bob
        ),
    ]
    for response in answers:
        assert response.status_code == 403
        assert response.json() == {"detail": "No autorizado para esta auditoría"}
    assert api_client.get("/api/v1/github/fix-inputs/999999", **latentgeo_auth()).json() == {
        "detail": "Auditoría no encontrada"
    }
