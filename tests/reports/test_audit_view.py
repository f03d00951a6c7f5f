"""The audit views read the audit only for the methods they answer, never for OPTIONS."""

import pytest

from tests.reports.factories import AuditFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign_and_absent():
    audit = AuditFactory(owner_user_id="auth0|bob", owner_email="bob@example.com")
    return [audit.pk, audit.pk + 1000]


def test_a_method_the_view_does_not_answer_is_405_whoever_owns_the_audit(
    client, latentgeo_auth, foreign_and_absent
):
    for audit_id in foreign_and_absent:
        response = client.delete(f"/api/v1/audits/{audit_id}/overview", **latentgeo_auth())
        assert (response.status_code, response.json()) == (405, {"detail": "Method Not Allowed"})


def test_options_describes_the_view_without_reading_the_audit(
    client, latentgeo_auth, foreign_and_absent
):
    own = AuditFactory()
    expected = client.options(f"/api/v1/audits/{own.pk}/rerun", **latentgeo_auth())
    assert expected.status_code == 200
    for audit_id in foreign_and_absent:
        response = client.options(f"/api/v1/audits/{audit_id}/rerun", **latentgeo_auth())
        assert (response.status_code, response.json()) == (200, expected.json())


def test_a_method_the_view_does_not_answer_still_needs_the_bearer_header(client):
    response = client.delete(f"/api/v1/audits/{AuditFactory().pk}/overview")
    assert response.status_code == 401
