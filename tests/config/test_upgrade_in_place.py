"""A database of the first released schema migrates forward keeping every row."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The leaf migrations of the first release, before the Geog accounts had an app of their own.
FIRST_RELEASE = [
    ("accounts", None),
    ("authn", "0001_geog_tokens"),
    ("connections", "0001_initial"),
    ("reports", "0001_audits_and_pdf_jobs"),
]
CREATED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


def _first_release_rows(apps) -> dict:
    organization = apps.get_model("authn", "Organization").objects.create(
        slug="field-org", name="Field org", tier="free", tiles_per_window=50
    )
    apps.get_model("authn", "SigningKey").objects.create(
        kid="20260102-field",
        private_key_encrypted="gAAAAA-field",
        public_jwk={"kty": "RSA", "kid": "20260102-field"},
        is_active=True,
    )
    token = apps.get_model("authn", "ApiToken").objects.create(
        public_id="tok_field",
        organization=organization,
        name="field token",
        scope="tiles:read",
        signing_kid="20260102-field",
        expires_at=CREATED,
    )
    connection_row = apps.get_model("connections", "Connection").objects.create(
        provider="github",
        account_id=4242,
        username="fielduser",
        owner_user_id="auth0|field",
        owner_email="field@example.com",
        access_token_encrypted="gAAAAA-token",
    )
    audit = apps.get_model("reports", "Audit").objects.create(
        url="https://field.example.com/",
        owner_user_id="auth0|field",
        owner_email="field@example.com",
        status="completed",
        results={"summary": "kept", "scores": {"seo": 70}, "findings": []},
    )
    return {
        "organization": organization.pk,
        "token": token.pk,
        "connection": connection_row.pk,
        "audit": audit.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_migrate_keeps_every_row_of_the_first_release():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    executor = _migrate(FIRST_RELEASE)
    old_apps = executor.loader.project_state([t for t in FIRST_RELEASE if t[1]]).apps
    ids = _first_release_rows(old_apps)
    try:
        new_apps = _migrate(leaves).loader.project_state(leaves).apps
        organization = new_apps.get_model("accounts", "Organization").objects.get()
        assert (organization.pk, organization.slug, organization.tiles_per_window) == (
            ids["organization"],
            "field-org",
            50,
        )
        token = new_apps.get_model("accounts", "ApiToken").objects.get()
        assert (token.pk, token.public_id, token.organization_id) == (
            ids["token"],
            "tok_field",
            ids["organization"],
        )
        assert new_apps.get_model("accounts", "SigningKey").objects.get().kid == "20260102-field"
        kept = new_apps.get_model("connections", "Connection").objects.get()
        assert (kept.pk, kept.username, kept.access_token_encrypted) == (
            ids["connection"],
            "fielduser",
            "gAAAAA-token",
        )
        audit = new_apps.get_model("reports", "Audit").objects.get()
        assert (audit.pk, audit.results["summary"]) == (ids["audit"], "kept")
    finally:
        _migrate(leaves)
