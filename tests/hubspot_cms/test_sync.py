"""Syncing a portal's site pages and blog posts, and listing them, through the local peer."""

from datetime import datetime

import pytest

from hubspot_cms.models import HubSpotPage
from tests.hubspot_cms.factories import HubSpotConnectionFactory

pytestmark = [pytest.mark.django_db]


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_sync_stores_every_site_page_and_blog_post_across_cursors(
    api_client, latentgeo_auth, hubspot, portal
):
    connection = portal["connection"]
    response = api_client.post(f"/api/v1/hubspot/sync/{connection.pk}", **latentgeo_auth())
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "success", "synced_count": 5}
    stored = HubSpotPage.objects.filter(connection=connection)
    assert sorted(stored.values_list("page_type", "hubspot_id")) == sorted(
        [("site_page", portal["about"]["id"]), ("site_page", portal["home"]["id"])]
        + [("blog_post", post["id"]) for post in portal["posts"]]
    )


def test_sync_drops_pages_gone_from_the_portal_and_updates_the_others(
    api_client, latentgeo_auth, hubspot, portal
):
    connection = portal["connection"]
    api_client.post(f"/api/v1/hubspot/sync/{connection.pk}", **latentgeo_auth())
    del hubspot.state.objects["blog_post"][portal["posts"][0]["id"]]
    hubspot.page_edit("site_page", portal["home"]["id"], htmlTitle="Acme, the widget makers")
    response = api_client.post(f"/api/v1/hubspot/sync/{connection.pk}", **latentgeo_auth())
    assert response.json()["synced_count"] == 4
    home = HubSpotPage.objects.get(hubspot_id=portal["home"]["id"])
    assert home.html_title == "Acme, the widget makers"
    assert not HubSpotPage.objects.filter(hubspot_id=portal["posts"][0]["id"]).exists()


def test_listing_syncs_first_when_never_synced(api_client, latentgeo_auth, hubspot, portal):
    connection = portal["connection"]
    response = api_client.get(f"/api/v1/hubspot/pages/{connection.pk}", **latentgeo_auth())
    assert response.status_code == 200, response.content
    pages = response.json()
    assert len(pages) == 5
    about = next(page for page in pages if page["hubspot_id"] == portal["about"]["id"])
    assert about == {
        "id": about["id"],
        "connection_id": connection.pk,
        "hubspot_id": portal["about"]["id"],
        "type": "site_page",
        "url": f"{hubspot.url}/site/about",
        "title": "About",
        "meta_description": "",
        "html_title": "",
        "last_synced_at": about["last_synced_at"],
        "hubspot_updated_at": about["hubspot_updated_at"],
    }
    assert _moment(about["hubspot_updated_at"]) == _moment(portal["about"]["updatedAt"])


def test_listing_after_a_sync_reads_the_database_not_hubspot(
    api_client, latentgeo_auth, hubspot, portal
):
    connection = portal["connection"]
    api_client.post(f"/api/v1/hubspot/sync/{connection.pk}", **latentgeo_auth())
    hubspot.page_add("site_page", name="New", url=f"{hubspot.url}/site/new")
    pages = api_client.get(f"/api/v1/hubspot/pages/{connection.pk}", **latentgeo_auth()).json()
    assert len(pages) == 5


def test_sync_of_someone_elses_connection_is_forbidden(api_client, latentgeo_auth, hubspot):
    bobs = HubSpotConnectionFactory(owner_user_id="auth0|bob", owner_email="bob@example.com")
    for method, path in (("post", "sync"), ("get", "pages")):
        response = getattr(api_client, method)(
            f"/api/v1/hubspot/{path}/{bobs.pk}", **latentgeo_auth()
        )
        assert response.status_code == 403
        assert response.json() == {"detail": "No autorizado para esta conexión de HubSpot"}
    assert not HubSpotPage.objects.exists()


def test_sync_of_an_unknown_or_github_connection_is_not_found(api_client, latentgeo_auth):
    github = HubSpotConnectionFactory(provider="github")
    for connection_id in (github.pk, 999999):
        response = api_client.post(f"/api/v1/hubspot/sync/{connection_id}", **latentgeo_auth())
        assert response.status_code == 404
        assert response.json() == {"detail": "Conexión de hubspot no encontrada"}


def test_sync_path_id_must_be_an_integer(api_client, latentgeo_auth):
    response = api_client.post("/api/v1/hubspot/sync/abc", **latentgeo_auth())
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "connection_id"]


def test_sync_when_hubspot_is_down_is_a_bad_gateway(api_client, latentgeo_auth, settings, portal):
    settings.HUBSPOT_API_URL = "http://127.0.0.1:9"
    connection = portal["connection"]
    response = api_client.post(f"/api/v1/hubspot/sync/{connection.pk}", **latentgeo_auth())
    assert response.status_code == 502
    assert response.json() == {"detail": "HubSpot did not answer as expected"}


def test_a_page_our_columns_cannot_hold_is_left_out_and_the_rest_synced(
    api_client, latentgeo_auth, hubspot, portal
):
    hubspot.page_add("site_page", name="Odd", url=f"{hubspot.url}/site/{'x' * 3000}")
    response = api_client.post(
        f"/api/v1/hubspot/sync/{portal['connection'].pk}", **latentgeo_auth()
    )
    assert response.json() == {"status": "success", "synced_count": 5}
