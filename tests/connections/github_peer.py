"""A local GitHub REST peer: a threaded HTTP server on 127.0.0.1 backed by real git repositories.

It answers the calls the service makes: the authenticated user's repositories (with Link
pagination), a repository, the Git Data API (refs, commits, trees, blobs), and pull requests
(list, create, update). Each repository is a real git repository made with the git CLI, so a
test can check out the branch the service pushed and look at `git diff`.
"""

import base64
import json
import os
import re
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Site Owner",
    "GIT_AUTHOR_EMAIL": "owner@example.com",
    "GIT_COMMITTER_NAME": "Site Owner",
    "GIT_COMMITTER_EMAIL": "owner@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": tempfile.gettempdir(),
}


def git(repo: Path, *args: str, input: bytes | None = None, env: dict | None = None) -> str:
    """Run git in `repo`; its standard output as text."""
    result = subprocess.run(
        ["git", *args],
        cwd=repo,
        input=input,
        capture_output=True,
        check=True,
        env={**os.environ, **GIT_ENV, **(env or {})},
    )
    return result.stdout.decode()


def git_repository_create(path: Path, files: dict[str, bytes | str], branch: str = "main") -> Path:
    """A git repository at `path` with one commit of `files` on `branch`."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", branch)
    for name, content in files.items():
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode() if isinstance(content, str) else content)
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "The site")
    return path


@dataclass
class PeerRepository:
    owner: str
    name: str
    path: Path | None = None
    default_branch: str = "main"
    push: bool = True
    github_id: int = 0
    pulls: list[dict] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


class GitHubPeer:
    """The peer's state: tokens it accepts, repositories, and the requests it saw."""

    def __init__(self, *, token: str = "gho_peer_token") -> None:
        self.tokens = {token}
        self.repositories: dict[str, PeerRepository] = {}
        self.requests: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def repository_add(self, repository: PeerRepository) -> PeerRepository:
        repository.github_id = repository.github_id or 5000 + len(self.repositories)
        self.repositories[repository.full_name.lower()] = repository
        return repository

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> "GitHubPeer":
        peer = self

        class Handler(_PeerHandler):
            state = peer

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def repository_json(self, repository: PeerRepository) -> dict:
        return {
            "id": repository.github_id,
            "name": repository.name,
            "full_name": repository.full_name,
            "owner": {"login": repository.owner},
            "html_url": f"https://github.example/{repository.full_name}",
            "homepage": f"https://{repository.name}.example/",
            "default_branch": repository.default_branch,
            "private": False,
            "permissions": {"admin": False, "push": repository.push, "pull": True},
        }


