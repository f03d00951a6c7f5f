"""Sessions, CSRF, users and messages serve the admin and the LatentGEO API, not the Geog API."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client() -> Client:
    """A client that sends no CSRF token unless told, as a browser page on another site."""
    return Client(enforce_csrf_checks=True)


def test_geog_api_takes_bearer_posts_without_csrf_and_sets_no_cookie(strict_client, geog_auth):
    response = strict_client.post(
        "/v1/places/search",
        {"location": {"lat": 1, "lon": 1}, "radius": 10},
        content_type="application/json",
        **geog_auth(scopes="places:read"),
    )
    assert response.status_code == 200
    assert response.cookies == {}
    unknown = strict_client.post("/v1/no-such-route", {}, content_type="application/json")
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "NOT_FOUND"


def test_geog_api_never_reads_a_session(strict_client, admin_user, geog_auth):
    # A staff session cookie does not make a Geog caller: the token is what counts.
    strict_client.force_login(admin_user)
    response = strict_client.get("/v1/tiles")
    assert response.status_code == 401
    assert response.cookies == {}


def test_admin_still_keeps_sessions_and_refuses_a_post_without_csrf(strict_client, admin_user):
    refused = strict_client.post("/admin/login/", {"username": "admin", "password": "password"})
    assert refused.status_code == 403
    login_page = strict_client.get("/admin/login/")
    token = login_page.cookies["csrftoken"].value
    logged_in = strict_client.post(
        "/admin/login/",
        {"username": admin_user.username, "password": "password", "csrfmiddlewaretoken": token},
    )
    assert logged_in.status_code == 302
    assert "sessionid" in logged_in.cookies
    assert strict_client.get("/admin/").status_code == 200
