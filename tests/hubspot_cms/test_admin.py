"""The HubSpot changes admin: the changes of one audit, their status, rolling one back."""

import pytest

from hubspot_cms.models import HubSpotChange
from tests.hubspot_cms.factories import AuditedSiteFactory

pytestmark = [pytest.mark.django_db]

CHANGELIST = "/admin/hubspot_cms/hubspotchange/"


@pytest.fixture
def staff_client(client, django_user_model):
    staff = django_user_model.objects.create_superuser("staff", "staff@example.com", None)
    client.force_login(staff)
    return client


@pytest.fixture
def applied(api_client, latentgeo_auth, portal, audit):
    connection = portal["connection"]
    api_client.post(f"/api/v1/hubspot/sync/{connection.pk}", **latentgeo_auth())
    other_audit = AuditedSiteFactory()
    ids = []
    for target, value in ((audit, "About Acme Widgets"), (other_audit, "About us")):
        response = api_client.post(
            "/api/v1/hubspot/apply-recommendations",
            {
                "audit_id": target.pk,
                "recommendations": [
                    {
                        "hubspot_page_id": portal["about"]["id"],
                        "field": "meta_description" if target is audit else "html_title",
                        "recommended_value": value,
                    }
                ],
            },
            format="json",
            **latentgeo_auth(),
        )
        ids.append(response.json()["details"]["applied"][0]["change_id"])
    return {"audit": audit, "other_audit": other_audit, "ids": ids}


def _listed(response) -> list[int]:
    return sorted(change.pk for change in response.context["cl"].result_list)


def test_changes_are_listed_per_audit_with_their_status(staff_client, applied):
    response = staff_client.get(CHANGELIST, {"audit": applied["audit"].pk})
    assert response.status_code == 200
    assert _listed(response) == [applied["ids"][0]]
    html = response.content.decode()
    assert "column-status" in html and "Applied" in html


def test_roll_back_action_restores_the_value_in_hubspot(staff_client, applied, hubspot, portal):
    change_id = applied["ids"][1]
    response = staff_client.post(
        CHANGELIST, {"action": "roll_back", "_selected_action": [change_id]}, follow=True
    )
    assert response.status_code == 200
    assert f"Change {change_id} rolled back" in response.content.decode()
    assert HubSpotChange.objects.get(pk=change_id).status == "rolled_back"
    assert hubspot.page("site_page", portal["about"]["id"])["htmlTitle"] == ""


def test_roll_back_action_reports_a_change_that_cannot_be(staff_client, applied, hubspot, portal):
    hubspot.page_edit("site_page", portal["about"]["id"], htmlTitle="Edited in HubSpot")
    response = staff_client.post(
        CHANGELIST, {"action": "roll_back", "_selected_action": applied["ids"]}, follow=True
    )
    html = response.content.decode()
    for change_id in applied["ids"]:
        assert f"Change {change_id}: La página cambió en HubSpot desde el cambio" in html
        assert HubSpotChange.objects.get(pk=change_id).status == "applied"
    assert hubspot.page("site_page", portal["about"]["id"])["htmlTitle"] == "Edited in HubSpot"
