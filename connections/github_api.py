"""The GitHub REST API on a connection's behalf: repositories, Git Data and pull requests.

githubkit carries the requests (httpx, token auth, Link-header pagination, retries) to
`GITHUB_API_URL`, so GitHub Enterprise and the local test peer are one setting away. Bodies
are read as JSON rather than through githubkit's strict models: the few fields used here
exist in every GitHub and Enterprise version, while the full models' required fields differ
between them. A 401 from GitHub means the stored token is no good: the connection is marked
`needs_reauth` and the caller gets the 409 that says to link the account again.
"""

import base64
import contextvars
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from githubkit import GitHub
from githubkit.exception import RequestError, RequestFailed

from connections.models import OAUTH_TOKEN_PURPOSE, Connection, Provider
from connections.services import connection_needs_reauth_mark
from encryption.cipher import secret_decrypt
from errors import catalog
from errors.exceptions import ApiError

PAGE_SIZE = 100
# Blobs read at once: a site's pages are many small files, each one request.
PARALLEL_READS = 4
FILE_MODE = "100644"


@dataclass(frozen=True)
class TreeEntry:
    path: str
    sha: str


class GitHubApi:
    """One connection's view of GitHub; every call raises `ApiError` for a refusal.

    Use it as a context manager: inside, every call shares one HTTP client (its connection
    pool and TLS context); outside, githubkit builds a client per request.
    """

    def __init__(self, *, connection: Connection) -> None:
        self.connection = connection
        self._github = GitHub(
            secret_decrypt(connection.access_token_encrypted, purpose=OAUTH_TOKEN_PURPOSE),
            base_url=settings.GITHUB_API_URL,
            timeout=settings.GITHUB_API_TIMEOUT_SECONDS,
            user_agent="LatentGEO",
            # Answers depend on the token; nothing is shared between calls or users.
            http_cache=False,
            auto_retry=False,
        )

    def __enter__(self) -> "GitHubApi":
        self._github.__enter__()
        return self

    def __exit__(self, *exc_info) -> None:
        self._github.__exit__(*exc_info)

    def _call(self, request, *args, **kwargs):
        try:
            return request(*args, **kwargs)
        except RequestFailed as exc:
            self._refusal(exc.response.status_code)
            raise
        except RequestError as exc:
            raise ApiError(catalog.GITHUB_REQUEST_FAILED, status="no answer") from exc

    def _refusal(self, status: int) -> None:
        if status == 401:
            connection_needs_reauth_mark(connection_id=self.connection.pk)
            raise ApiError(catalog.CONNECTION_NEEDS_REAUTH, provider_name=Provider.GITHUB.label)

    def _json(self, request, *args, allow_missing: bool = False, **kwargs):
        try:
            return self._call(request, *args, **kwargs).json()
        except RequestFailed as exc:
            if allow_missing and exc.response.status_code in (404, 409):
                return None
            raise ApiError(catalog.GITHUB_REQUEST_FAILED, status=exc.response.status_code) from exc

    def repositories_list(self) -> list[dict]:
        """Every repository the token can see, through every page GitHub returns."""
        rest = self._github.rest
        pages = rest.paginate(
            rest.repos.list_for_authenticated_user, map_func=lambda r: r.json(), per_page=PAGE_SIZE
        )
        try:
            return list(self._call(list, pages))
        except RequestFailed as exc:
            raise ApiError(catalog.GITHUB_REQUEST_FAILED, status=exc.response.status_code) from exc

    def repository_get(self, owner: str, repo: str) -> dict:
        """The repository as GitHub describes it now (permissions included)."""
        return self._json(self._github.rest.repos.get, owner, repo)

    def branch_head(self, owner: str, repo: str, branch: str) -> str | None:
        """The commit a branch points at, or None when there is no such branch."""
        ref = self._json(
            self._github.rest.git.get_ref, owner, repo, f"heads/{branch}", allow_missing=True
        )
        return ref["object"]["sha"] if ref else None

    def commit_tree(self, owner: str, repo: str, commit_sha: str) -> str:
        """The tree of a commit."""
        return self._json(self._github.rest.git.get_commit, owner, repo, commit_sha)["tree"]["sha"]

    def tree_files(self, owner: str, repo: str, tree_sha: str) -> dict[str, TreeEntry]:
        """Every file (blob) of a tree, recursively, by path."""
        tree = self._json(self._github.rest.git.get_tree, owner, repo, tree_sha, recursive="1")
        return {
            item["path"]: TreeEntry(item["path"], item["sha"])
            for item in tree.get("tree") or []
            if item.get("type") == "blob"
        }

    def blob_read(self, owner: str, repo: str, sha: str) -> bytes:
        """The bytes of a blob."""
        return _blob_bytes(self._json(self._github.rest.git.get_blob, owner, repo, sha))

    def blobs_read(self, owner: str, repo: str, shas: dict[str, str]) -> dict[str, bytes]:
        """The bytes of several blobs (name -> sha), read a few at a time."""

        def fetch(name: str):
            try:
                return self._github.rest.git.get_blob(owner, repo, shas[name]).json()
            except RequestError as exc:
                return exc

        names = list(shas)
        with ThreadPoolExecutor(max_workers=PARALLEL_READS) as pool:
            # githubkit keeps the open client in a context variable: each read runs in a copy
            # of this context, so all of them share the one client (httpx's is thread-safe).
            futures = [pool.submit(contextvars.copy_context().run, fetch, name) for name in names]
            answers = [future.result() for future in futures]
        contents = {}
        for name, answer in zip(names, answers, strict=True):
            if isinstance(answer, RequestError):
                # Failures are judged here, in the caller's thread: a refusal writes to the
                # database through the caller's connection.
                self._failure(answer)
            contents[name] = _blob_bytes(answer)
        return contents

    def _failure(self, exc: RequestError) -> None:
        if isinstance(exc, RequestFailed):
            self._refusal(exc.response.status_code)
            raise ApiError(catalog.GITHUB_REQUEST_FAILED, status=exc.response.status_code) from exc
        raise ApiError(catalog.GITHUB_REQUEST_FAILED, status="no answer") from exc

    def commit_files(
        self,
        owner: str,
        repo: str,
        *,
        parent: str,
        base_tree: str,
        files: dict[str, bytes],
        message: str,
    ) -> str:
        """One commit on top of `parent` writing `files` (tree, commit); its sha.

        Text files travel inside the tree request; only files that are not UTF-8 get a blob
        of their own first, so a commit of many pages costs a few requests, not one a file.
        """
        git = self._github.rest.git
        entries = []
        for path, content in sorted(files.items()):
            entry = {"path": path, "mode": FILE_MODE, "type": "blob"}
            try:
                entry["content"] = content.decode("utf-8")
            except UnicodeDecodeError:
                blob = self._json(
                    git.create_blob,
                    owner,
                    repo,
                    content=base64.b64encode(content).decode("ascii"),
                    encoding="base64",
                )
                entry["sha"] = blob["sha"]
            entries.append(entry)
        tree = self._json(git.create_tree, owner, repo, base_tree=base_tree, tree=entries)
        commit = self._json(
            git.create_commit, owner, repo, message=message, tree=tree["sha"], parents=[parent]
        )
        return commit["sha"]

    def branch_set(self, owner: str, repo: str, *, branch: str, sha: str, exists: bool) -> None:
        """Point `branch` at `sha`, creating the branch when it does not exist yet."""
        git = self._github.rest.git
        if exists:
            self._json(git.update_ref, owner, repo, f"heads/{branch}", sha=sha, force=True)
        else:
            self._json(git.create_ref, owner, repo, ref=f"refs/heads/{branch}", sha=sha)

    def pull_find(self, owner: str, repo: str, *, branch: str) -> dict | None:
        """The open pull request from `branch`, if there is one."""
        pulls = self._json(
            self._github.rest.pulls.list, owner, repo, head=f"{owner}:{branch}", state="open"
        )
        return pulls[0] if pulls else None

    def pull_open(
        self, owner: str, repo: str, *, branch: str, base: str, title: str, body: str
    ) -> dict:
        """A new pull request from `branch` into `base`."""
        return self._json(
            self._github.rest.pulls.create,
            owner,
            repo,
            title=title,
            body=body,
            head=branch,
            base=base,
        )

    def pull_update(self, owner: str, repo: str, *, number: int, title: str, body: str) -> dict:
        """New title and body for an existing pull request."""
        return self._json(
            self._github.rest.pulls.update, owner, repo, number, title=title, body=body
        )


def _blob_bytes(blob: dict) -> bytes:
    if blob.get("encoding") == "base64":
        return base64.b64decode(blob.get("content") or "")
    return (blob.get("content") or "").encode()
