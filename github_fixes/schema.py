"""OpenAPI descriptions of the GitHub fix operations; errors of their classes are derived."""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, PolymorphicProxySerializer

from errors import catalog
from errors.schema import LatentgeoValidationErrorSerializer, answer, operation_group
from github_fixes import serializers

TAGS = ["latentgeo-github"]
GITHUB_CONNECTION_ERRORS = (
    catalog.CONNECTION_NOT_OWNED,
    catalog.CONNECTION_LEGACY_BLOCKED,
    catalog.CONNECTION_NOT_FOUND,
)
GITHUB_CALL_ERRORS = (catalog.CONNECTION_NEEDS_REAUTH, catalog.GITHUB_REQUEST_FAILED)
AUDIT_ERRORS = (catalog.AUDIT_NOT_OWNED, catalog.AUDIT_NOT_FOUND)
github_operation = operation_group(tags=TAGS, validation=True)
# Operations on the connection's repositories, and on the audit whose findings are fixed.
repositories_operation = operation_group(
    tags=TAGS, errors=(*GITHUB_CONNECTION_ERRORS, *GITHUB_CALL_ERRORS), validation=True
)
audit_operation = operation_group(tags=TAGS, errors=AUDIT_ERRORS, validation=True)


repositories_sync = repositories_operation(
    operation_id="github_repositories_sync",
    request=None,
    summary="Sync the connection's repositories from GitHub (every page)",
    responses=answer(serializers.GitHubSyncOutputSerializer, "Repositories stored."),
)


def _repositories_list(operation_id: str):
    return repositories_operation(
        operation_id=operation_id,
        summary="The connection's repositories (synced first when there are none yet)",
        responses=answer(serializers.GitHubRepositoryOutputSerializer(many=True), "Repositories."),
    )


repositories_list = _repositories_list("github_repos_list")
repositories_list_full = _repositories_list("github_repositories_list")

audit_fixes = audit_operation(
    operation_id="github_audit_fixes",
    summary="Every finding of the audit as a fix, automatic or manual",
    responses=answer(serializers.AuditFixesOutputSerializer, "The fix list."),
)

fix_inputs_get = audit_operation(
    operation_id="github_fix_inputs_get",
    summary="The fix inputs still missing for the audit",
    responses=answer(serializers.FixInputsOutputSerializer, "Missing inputs."),
)

fix_inputs_save = audit_operation(
    operation_id="github_fix_inputs_save",
    summary="Give fix inputs; answers with what remains missing",
    request=serializers.FixInputsInputSerializer,
    responses=answer(serializers.FixInputsOutputSerializer, "Missing inputs."),
)

create_fix_pull_request = github_operation(
    operation_id="github_create_auto_fix_pr",
    summary="Commit the audit's automatic fixes on a branch and open (or update) its PR",
    description=(
        "Does the work and answers when the pull request is open: one commit through the Git "
        "Data API on `latentgeo/audit-{id}` from the default branch; a second run updates the "
        "same branch and pull request. A concurrent request for the same audit is a 409."
    ),
    request=serializers.CreateFixPullRequestInputSerializer,
    responses={
        **answer(
            serializers.CreateFixPullRequestOutputSerializer,
            "The PR, or `pr_url` null with a message when nothing is automatic.",
        ),
        422: OpenApiResponse(
            PolymorphicProxySerializer(
                component_name="LatentgeoFixInputsUnprocessable",
                serializers=[
                    LatentgeoValidationErrorSerializer,
                    serializers.MissingInputsErrorOutputSerializer,
                ],
                resource_type_field_name=None,
            ),
            description="Invalid body, or required fix inputs missing.",
            examples=[
                OpenApiExample(
                    catalog.FIX_INPUTS_MISSING.code,
                    value={
                        "detail": {
                            "message": catalog.FIX_INPUTS_MISSING.message,
                            "missing_inputs": [],
                        }
                    },
                    response_only=True,
                    status_codes=["422"],
                )
            ],
        ),
    },
    errors=(
        *GITHUB_CONNECTION_ERRORS,
        *AUDIT_ERRORS,
        catalog.REPOSITORY_NOT_FOUND,
        catalog.REPOSITORY_OTHER_CONNECTION,
        catalog.REPOSITORY_PUSH_DENIED,
        catalog.FIX_AUDIT_NOT_COMPLETED,
        catalog.FIX_PR_IN_PROGRESS,
        *GITHUB_CALL_ERRORS,
    ),
)

pull_requests_list = github_operation(
    operation_id="github_pull_requests_list",
    summary="The repository's fix pull requests, newest first",
    responses=answer(serializers.PullRequestOutputSerializer(many=True), "Pull requests."),
    errors=(catalog.REPOSITORY_NOT_FOUND, *GITHUB_CONNECTION_ERRORS),
)

webhook = github_operation(
    operation_id="github_webhook",
    summary="GitHub webhook deliveries (signed with GITHUB_WEBHOOK_SECRET)",
    description=(
        "Public; `X-Hub-Signature-256` must be the HMAC-SHA256 of the raw body. Each "
        "`X-GitHub-Delivery` is handled once; `pull_request` `closed` marks the fix PR "
        "`merged` or `closed`. Other events are acknowledged and ignored."
    ),
    auth=[],
    request=None,
    responses=answer(serializers.GitHubWebhookOutputSerializer, "Acknowledged."),
    errors=(catalog.GITHUB_WEBHOOK_SIGNATURE_INVALID, catalog.GITHUB_WEBHOOK_NOT_CONFIGURED),
    validation=False,
)
