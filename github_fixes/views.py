"""LatentGEO GitHub fix endpoints: repositories, fix list and inputs, the fix PR, the webhook."""

from drf_spectacular.utils import extend_schema_view
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from authn.latentgeo_view import LatentgeoView
from connections.connection_view import ConnectionSyncView, ConnectionView
from connections.models import Provider
from errors.validation import body_validate, path_int
from fixes import fix_list_build, input_groups, inputs_missing
from github_fixes import schema, services
from github_fixes.input_forms import input_groups_data
from github_fixes.selectors import (
    fix_inputs_get,
    pull_request_list_for_repository,
    repository_get_for_connection,
    repository_get_for_owner,
    repository_list_for_connection,
)
from github_fixes.serializers import (
    AuditFixesOutputSerializer,
    CreateFixPullRequestInputSerializer,
    CreateFixPullRequestOutputSerializer,
    FixInputsInputSerializer,
    FixInputsOutputSerializer,
    GitHubRepositoryOutputSerializer,
    GitHubSyncOutputSerializer,
    GitHubWebhookOutputSerializer,
    PullRequestOutputSerializer,
)
from reports.audit_view import AuditView
from reports.selectors import audit_get_for_owner


class GitHubConnectionView(ConnectionView):
    provider = Provider.GITHUB


@extend_schema_view(post=schema.repositories_sync)
class RepositorySyncView(ConnectionSyncView, GitHubConnectionView):
    sync = staticmethod(services.repositories_sync)
    output_serializer = GitHubSyncOutputSerializer


class RepositoryListView(GitHubConnectionView):
    @schema.repositories_list
    def get(self, request, connection_id: str):
        connection = self.connection_get(request, connection_id)
        services.repositories_sync_first(connection=connection)
        repositories = repository_list_for_connection(connection=connection)
        return Response(GitHubRepositoryOutputSerializer(repositories, many=True).data)


class RepositoryListFullPathView(RepositoryListView):
    @schema.repositories_list_full
    def get(self, request, connection_id: str):
        return super().get(request, connection_id)


class AuditFixListView(AuditView):
    @schema.audit_fixes
    def get(self, request, **kwargs):
        items = fix_list_build(results=self.audit.results, inputs=fix_inputs_get(audit=self.audit))
        body = {
            "audit_id": self.audit.pk,
            "total_fixes": len(items),
            "fixes": [item.__dict__ for item in items],
            "audit_url": self.audit.url,
            "audit_date": self.audit.updated_at,
        }
        return Response(AuditFixesOutputSerializer(body).data)


def _fix_inputs_body(audit, inputs) -> dict:
    groups = input_groups(results=audit.results, site_url=audit.url)
    missing = inputs_missing(groups=groups, inputs=inputs)
    return FixInputsOutputSerializer(
        {
            "audit_id": audit.pk,
            "missing_inputs": input_groups_data(missing, inputs),
            "missing_required": any(group.required for group in missing),
        }
    ).data


class FixInputsView(AuditView):
    @schema.fix_inputs_get
    def get(self, request, **kwargs):
        return Response(_fix_inputs_body(self.audit, fix_inputs_get(audit=self.audit)))

    @schema.fix_inputs_save
    def post(self, request, **kwargs):
        groups = input_groups(results=self.audit.results, site_url=self.audit.url)
        data = body_validate(
            FixInputsInputSerializer, request, context={"group_ids": {g.id for g in groups}}
        )
        inputs = services.fix_inputs_save(audit=self.audit, entries=data["inputs"], groups=groups)
        return Response(_fix_inputs_body(self.audit, inputs))


class CreateFixPullRequestView(GitHubConnectionView):
    @schema.create_fix_pull_request
    def post(self, request, connection_id: str, repo_id: str):
        connection = self.connection_get(request, connection_id)
        repository = repository_get_for_connection(
            repo_id=path_int("repo_id", repo_id), connection=connection
        )
        data = body_validate(CreateFixPullRequestInputSerializer, request)
        audit = audit_get_for_owner(audit_id=data["audit_id"], user=request.user)
        outcome = services.fix_pull_request_create(
            connection=connection, repository=repository, audit=audit
        )
        return Response(CreateFixPullRequestOutputSerializer(outcome.response_body()).data)


class PullRequestListView(LatentgeoView):
    @schema.pull_requests_list
    def get(self, request, repo_id: str):
        repository = repository_get_for_owner(
            repo_id=path_int("repo_id", repo_id), user=request.user
        )
        pulls = pull_request_list_for_repository(repository=repository)
        return Response(PullRequestOutputSerializer(pulls, many=True).data)


class WebhookView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @schema.webhook
    def post(self, request):
        body = request.body
        services.webhook_signature_check(
            body=body, signature=request.headers.get("X-Hub-Signature-256", "")
        )
        event = request.headers.get("X-GitHub-Event", "")
        services.webhook_delivery_handle(
            body=body, event=event, delivery_id=request.headers.get("X-GitHub-Delivery", "")
        )
        return Response(GitHubWebhookOutputSerializer({"status": "success", "event": event}).data)
