"""Applying proposed values to HubSpot pages, rolling them back, and listing the changes."""

import json

import pytest

from hubspot_cms.models import HubSpotChange, HubSpotPage
from notifications.models import WebhookDelivery
from tests.hubspot_cms.factories import AuditedSiteFactory, HubSpotConnectionFactory
from tests.notifications.factories import WebhookEndpointFactory

pytestmark = [pytest.mark.django_db]

BOB = {"sub": "auth0|bob", "email": "bob@example.com"}
CHANGED_SINCE_PROPOSAL = "La página cambió en HubSpot desde la propuesta"


@pytest.fixture
def synced(api_client, latentgeo_auth, portal):
    connection = portal["connection"]
    response = api_client.post(f"/api/v1/hubspot/sync/{connection.pk}", **latentgeo_auth())
    assert response.status_code == 200
    return portal


def _apply(api_client, latentgeo_auth, audit, items, **caller):
    return api_client.post(
        "/api/v1/hubspot/apply-recommendations",
        {"audit_id": audit.pk, "recommendations": items},
        format="json",
        **latentgeo_auth(**caller),
    )


def _item(page: dict, field: str, value: str) -> dict:
    return {"hubspot_page_id": page["id"], "field": field, "recommended_value": value}


def test_apply_writes_to_hubspot_and_records_the_before_values(
    api_client, latentgeo_auth, hubspot, synced, audit
):
    about, post = synced["about"], synced["posts"][1]
    response = _apply(
        api_client,
        latentgeo_auth,
        audit,
        [
            _item(about, "html_title", "About Acme Widgets"),
            _item(about, "meta_description", "Acme makes widgets."),
            _item(post, "html_title", "Post one, renamed"),
        ],
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["applied"], body["failed"]) == ("completed", 3, 0)
    assert body["details"]["failed"] == []
    applied = body["details"]["applied"]
    assert [(item["page_id"], item["field"], item["success"]) for item in applied] == [
        (about["id"], "html_title", True),
        (about["id"], "meta_description", True),
        (post["id"], "html_title", True),
    ]
    # Read back from HubSpot.
    assert hubspot.page("site_page", about["id"])["htmlTitle"] == "About Acme Widgets"
    assert hubspot.page("site_page", about["id"])["metaDescription"] == "Acme makes widgets."
    assert hubspot.page("blog_post", post["id"])["htmlTitle"] == "Post one, renamed"
    title_change = HubSpotChange.objects.get(pk=applied[0]["change_id"])
    assert (title_change.before, title_change.after, title_change.status) == (
        "",
        "About Acme Widgets",
        "applied",
    )
    assert HubSpotChange.objects.get(pk=applied[2]["change_id"]).before == "Post 1"
    # Our copy follows HubSpot, so a second proposal for the same page is not taken as stale.
    page = HubSpotPage.objects.get(hubspot_id=about["id"])
    assert page.html_title == "About Acme Widgets"


def test_apply_to_a_page_changed_in_hubspot_since_the_sync_fails_and_writes_nothing(
    api_client, latentgeo_auth, hubspot, synced, audit
):
    about, home = synced["about"], synced["home"]
    hubspot.page_edit("site_page", about["id"], htmlTitle="Typed by a person")
    response = _apply(
        api_client,
        latentgeo_auth,
        audit,
        [_item(about, "html_title", "About Acme Widgets"), _item(home, "html_title", "Home")],
    )
    body = response.json()
    assert (body["applied"], body["failed"]) == (1, 1)
    assert body["details"]["failed"] == [
        {"page_id": about["id"], "field": "html_title", "error": CHANGED_SINCE_PROPOSAL}
    ]
    assert hubspot.page("site_page", about["id"])["htmlTitle"] == "Typed by a person"
    assert [patch[1] for patch in hubspot.state.patches] == [home["id"]]
    assert not HubSpotChange.objects.filter(hubspot_page_id=about["id"]).exists()


def test_rollback_restores_the_before_value_in_hubspot(
    api_client, latentgeo_auth, hubspot, synced, audit
):
    about = synced["about"]
    applied = _apply(
        api_client, latentgeo_auth, audit, [_item(about, "html_title", "About Acme Widgets")]
    ).json()
    change_id = applied["details"]["applied"][0]["change_id"]
    response = api_client.post(f"/api/v1/hubspot/rollback/{change_id}", **latentgeo_auth())
    assert response.status_code == 200, response.content
    new_change_id = response.json()["new_change_id"]
    assert response.json() == {"status": "success", "new_change_id": new_change_id}
    assert hubspot.page("site_page", about["id"])["htmlTitle"] == ""
    original, restoring = (
        HubSpotChange.objects.get(pk=change_id),
        HubSpotChange.objects.get(pk=new_change_id),
    )
    assert original.status == "rolled_back"
    assert (restoring.before, restoring.after, restoring.rollback_of_id) == (
        "About Acme Widgets",
        "",
        change_id,
    )
    again = api_client.post(f"/api/v1/hubspot/rollback/{change_id}", **latentgeo_auth())
    assert again.status_code == 400
    assert again.json() == {"detail": "Cannot rollback a change that is not applied"}


