import pytest

from reports.models import Audit
from tests.reports.factories import COMPLETED_RESULTS, AuditFactory

pytestmark = pytest.mark.django_db

AUDITS = "/api/v1/audits"


def test_create_audit_is_pending_and_owned_by_the_caller(api_client, latentgeo_auth):
    response = api_client.post(
        AUDITS, {"url": "https://shop.example.com/"}, format="json", **latentgeo_auth()
    )
    assert response.status_code == 201
    body = response.json()
    assert body["url"] == "https://shop.example.com/"
    assert body["status"] == "pending"
    assert body["results"] is None
    audit = Audit.objects.get(pk=body["id"])
    assert (audit.owner_user_id, audit.owner_email) == ("auth0|alice", "alice@example.com")


@pytest.mark.parametrize("url", ["ftp://shop.example.com/", "javascript:alert(1)", "shop"])
def test_create_audit_rejects_non_web_urls(api_client, latentgeo_auth, url):
    response = api_client.post(AUDITS, {"url": url}, format="json", **latentgeo_auth())
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["body", "url"], "msg": "Enter a valid URL.", "type": "value_error.url"}
    ]


def test_create_audit_requires_url(api_client, latentgeo_auth):
    response = api_client.post(AUDITS, {}, format="json", **latentgeo_auth())
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["body", "url"], "msg": "field required", "type": "value_error.missing"}
    ]


def test_audits_need_a_bearer_token(api_client):
    response = api_client.get(AUDITS)
    assert response.status_code == 401
    assert response["X-Auth-Error-Code"] == "missing_token"


def test_list_shows_only_audits_owned_by_sub_or_email(api_client, latentgeo_auth):
    by_sub = AuditFactory(owner_user_id="auth0|alice", owner_email="")
    by_email = AuditFactory(owner_user_id="google|alice", owner_email="alice@example.com")
    AuditFactory(owner_user_id="auth0|bob", owner_email="bob@example.com")
    response = api_client.get(AUDITS, **latentgeo_auth())
    assert response.status_code == 200
    assert {item["id"] for item in response.json()} == {by_sub.pk, by_email.pk}


def test_detail_of_an_owned_audit(api_client, latentgeo_auth):
    audit = AuditFactory()
    response = api_client.get(f"{AUDITS}/{audit.pk}", **latentgeo_auth())
    assert response.status_code == 200
    assert response.json()["id"] == audit.pk


def test_detail_of_an_absent_audit_is_404(api_client, latentgeo_auth):
    response = api_client.get(f"{AUDITS}/999999", **latentgeo_auth())
    assert response.status_code == 404
    assert response.json() == {"detail": "Auditoría no encontrada"}


def test_detail_of_someone_elses_audit_is_403(api_client, latentgeo_auth):
    audit = AuditFactory(owner_user_id="auth0|bob", owner_email="bob@example.com")
    response = api_client.get(f"{AUDITS}/{audit.pk}", **latentgeo_auth())
    assert response.status_code == 403
    assert response.json() == {"detail": "No autorizado para esta auditoría"}


def test_detail_with_a_non_integer_id_is_422(api_client, latentgeo_auth):
    response = api_client.get(f"{AUDITS}/abc", **latentgeo_auth())
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "audit_id"]
    assert response.json()["detail"][0]["type"] == "type_error.integer"