class _PeerHandler(BaseHTTPRequestHandler):
    state: GitHubPeer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def _answer(self, status: int, body=None, headers: dict | None = None) -> None:
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(length) or b"{}")

    def _authorized(self) -> bool:
        header = self.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        return scheme.lower() in ("token", "bearer") and token in self.state.tokens

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def do_PATCH(self):
        self._dispatch("PATCH")

    def _dispatch(self, method: str) -> None:
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        path = parts.path
        with self.state.lock:
            self.state.requests.append((method, path))
        body = self._body() if method in ("POST", "PATCH") else {}
        if not self._authorized():
            self._answer(401, {"message": "Bad credentials"})
            return
        try:
            with self.state.lock:
                self._route(method, path, query, body)
        except subprocess.CalledProcessError:
            self._answer(422, {"message": "git refused"})

    def _route(self, method, path, query, body) -> None:
        if method == "GET" and path == "/user/repos":
            return self._repos_list(query)
        match = re.fullmatch(r"/repos/([^/]+)/([^/]+)(/.*)?", path)
        repository = self.state.repositories.get(
            f"{match.group(1)}/{match.group(2)}".lower() if match else ""
        )
        if repository is None:
            return self._answer(404, {"message": "Not Found"})
        rest = match.group(3) or ""
        if method == "GET" and rest == "":
            return self._answer(200, self.state.repository_json(repository))
        if repository.path is None:
            return self._answer(409, {"message": "Git Repository is empty."})
        repo = repository.path
        handlers = [
            ("GET", r"/git/ref/heads/(.+)", self._ref_get),
            ("GET", r"/git/commits/(\w+)", self._commit_get),
            ("GET", r"/git/trees/([^/]+)", self._tree_get),
            ("GET", r"/git/blobs/(\w+)", self._blob_get),
            ("POST", r"/git/blobs", self._blob_create),
            ("POST", r"/git/trees", self._tree_create),
            ("POST", r"/git/commits", self._commit_create),
            ("POST", r"/git/refs", self._ref_create),
            ("PATCH", r"/git/refs/heads/(.+)", self._ref_update),
            ("GET", r"/pulls", self._pulls_list),
            ("POST", r"/pulls", self._pull_create),
            ("PATCH", r"/pulls/(\d+)", self._pull_update),
        ]
        for verb, pattern, handler in handlers:
            found = re.fullmatch(pattern, rest)
            if verb == method and found:
                return handler(repository, repo, *found.groups(), query=query, body=body)
        return self._answer(404, {"message": "Not Found"})

    def _repos_list(self, query) -> None:
        per_page = int(query.get("per_page", 30))
        page = int(query.get("page", 1))
        repositories = sorted(self.state.repositories.values(), key=lambda r: r.github_id)
        chunk = repositories[(page - 1) * per_page : page * per_page]
        headers = {}
        if page * per_page < len(repositories):
            next_url = f"{self.state.url}/user/repos?per_page={per_page}&page={page + 1}"
            headers["Link"] = f'<{next_url}>; rel="next"'
        self._answer(200, [self.state.repository_json(r) for r in chunk], headers)

    def _sha(self, repo: Path, name: str) -> str | None:
        try:
            return git(repo, "rev-parse", "--verify", "-q", name).strip()
        except subprocess.CalledProcessError:
            return None

    def _ref_get(self, repository, repo, branch, **_) -> None:
        sha = self._sha(repo, f"refs/heads/{branch}")
        if sha is None:
            return self._answer(404, {"message": "Not Found"})
        self._answer(200, {"ref": f"refs/heads/{branch}", "object": {"sha": sha, "type": "commit"}})

    def _commit_get(self, repository, repo, sha, **_) -> None:
        tree = git(repo, "rev-parse", f"{sha}^{{tree}}").strip()
        self._answer(200, {"sha": sha, "tree": {"sha": tree}})

    def _tree_get(self, repository, repo, name, query, **_) -> None:
        sha = self._sha(repo, f"{name}^{{tree}}") or self._sha(repo, f"refs/heads/{name}^{{tree}}")
        if sha is None:
            return self._answer(404, {"message": "Not Found"})
        recursive = ["-r", "-t"] if query.get("recursive") else []
        entries = []
        for line in git(repo, "ls-tree", "-z", *recursive, sha).split("\0"):
            if line:
                meta, path = line.split("\t", 1)
                mode, kind, object_sha = meta.split()
                entries.append({"path": path, "mode": mode, "type": kind, "sha": object_sha})
        self._answer(200, {"sha": sha, "tree": entries, "truncated": False})

    def _blob_get(self, repository, repo, sha, **_) -> None:
        content = subprocess.run(
            ["git", "cat-file", "blob", sha], cwd=repo, capture_output=True, check=True
        ).stdout
        self._answer(
            200,
            {"sha": sha, "encoding": "base64", "content": base64.b64encode(content).decode()},
        )

    def _blob_create(self, repository, repo, body, **_) -> None:
        content = body["content"]
        data = base64.b64decode(content) if body.get("encoding") == "base64" else content.encode()
        sha = git(repo, "hash-object", "-w", "--stdin", input=data).strip()
        self._answer(201, {"sha": sha, "url": f"/blobs/{sha}"})

    def _tree_create(self, repository, repo, body, **_) -> None:
        with tempfile.TemporaryDirectory() as scratch:
            env = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
            if body.get("base_tree"):
                git(repo, "read-tree", body["base_tree"], env=env)
            for entry in body.get("tree") or []:
                if "content" in entry:
                    # Inline content: stored as a blob first, as GitHub does.
                    entry = {
                        **entry,
                        "sha": git(
                            repo, "hash-object", "-w", "--stdin", input=entry["content"].encode()
                        ).strip(),
                    }
                git(
                    repo,
                    "update-index",
                    "--add",
                    "--cacheinfo",
                    f"{entry['mode']},{entry['sha']},{entry['path']}",
                    env=env,
                )
            sha = git(repo, "write-tree", env=env).strip()
        self._answer(201, {"sha": sha, "tree": []})

    def _commit_create(self, repository, repo, body, **_) -> None:
        parents = [arg for parent in body.get("parents") or [] for arg in ("-p", parent)]
        sha = git(repo, "commit-tree", body["tree"], *parents, "-m", body["message"]).strip()
        self._answer(201, {"sha": sha, "tree": {"sha": body["tree"]}})

    def _ref_create(self, repository, repo, body, **_) -> None:
        if self._sha(repo, body["ref"]) is not None:
            return self._answer(422, {"message": "Reference already exists"})
        git(repo, "update-ref", body["ref"], body["sha"])
        self._answer(201, {"ref": body["ref"], "object": {"sha": body["sha"]}})

    def _ref_update(self, repository, repo, branch, body, **_) -> None:
        git(repo, "update-ref", f"refs/heads/{branch}", body["sha"])
        self._answer(200, {"ref": f"refs/heads/{branch}", "object": {"sha": body["sha"]}})

    def _pulls_list(self, repository, repo, query, **_) -> None:
        head = query.get("head", "")
        state = query.get("state", "open")
        pulls = [
            pull
            for pull in repository.pulls
            if (not head or f"{repository.owner}:{pull['head']['ref']}" == head)
            and (state == "all" or pull["state"] == state)
        ]
        self._answer(200, pulls)

    def _pull_create(self, repository, repo, body, **_) -> None:
        if not repository.push:
            return self._answer(403, {"message": "Resource not accessible"})
        number = len(repository.pulls) + 1
        pull = {
            "number": number,
            "state": "open",
            "title": body["title"],
            "body": body.get("body") or "",
            "html_url": f"https://github.example/{repository.full_name}/pull/{number}",
            "head": {"ref": body["head"]},
            "base": {"ref": body["base"]},
            "merged": False,
        }
        repository.pulls.append(pull)
        self._answer(201, pull)

    def _pull_update(self, repository, repo, number, body, **_) -> None:
        pull = next((p for p in repository.pulls if p["number"] == int(number)), None)
        if pull is None:
            return self._answer(404, {"message": "Not Found"})
        pull.update({k: v for k, v in body.items() if k in ("title", "body", "state")})
        self._answer(200, pull)
