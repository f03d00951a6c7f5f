"""Generated requests against every documented operation, answered as the schema says."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from authn.auth0_user import Auth0User
from authn.internal_tokens import internal_token_issue
from connections.models import Connection, Provider
from reports import pdf_job_steps
from reports import services as report_services
from tests.connections.factories import ConnectionFactory
from tests.connections.github_peer import GitHubPeer
from tests.hubspot_cms.hubspot_peer import HubSpotPeer
from tests.reports.factories import COMPLETED_RESULTS, PdfJobFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
CALLER = Auth0User(sub="auth0|contract", email="contract@example.com")
STRANGER = Auth0User(sub="auth0|stranger", email="stranger@example.com")

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())

# Ids of the rows created for the current test, offered to the generator next to its own ids
# so that some requests reach real (owned, foreign, pending, completed) rows.
row_ids: dict[str, list[int]] = {}


@schema.hook
def flatmap_path_parameters(context, path_parameters: dict | None) -> st.SearchStrategy:
    """The generated path ids, or the id of one of the test's rows in their place."""
    if not path_parameters:
        return st.just(path_parameters)
    known = {name: row_ids[name] for name in path_parameters if row_ids.get(name)}
    if not known:
        return st.just(path_parameters)
    return st.fixed_dictionaries(
        {
            name: st.sampled_from([value, *known[name]]) if name in known else st.just(value)
            for name, value in path_parameters.items()
        }
    )


def connection_add(*, provider: str, account_id: int, user: Auth0User) -> Connection:
    """An active connection owned by `user`."""
    return ConnectionFactory(
        provider=provider,
        account_id=account_id,
        username=f"user{account_id}",
        owner_user_id=user.sub,
        owner_email=user.email,
    )


@pytest.fixture
def latentgeo_rows(transactional_db, settings, tmp_path):
    """Audits and connections of the caller and of someone else, one with a ready PDF.

    Both OAuth apps are configured, as in any deployment that offers connections.
    """
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.GITHUB_CLIENT_ID = "contract-github-client"
    settings.HUBSPOT_CLIENT_ID = "contract-hubspot-client"
    settings.GITHUB_WEBHOOK_SECRET = "contract-webhook-secret"
    # HubSpot is the local peer of the HubSpot tests, which knows the connection's token.
    hubspot = HubSpotPeer().start()
    hubspot.token_accept("stored-access-token")
    hubspot.page_add("site_page", name="Home", url="https://done.example.com/")
    settings.HUBSPOT_API_URL = hubspot.url
    settings.HUBSPOT_OAUTH_TOKEN_URL = f"{hubspot.url}/oauth/v1/token"
    # Generated audits run in-process: with no time budget their crawl fetches nothing.
    settings.AUDIT_TIME_BUDGET_SECONDS = 0
    # GitHub is the local peer, which accepts the stored token and has no repositories.
    github = GitHubPeer(token="stored-access-token").start()
    settings.GITHUB_API_URL = github.url
    pending = report_services.audit_create(url="https://pending.example.com/", user=CALLER)
    completed = report_services.audit_create(url="https://done.example.com/", user=CALLER)
    completed = report_services.audit_results_update(
        audit_id=completed.pk, results=COMPLETED_RESULTS
    )
    job = PdfJobFactory(audit=completed)
    pdf_job_steps.pdf_job_complete(
        job_id=job.pk, content=b"%PDF-1.4\n%%EOF\n", audit_revision=completed.results_revision
    )
    foreign = report_services.audit_create(url="https://other.example.com/", user=STRANGER)
    connections = [
        connection_add(provider=Provider.GITHUB, account_id=101, user=CALLER),
        connection_add(provider=Provider.HUBSPOT, account_id=202, user=CALLER),
        connection_add(provider=Provider.GITHUB, account_id=303, user=STRANGER),
    ]
    row_ids["audit_id"] = [pending.pk, completed.pk, foreign.pk]
    row_ids["connection_id"] = [connection.pk for connection in connections]
    yield
    row_ids.clear()
    github.stop()
    hubspot.stop()


@pytest.fixture
def latentgeo_bearer() -> dict:
    token = internal_token_issue(sub=CALLER.sub, email=CALLER.email)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def geog_bearer(transactional_db, geog_token, geog_organization) -> dict:
    """A long-lived Geog token with every scope, of an organization without rate limits."""
    organization = geog_organization(slug="contract", tier="unlimited")
    token = geog_token(
        scopes="tiles:read places:read admin:access billing:manage", organization=organization
    )
    return {"Authorization": f"Bearer {token}"}


@schema.include(path_regex=r"^/api/v1/").parametrize()
@EXAMPLES
def test_latentgeo_operation_answers_as_documented(case, latentgeo_rows, latentgeo_bearer):
    case.call_and_validate(headers=latentgeo_bearer, checks=CHECKS)


@schema.include(path_regex=r"^/(v1/|\.well-known/)").parametrize()
@EXAMPLES
def test_geog_operation_answers_as_documented(case, geog_bearer):
    case.call_and_validate(headers=geog_bearer, checks=CHECKS)


# Where a request names scopes, the schema enumerates them: what it allows, the API accepts.
@schema.include(path_regex=r"^/v1/(auth/token|tokens)$", method="POST").parametrize()
@EXAMPLES
def test_geog_scopes_the_schema_allows_are_accepted(case, geog_bearer):
    case.call_and_validate(headers=geog_bearer, checks=[*CHECKS, positive_data_acceptance])
