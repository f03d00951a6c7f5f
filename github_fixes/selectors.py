"""Reads of repositories, fix inputs and fix pull requests; ownership is enforced here."""

from django.db.models import QuerySet

from authn.auth0_user import Auth0User
from connections.models import Connection, Provider
from connections.services import connection_for_owner
from errors import catalog
from errors.exceptions import ApiError
from fixes import FixInputs
from github_fixes.models import FixInputSet, FixPullRequest, Repository
from reports.models import Audit


def repository_list_for_connection(*, connection: Connection) -> QuerySet[Repository]:
    """The connection's repositories seen at its latest sync, by name."""
    return Repository.objects.filter(connection=connection)


def repository_get_for_owner(*, repo_id: int, user: Auth0User) -> Repository:
    """The repository when the caller owns its connection; 404 when absent, else [GHC]."""
    repository = Repository.objects.filter(pk=repo_id).first()
    if repository is None:
        raise ApiError(catalog.REPOSITORY_NOT_FOUND)
    connection_for_owner(
        provider=Provider.GITHUB, connection_id=repository.connection_id, user=user
    )
    return repository


def repository_get_for_connection(*, repo_id: int, connection: Connection) -> Repository:
    """The repository `repo_id` of an owned connection; 404 when absent, 403 when another's."""
    repository = Repository.objects.filter(pk=repo_id).first()
    if repository is None:
        raise ApiError(catalog.REPOSITORY_NOT_FOUND)
    if repository.connection_id != connection.pk:
        raise ApiError(catalog.REPOSITORY_OTHER_CONNECTION)
    return repository


def fix_inputs_get(*, audit: Audit) -> FixInputs:
    """The fix inputs given for the audit (none yet is an empty set)."""
    stored = FixInputSet.objects.filter(audit=audit).first()
    return FixInputs(values=stored.values if stored else {})


def pull_request_list_for_repository(*, repository: Repository) -> QuerySet[FixPullRequest]:
    """The repository's fix pull requests, newest first."""
    return FixPullRequest.objects.filter(repository=repository).order_by("-created_at", "-id")


def pull_request_list_for_audit(*, audit: Audit) -> QuerySet[FixPullRequest]:
    """The audit's fix pull requests, newest first, with their repositories."""
    return (
        FixPullRequest.objects.filter(audit=audit)
        .select_related("repository")
        .order_by("-created_at", "-id")
    )
