"""Fixtures: the local GitHub peer, a GitHub connection to it, sites served from folders."""

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from audit_engine.engine import AuditOptions, site_audit
from audit_engine.fetcher import FetchPolicy
from tests.connections.factories import ConnectionFactory
from tests.connections.github_peer import GitHubPeer, PeerRepository, git_repository_create
from tests.github_fixes.site_server import FolderSite

PEER_TOKEN = "gho_peer_token"
LOCAL_POLICY = FetchPolicy.from_strings(["127.0.0.1/32"])


@pytest.fixture(autouse=True)
def _encryption_key(settings):
    settings.ENCRYPTION_KEY = Fernet.generate_key().decode()


@pytest.fixture
def peer(settings):
    """The GitHub REST peer on 127.0.0.1, set as GITHUB_API_URL."""
    github = GitHubPeer(token=PEER_TOKEN).start()
    settings.GITHUB_API_URL = github.url
    yield github
    github.stop()


@pytest.fixture
def connection(db):
    """Alice's GitHub connection holding the token the peer accepts."""
    return ConnectionFactory(access_token=PEER_TOKEN, username="alice")


@pytest.fixture
def peer_repository(peer, tmp_path):
    """Add a git repository of `files` to the peer: `peer_repository("site", files, **kw)`."""

    def add(name: str, files: dict, owner: str = "acme", **kwargs) -> PeerRepository:
        path = git_repository_create(tmp_path / "repos" / name, files)
        return peer.repository_add(PeerRepository(owner=owner, name=name, path=path, **kwargs))

    return add


@pytest.fixture
def folder_site():
    """Serve a folder as a static site: `site = folder_site(path)`; `site.root` is its URL."""
    sites = []

    def serve(folder: Path) -> FolderSite:
        site = FolderSite(folder)
        sites.append(site)
        return site

    yield serve
    for site in sites:
        site.stop()


def engine_audit(url: str, max_pages: int = 60) -> dict:
    """The audit engine's results for a local site."""
    options = AuditOptions(policy=LOCAL_POLICY, max_pages=max_pages, concurrency=2)
    return site_audit(url=url, options=options, on_progress=lambda pages: True)
