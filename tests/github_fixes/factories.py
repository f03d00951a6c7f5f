import factory
from django.utils import timezone

from github_fixes.models import FixPullRequest, Repository
from tests.connections.factories import ConnectionFactory
from tests.reports.factories import AuditFactory


class RepositoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Repository

    connection = factory.SubFactory(ConnectionFactory)
    github_id = factory.Sequence(lambda n: 9000 + n)
    owner = "acme"
    name = factory.Sequence(lambda n: f"site{n}")
    full_name = factory.LazyAttribute(lambda r: f"{r.owner}/{r.name}")
    url = factory.LazyAttribute(lambda r: f"https://github.example/{r.full_name}")
    default_branch = "main"
    site_type = "static"
    can_push = True
    synced_at = factory.LazyFunction(timezone.now)


class FixPullRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FixPullRequest

    audit = factory.SubFactory(AuditFactory, status="completed")
    repository = factory.SubFactory(RepositoryFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "LatentGEO: fixes"
    html_url = factory.LazyAttribute(
        lambda p: f"https://github.example/{p.repository.full_name}/pull/{p.number}"
    )
    branch = factory.LazyAttribute(lambda p: f"latentgeo/audit-{p.audit.pk}")
    head_sha = "0" * 40
    files_changed = factory.LazyFunction(lambda: ["index.html"])
    fixes_applied = factory.LazyFunction(
        lambda: [{"code": "CANONICAL_MISSING", "path": "index.html", "page_url": "https://e/"}]
    )