def test_patch_results_completes_the_audit(api_client, latentgeo_auth):
    audit = AuditFactory()
    response = api_client.patch(
        f"{AUDITS}/{audit.pk}", {"results": COMPLETED_RESULTS}, format="json", **latentgeo_auth()
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "completed"
    assert body["results"]["scores"] == COMPLETED_RESULTS["scores"]
    assert body["results"]["findings"][0]["title"] == "Robots.txt blocks the product catalogue"
    audit.refresh_from_db()
    assert audit.results_revision == 1


def test_patch_of_someone_elses_audit_is_403_and_changes_nothing(api_client, latentgeo_auth):
    audit = AuditFactory(owner_user_id="auth0|bob", owner_email="bob@example.com")
    response = api_client.patch(
        f"{AUDITS}/{audit.pk}", {"results": COMPLETED_RESULTS}, format="json", **latentgeo_auth()
    )
    assert response.status_code == 403
    audit.refresh_from_db()
    assert audit.status == "pending"


def _finding(**changes) -> dict:
    return {**COMPLETED_RESULTS["findings"][0], **changes}


@pytest.mark.parametrize(
    ("results", "loc", "type_"),
    [
        ({"scores": {"seo": 101}, "findings": []}, ["scores", "seo"], "value_error.max_value"),
        ({"scores": {"seo": -1}, "findings": []}, ["scores", "seo"], "value_error.min_value"),
        (
            {"scores": {}, "findings": [_finding(severity="urgent")]},
            ["findings", 0, "severity"],
            "value_error.choice",
        ),
        (
            {"scores": {}, "findings": [{"severity": "low", "description": "d"}]},
            ["findings", 0, "title"],
            "value_error.missing",
        ),
        (
            {"scores": {}, "findings": [_finding(url="ftp://shop.example.com/")]},
            ["findings", 0, "url"],
            "value_error.url",
        ),
        ({"findings": []}, ["scores"], "value_error.missing"),
    ],
)
def test_patch_rejects_invalid_results(api_client, latentgeo_auth, results, loc, type_):
    audit = AuditFactory()
    response = api_client.patch(
        f"{AUDITS}/{audit.pk}", {"results": results}, format="json", **latentgeo_auth()
    )
    assert response.status_code == 422
    items = response.json()["detail"]
    assert {"loc": ["body", "results", *loc], "type": type_} in [
        {"loc": item["loc"], "type": item["type"]} for item in items
    ]
    audit.refresh_from_db()
    assert audit.status == "pending"


def test_an_unverified_email_does_not_read_the_owners_audit(api_client, latentgeo_auth):
    audit = AuditFactory(owner_user_id="auth0|owner", owner_email="owner@example.com")
    mallory = latentgeo_auth(sub="auth0|mallory", email="owner@example.com", email_verified=False)
    response = api_client.get(f"{AUDITS}/{audit.pk}", **mallory)
    assert response.status_code == 403
    assert response.json() == {"detail": "No autorizado para esta auditoría"}
    assert api_client.get(AUDITS, **mallory).json() == []


def test_a_verified_email_reads_the_audit_whatever_the_case(api_client, latentgeo_auth):
    audit = AuditFactory(owner_user_id="google|owner", owner_email="Owner@Example.com")
    caller = latentgeo_auth(sub="auth0|owner", email="owner@example.com", email_verified=True)
    assert api_client.get(f"{AUDITS}/{audit.pk}", **caller).status_code == 200
    assert [item["id"] for item in api_client.get(AUDITS, **caller).json()] == [audit.pk]


def _patch_results(api_client, latentgeo_auth, audit, results):
    return api_client.patch(
        f"{AUDITS}/{audit.pk}", {"results": results}, format="json", **latentgeo_auth()
    )


@pytest.mark.parametrize(
    ("results", "loc"),
    [
        ({"scores": {f"c{i}": 50 for i in range(51)}, "findings": []}, ["scores"]),
        ({"scores": {"x" * 65: 50}, "findings": []}, ["scores", "x" * 65]),
        ({"scores": {}, "findings": [_finding()] * 501}, ["findings"]),
        ({"summary": "s" * 10_001, "scores": {}, "findings": []}, ["summary"]),
        ({"scores": {}, "findings": [_finding(title="t" * 2_001)]}, ["findings", 0, "title"]),
        (
            {"scores": {}, "findings": [_finding(description="d" * 10_001)]},
            ["findings", 0, "description"],
        ),
        (
            {"scores": {}, "findings": [_finding(recommendation="r" * 10_001)]},
            ["findings", 0, "recommendation"],
        ),
    ],
)
def test_results_beyond_the_bounds_are_422_naming_the_field(
    api_client, latentgeo_auth, results, loc
):
    audit = AuditFactory()
    response = _patch_results(api_client, latentgeo_auth, audit, results)
    assert response.status_code == 422
    assert [item["loc"] for item in response.json()["detail"]] == [["body", "results", *loc]]
    audit.refresh_from_db()
    assert audit.results == {}


def test_results_at_the_bounds_are_accepted(api_client, latentgeo_auth):
    audit = AuditFactory()
    results = {
        "summary": "s" * 10_000,
        "scores": {f"{i:02d}".ljust(64, "x"): 100 for i in range(50)},
        "findings": [
            _finding(title="t" * 2_000, description="d" * 10_000, recommendation="r" * 10_000)
        ],
    }
    response = _patch_results(api_client, latentgeo_auth, audit, results)
    assert response.status_code == 200, response.content[:500]
    assert len(response.json()["results"]["scores"]) == 50