def test_rollback_after_a_change_in_hubspot_is_a_conflict_and_writes_nothing(
    api_client, latentgeo_auth, hubspot, synced, audit
):
    about = synced["about"]
    applied = _apply(
        api_client, latentgeo_auth, audit, [_item(about, "html_title", "About Acme Widgets")]
    ).json()
    change_id = applied["details"]["applied"][0]["change_id"]
    hubspot.page_edit("site_page", about["id"], htmlTitle="Edited in HubSpot")
    patches = len(hubspot.state.patches)
    response = api_client.post(f"/api/v1/hubspot/rollback/{change_id}", **latentgeo_auth())
    assert response.status_code == 409
    assert response.json() == {"detail": "La página cambió en HubSpot desde el cambio"}
    assert hubspot.page("site_page", about["id"])["htmlTitle"] == "Edited in HubSpot"
    assert len(hubspot.state.patches) == patches
    assert HubSpotChange.objects.get(pk=change_id).status == "applied"


def test_rollback_of_an_unknown_change_is_not_found(api_client, latentgeo_auth):
    response = api_client.post("/api/v1/hubspot/rollback/424242", **latentgeo_auth())
    assert response.status_code == 404
    assert response.json() == {"detail": "Change not found"}


def test_changes_lists_the_audits_changes_newest_first(
    api_client, latentgeo_auth, hubspot, synced, audit
):
    about = synced["about"]
    applied = _apply(
        api_client, latentgeo_auth, audit, [_item(about, "html_title", "About Acme Widgets")]
    ).json()
    change_id = applied["details"]["applied"][0]["change_id"]
    new_id = api_client.post(f"/api/v1/hubspot/rollback/{change_id}", **latentgeo_auth()).json()[
        "new_change_id"
    ]
    other_audit = AuditedSiteFactory()
    _apply(api_client, latentgeo_auth, other_audit, [_item(about, "meta_description", "Other")])
    response = api_client.get("/api/v1/hubspot/changes", {"audit_id": audit.pk}, **latentgeo_auth())
    assert response.status_code == 200
    changes = response.json()
    page_id = HubSpotPage.objects.get(hubspot_id=about["id"]).pk
    assert [(c["id"], c["status"]) for c in changes] == [
        (new_id, "applied"),
        (change_id, "rolled_back"),
    ]
    assert changes[1] == {
        "id": change_id,
        "page_id": page_id,
        "hubspot_page_id": about["id"],
        "field": "html_title",
        "before": "",
        "after": "About Acme Widgets",
        "status": "rolled_back",
        "error": None,
        "created_at": changes[1]["created_at"],
    }


def test_changes_needs_an_integer_audit_id(api_client, latentgeo_auth):
    response = api_client.get("/api/v1/hubspot/changes", **latentgeo_auth())
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "audit_id"]


def test_apply_validates_fields_and_values(api_client, latentgeo_auth, synced, audit):
    about = synced["about"]
    response = _apply(api_client, latentgeo_auth, audit, [_item(about, "body", "x")])
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "recommendations", 0, "field"]
    too_long = _apply(api_client, latentgeo_auth, audit, [_item(about, "html_title", "x" * 1001)])
    assert too_long.status_code == 422
    assert _apply(api_client, latentgeo_auth, audit, []).status_code == 422


# --- Ownership, both directions: the audit's and the connection's.


def test_someone_elses_audit_cannot_be_used_to_apply_or_list(
    api_client, latentgeo_auth, synced, audit
):
    about = synced["about"]
    response = _apply(api_client, latentgeo_auth, audit, [_item(about, "html_title", "X")], **BOB)
    assert response.status_code == 403
    assert response.json() == {"detail": "No autorizado para esta auditoría"}
    listing = api_client.get(
        "/api/v1/hubspot/changes", {"audit_id": audit.pk}, **latentgeo_auth(**BOB)
    )
    assert listing.status_code == 403
    missing = api_client.get("/api/v1/hubspot/changes", {"audit_id": 999999}, **latentgeo_auth())
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Auditoría no encontrada"}


def test_pages_of_someone_elses_connection_are_not_written(
    api_client, latentgeo_auth, hubspot, synced
):
    bobs_audit = AuditedSiteFactory(owner_user_id=BOB["sub"], owner_email=BOB["email"])
    about = synced["about"]
    response = _apply(
        api_client, latentgeo_auth, bobs_audit, [_item(about, "html_title", "Hijacked")], **BOB
    )
    assert response.status_code == 200
    assert response.json()["details"]["failed"] == [
        {"page_id": about["id"], "field": "html_title", "error": "HubSpot page not found"}
    ]
    assert hubspot.state.patches == []
    assert not HubSpotChange.objects.exists()


