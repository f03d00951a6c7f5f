"""A database of the previous schema migrates through the descriptions of github_fixes 0002
keeping every repository and pull request as it was."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from github_fixes.models import FixPullRequest, Repository
from tests.github_fixes.factories import FixPullRequestFactory

BEFORE = [("github_fixes", "0001_initial")]


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_repositories_and_pull_requests_are_kept():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    _migrate(BEFORE)
    applied = MigrationRecorder(connection).applied_migrations()
    assert ("github_fixes", "0002_field_descriptions") not in applied
    try:
        # The columns are the same before and after: today's models write the old schema's rows.
        closed = FixPullRequestFactory(status=FixPullRequest.Status.CLOSED)
        merged = FixPullRequestFactory(status=FixPullRequest.Status.MERGED)
        before = {
            pull.pk: (pull.status, pull.number, pull.repository.github_id)
            for pull in (closed, merged)
        }
        _migrate(leaves)

        assert Repository.objects.count() == 2
        assert {
            pull.pk: (pull.status, pull.number, pull.repository.github_id)
            for pull in FixPullRequest.objects.select_related("repository")
        } == before
        assert FixPullRequest.objects.get(pk=closed.pk).get_status_display() == (
            "Closed without merging"
        )
    finally:
        _migrate(leaves)
