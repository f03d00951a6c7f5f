"""Any save or delete of an organization reaches the cached tier and limits, service or not."""

import pytest

from accounts.local_verifications import local_verifications
from accounts.models import Organization

pytestmark = [pytest.mark.urls("tests.probe_urls"), pytest.mark.django_db]

URL = "/v1/probe"


def _tier(client, token: str) -> str:
    return client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}").json()["tier"]


def test_direct_save_of_an_organization_changes_the_cached_tier(
    client, geog_token, django_capture_on_commit_callbacks
):
    token = geog_token()
    assert _tier(client, token) == "free"
    assert _tier(client, token) == "free"  # now cached
    organization = Organization.objects.get()
    organization.tier = Organization.Tier.UNLIMITED
    with django_capture_on_commit_callbacks(execute=True):
        organization.save()  # as a shell session or a data migration would
    assert _tier(client, token) == "unlimited"
    # Another process, with nothing of its own, sees it too.
    local_verifications.cache_clear()
    assert _tier(client, token) == "unlimited"


def test_direct_save_of_new_limits_applies_to_the_next_request(
    client, geog_token, django_capture_on_commit_callbacks
):
    token = geog_token()
    response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response["X-RateLimit-Limit"] == "1000"
    organization = Organization.objects.get()
    organization.tiles_per_window = 3
    with django_capture_on_commit_callbacks(execute=True):
        organization.save(update_fields=["tiles_per_window"])
    response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response["X-RateLimit-Limit"] == "3"


def test_deleted_organization_no_longer_authenticates_from_the_cache(
    client, geog_token, django_capture_on_commit_callbacks
):
    token = geog_token()
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        Organization.objects.all().delete()
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