def test_someone_elses_change_cannot_be_rolled_back(
    api_client, latentgeo_auth, hubspot, synced, audit
):
    about = synced["about"]
    applied = _apply(
        api_client, latentgeo_auth, audit, [_item(about, "html_title", "About Acme Widgets")]
    ).json()
    change_id = applied["details"]["applied"][0]["change_id"]
    response = api_client.post(f"/api/v1/hubspot/rollback/{change_id}", **latentgeo_auth(**BOB))
    assert response.status_code == 403
    assert response.json() == {"detail": "No autorizado para esta conexión de HubSpot"}
    assert hubspot.page("site_page", about["id"])["htmlTitle"] == "About Acme Widgets"
    assert HubSpotChange.objects.get(pk=change_id).status == "applied"


def test_bobs_own_portal_is_written_for_bob_only(api_client, latentgeo_auth, hubspot):
    bobs = HubSpotConnectionFactory(
        owner_user_id=BOB["sub"],
        owner_email=BOB["email"],
        access_token=hubspot.token_issue(),
        refresh_token=hubspot.refresh_token_issue(),
    )
    page = hubspot.page_add("site_page", name="Bob", url=f"{hubspot.url}/site/bob")
    api_client.post(f"/api/v1/hubspot/sync/{bobs.pk}", **latentgeo_auth(**BOB))
    bobs_audit = AuditedSiteFactory(owner_user_id=BOB["sub"], owner_email=BOB["email"])
    alices_audit = AuditedSiteFactory()
    by_alice = _apply(api_client, latentgeo_auth, alices_audit, [_item(page, "html_title", "A")])
    assert by_alice.json()["failed"] == 1
    by_bob = _apply(
        api_client, latentgeo_auth, bobs_audit, [_item(page, "html_title", "Bob's")], **BOB
    )
    assert by_bob.json()["applied"] == 1
    assert hubspot.page("site_page", page["id"])["htmlTitle"] == "Bob's"


def test_applied_changes_and_rollbacks_notify_the_owners_webhooks(
    api_client, latentgeo_auth, hubspot, synced, audit
):
    endpoint = WebhookEndpointFactory(events=["hubspot_change.applied"])
    about = synced["about"]
    applied = _apply(
        api_client, latentgeo_auth, audit, [_item(about, "html_title", "About Acme Widgets")]
    ).json()
    change_id = applied["details"]["applied"][0]["change_id"]
    new_id = api_client.post(f"/api/v1/hubspot/rollback/{change_id}", **latentgeo_auth()).json()[
        "new_change_id"
    ]
    deliveries = WebhookDelivery.objects.filter(endpoint=endpoint).order_by("id")
    payloads = [json.loads(delivery.payload) for delivery in deliveries]
    assert [(p["type"], p["data"]["change_id"], p["data"]["rollback_of"]) for p in payloads] == [
        ("hubspot_change.applied", change_id, None),
        ("hubspot_change.applied", new_id, change_id),
    ]
    assert payloads[0]["data"]["hubspot_page_id"] == about["id"]
    assert payloads[0]["data"]["field"] == "html_title"


def test_changes_of_other_fields_may_be_rolled_back_in_any_order(
    api_client, latentgeo_auth, hubspot, synced, audit
):
    about = synced["about"]
    applied = _apply(
        api_client,
        latentgeo_auth,
        audit,
        [_item(about, "html_title", "About Acme"), _item(about, "meta_description", "Widgets.")],
    ).json()
    older, newer = (item["change_id"] for item in applied["details"]["applied"])
    assert (
        api_client.post(f"/api/v1/hubspot/rollback/{older}", **latentgeo_auth()).status_code == 200
    )
    assert (
        api_client.post(f"/api/v1/hubspot/rollback/{newer}", **latentgeo_auth()).status_code == 200
    )
    page = hubspot.page("site_page", about["id"])
    assert (page["htmlTitle"], page["metaDescription"]) == ("", "")


def test_a_later_change_of_the_same_field_must_be_rolled_back_first(
    api_client, latentgeo_auth, hubspot, synced, audit
):
    about = synced["about"]
    first = _apply(api_client, latentgeo_auth, audit, [_item(about, "html_title", "A")]).json()
    second = _apply(api_client, latentgeo_auth, audit, [_item(about, "html_title", "B")]).json()
    older = first["details"]["applied"][0]["change_id"]
    newer = second["details"]["applied"][0]["change_id"]
    conflict = api_client.post(f"/api/v1/hubspot/rollback/{older}", **latentgeo_auth())
    assert conflict.status_code == 409
    assert hubspot.page("site_page", about["id"])["htmlTitle"] == "B"
    assert (
        api_client.post(f"/api/v1/hubspot/rollback/{newer}", **latentgeo_auth()).status_code == 200
    )
    assert hubspot.page("site_page", about["id"])["htmlTitle"] == "A"
    assert (
        api_client.post(f"/api/v1/hubspot/rollback/{older}", **latentgeo_auth()).status_code == 200
    )
    assert hubspot.page("site_page", about["id"])["htmlTitle"] == ""
