"""OpenAPI descriptions of the GitHub fix operations; errors of their classes are derived."""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, PolymorphicProxySerializer
from rest_framework import serializers

from errors import catalog
from errors.schema import LatentgeoValidationErrorSerializer, operation
from github_fixes.serializers import (
    AuditFixesOutputSerializer,
    CreateFixPullRequestInputSerializer,
    CreateFixPullRequestOutputSerializer,
    FixInputsInputSerializer,
    FixInputsOutputSerializer,
    GitHubRepositoryOutputSerializer,
    GitHubSyncOutputSerializer,
    GitHubWebhookOutputSerializer,
    InputGroupOutputSerializer,
    PullRequestOutputSerializer,
)

TAGS = ["latentgeo-github"]
GITHUB_CONNECTION_ERRORS = (
    catalog.CONNECTION_NOT_OWNED,
    catalog.CONNECTION_LEGACY_BLOCKED,
    catalog.CONNECTION_NOT_FOUND,
)
GITHUB_CALL_ERRORS = (catalog.CONNECTION_NEEDS_REAUTH, catalog.GITHUB_REQUEST_FAILED)
AUDIT_ERRORS = (catalog.AUDIT_NOT_OWNED, catalog.AUDIT_NOT_FOUND)


class MissingInputsDetailSerializer(serializers.Serializer):
    message = serializers.CharField()
    missing_inputs = InputGroupOutputSerializer(many=True)


class MissingInputsErrorSerializer(serializers.Serializer):
    detail = MissingInputsDetailSerializer()


repositories_sync = operation(
    operation_id="github_repositories_sync",
    tags=TAGS,
    request=None,
    summary="Sync the connection's repositories from GitHub (every page)",
    responses={
        200: OpenApiResponse(GitHubSyncOutputSerializer, description="Repositories stored.")
    },
    errors=(*GITHUB_CONNECTION_ERRORS, *GITHUB_CALL_ERRORS),
    validation=True,
)


def _repositories_list(operation_id: str):
    return operation(
        operation_id=operation_id,
        tags=TAGS,
        summary="The connection's repositories (synced first when there are none yet)",
        responses={
            200: OpenApiResponse(
                GitHubRepositoryOutputSerializer(many=True), description="Repositories."
            )
        },
        errors=(*GITHUB_CONNECTION_ERRORS, *GITHUB_CALL_ERRORS),
        validation=True,
    )


repositories_list = _repositories_list("github_repos_list")
repositories_list_full = _repositories_list("github_repositories_list")

audit_fixes = operation(
    operation_id="github_audit_fixes",
    tags=TAGS,
    summary="Every finding of the audit as a fix, automatic or manual",
    responses={200: OpenApiResponse(AuditFixesOutputSerializer, description="The fix list.")},
    errors=AUDIT_ERRORS,
    validation=True,
)

fix_inputs_get = operation(
    operation_id="github_fix_inputs_get",
    tags=TAGS,
    summary="The fix inputs still missing for the audit",
    responses={200: OpenApiResponse(FixInputsOutputSerializer, description="Missing inputs.")},
    errors=AUDIT_ERRORS,
    validation=True,
)

fix_inputs_save = operation(
    operation_id="github_fix_inputs_save",
    tags=TAGS,
    summary="Give fix inputs; answers with what remains missing",
    request=FixInputsInputSerializer,
    responses={200: OpenApiResponse(FixInputsOutputSerializer, description="Missing inputs.")},
    errors=(*AUDIT_ERRORS, catalog.MALFORMED_JSON),
    validation=True,
)

create_fix_pull_request = operation(
    operation_id="github_create_auto_fix_pr",
    tags=TAGS,
    summary="Commit the audit's automatic fixes on a branch and open (or update) its PR",
    description=(
        "Does the work and answers when the pull request is open: one commit through the Git "
        "Data API on `latentgeo/audit-{id}` from the default branch; a second run updates the "
        "same branch and pull request. A concurrent request for the same audit is a 409."
    ),
    request=CreateFixPullRequestInputSerializer,
    responses={
        200: OpenApiResponse(
            CreateFixPullRequestOutputSerializer,
            description="The PR, or `pr_url` null with a message when nothing is automatic.",
        ),
        422: OpenApiResponse(
            PolymorphicProxySerializer(
                component_name="LatentgeoFixInputsUnprocessable",
                serializers=[LatentgeoValidationErrorSerializer, MissingInputsErrorSerializer],
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
        catalog.MALFORMED_JSON,
        *GITHUB_CALL_ERRORS,
    ),
    validation=True,
)

pull_requests_list = operation(
    operation_id="github_pull_requests_list",
    tags=TAGS,
    summary="The repository's fix pull requests, newest first",
    responses={
        200: OpenApiResponse(PullRequestOutputSerializer(many=True), description="Pull requests.")
    },
    errors=(catalog.REPOSITORY_NOT_FOUND, *GITHUB_CONNECTION_ERRORS),
    validation=True,
)

webhook = operation(
    operation_id="github_webhook",
    tags=TAGS,
    summary="GitHub webhook deliveries (signed with GITHUB_WEBHOOK_SECRET)",
    description=(
        "Public; `X-Hub-Signature-256` must be the HMAC-SHA256 of the raw body. Each "
        "`X-GitHub-Delivery` is handled once; `pull_request` `closed` marks the fix PR "
        "`merged` or `closed`. Other events are acknowledged and ignored."
    ),
    auth=[],
    request=None,
    responses={200: OpenApiResponse(GitHubWebhookOutputSerializer, description="Acknowledged.")},
    errors=(catalog.GITHUB_WEBHOOK_SIGNATURE_INVALID, catalog.GITHUB_WEBHOOK_NOT_CONFIGURED),
)
