"""A stateful local HubSpot: OAuth tokens that expire, CMS pages that remember their writes.

A real threaded HTTP server on 127.0.0.1 (so concurrent calls are served concurrently), with:
- the token endpoint (`/oauth/v1/token`): the authorization code `demo-code` gets a token
  pair (and `/oauth/v1/access-tokens/{token}` names the portal), a known refresh token gets
  a new access token, a revoked one gets HubSpot's 400 `BAD_REFRESH_TOKEN`;
- access tokens with a lifetime: an expired or unknown bearer token gets a 401;
- site pages (`/cms/v3/pages/site-pages`) and blog posts (`/cms/v3/blogs/posts`): listed with
  `after` cursors (a small page size, so listing takes several requests), read by id, and
  patched; every write moves the object's `updatedAt` forward;
- the published site (`/site/...`): the HTML a test gives for each path.

`python -m tests.hubspot_cms.hubspot_peer --port 8765` runs it alone with a demo portal, for
trying the HubSpot flow against `make run` (docs/audits-and-fixes.md).
"""

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

AUTHORIZATION_CODE = "demo-code"
PORTAL_ID = 62515
CLIENT_ID = "hs-client"
CLIENT_SECRET = "hs-secret"
COLLECTIONS = {"site_page": "/cms/v3/pages/site-pages", "blog_post": "/cms/v3/blogs/posts"}
FIELDS = ("name", "htmlTitle", "metaDescription", "headHtml", "url")


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class PeerState:
    page_size: int = 2
    token_lifetime_seconds: int = 1800
    # Held inside the token endpoint, so that concurrent refreshes overlap if they can.
    refresh_pause_seconds: float = 0.0
    access_tokens: dict[str, float] = field(default_factory=dict)
    refresh_tokens: set[str] = field(default_factory=set)
    revoked_refresh_tokens: set[str] = field(default_factory=set)
    objects: dict[str, dict[str, dict]] = field(
        default_factory=lambda: {kind: {} for kind in COLLECTIONS}
    )
    site: dict[str, str] = field(default_factory=dict)
    refresh_count: int = 0
    patches: list[tuple[str, str, dict]] = field(default_factory=list)
    clock: datetime = field(default_factory=lambda: datetime(2026, 1, 5, 9, 0, tzinfo=UTC))


class HubSpotPeer:
    """The server and its state; tests read and change the state through its methods."""

    def __init__(self, port: int = 0) -> None:
        self.state = PeerState()
        self._lock = threading.Lock()
        self._next_token = 0
        self._next_id = 158_000_000
        peer = self

        class Handler(_Handler):
            hubspot = peer

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # --- lifecycle
    def start(self) -> "HubSpotPeer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # --- tokens
    def token_issue(self, *, expires_in: int | None = None) -> str:
        """A new access token, valid for `expires_in` seconds (negative: already expired)."""
        with self._lock:
            self._next_token += 1
            token = f"peer-access-{self._next_token}"
            lifetime = self.state.token_lifetime_seconds if expires_in is None else expires_in
            self.state.access_tokens[token] = time.time() + lifetime
            return token

    def token_accept(self, token: str) -> None:
        """Accept a token issued elsewhere (a test's stored token) for the usual lifetime."""
        with self._lock:
            self.state.access_tokens[token] = time.time() + self.state.token_lifetime_seconds

    def refresh_token_issue(self) -> str:
        with self._lock:
            self._next_token += 1
            token = f"peer-refresh-{self._next_token}"
            self.state.refresh_tokens.add(token)
            return token

    def refresh_token_revoke(self, token: str) -> None:
        with self._lock:
            self.state.refresh_tokens.discard(token)
            self.state.revoked_refresh_tokens.add(token)

    def token_expire(self, token: str) -> None:
        """Expire an access token now, as HubSpot does after its lifetime."""
        with self._lock:
            self.state.access_tokens[token] = 0.0

    def token_valid(self, token: str) -> bool:
        with self._lock:
            return self.state.access_tokens.get(token, 0.0) > time.time()

    # --- CMS objects
    def _tick(self) -> datetime:
        # Every write gets a later `updatedAt`, even two writes within one millisecond.
        self.state.clock += timedelta(seconds=1)
        return self.state.clock

    def page_add(self, kind: str, **values) -> dict:
        """Create a site page or blog post; returns its JSON as HubSpot would answer it."""
        with self._lock:
            self._next_id += 1
            now = self._tick()
            item = {
                "id": str(self._next_id),
                "name": "",
                "htmlTitle": "",
                "metaDescription": "",
                "headHtml": "",
                "url": "",
                "state": "PUBLISHED",
                "createdAt": _iso(now),
                "updatedAt": _iso(now),
            }
            item.update(values)
            self.state.objects[kind][item["id"]] = item
            return dict(item)

    def page(self, kind: str, object_id: str) -> dict:
        with self._lock:
            return dict(self.state.objects[kind][object_id])

    def page_edit(self, kind: str, object_id: str, **values) -> dict:
        """An edit made in HubSpot itself (by a person): the values change, `updatedAt` moves."""
        with self._lock:
            item = self.state.objects[kind][object_id]
            item.update(values)
            item["updatedAt"] = _iso(self._tick())
            return dict(item)

    def _patch(self, kind: str, object_id: str, body: dict) -> dict | None:
        with self._lock:
            item = self.state.objects[kind].get(object_id)
            if item is None:
                return None
            item.update({name: value for name, value in body.items() if name in FIELDS})
            item["updatedAt"] = _iso(self._tick())
            self.state.patches.append((kind, object_id, dict(body)))
            return dict(item)

    def _listing(self, kind: str, after: str | None) -> dict:
        with self._lock:
            items = sorted(self.state.objects[kind].values(), key=lambda item: item["id"])
            start = int(after) if after else 0
            chunk = items[start : start + self.state.page_size]
            body = {"total": len(items), "results": [dict(item) for item in chunk]}
            if start + self.state.page_size < len(items):
                cursor = str(start + self.state.page_size)
                body["paging"] = {"next": {"after": cursor, "link": f"?after={cursor}"}}
            return body

    # --- token endpoint
    def _token_pair(self, refresh: str) -> dict:
        return {
            "access_token": self.token_issue(),
            "refresh_token": refresh,
            "expires_in": self.state.token_lifetime_seconds,
            "token_type": "bearer",
        }

    def _refresh(self, form: dict[str, str]) -> tuple[int, dict]:
        if (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
            return 400, {"status": "BAD_CLIENT_ID", "message": "unknown client"}
        if form.get("grant_type") == "authorization_code":
            if form.get("code") != AUTHORIZATION_CODE:
                return 400, {"status": "BAD_AUTH_CODE", "message": "missing or unknown code"}
            return 200, self._token_pair(self.refresh_token_issue())
        if form.get("grant_type") != "refresh_token":
            return 400, {"status": "BAD_GRANT_TYPE", "message": "unsupported grant"}
        if self.state.refresh_pause_seconds:
            time.sleep(self.state.refresh_pause_seconds)
        refresh = form.get("refresh_token", "")
        with self._lock:
            self.state.refresh_count += 1
            known = refresh in self.state.refresh_tokens
        if not known:
            return 400, {
                "status": "BAD_REFRESH_TOKEN",
                "message": "missing or unknown refresh token",
            }
        return 200, self._token_pair(refresh)


class _Handler(BaseHTTPRequestHandler):
    hubspot: HubSpotPeer
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args) -> None:
        return

    def _send(self, status: int, body: dict | str, content_type: str = "application/json") -> None:
        data = (json.dumps(body) if isinstance(body, dict) else body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _authorized(self) -> bool:
        header = self.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ").strip()
        if header.startswith("Bearer ") and self.hubspot.token_valid(token):
            return True
        self._send(401, {"status": "error", "category": "EXPIRED_AUTHENTICATION"})
        return False

    def _object_route(self) -> tuple[str, str | None] | None:
        path = urlsplit(self.path).path
        for kind, prefix in COLLECTIONS.items():
            if path == prefix:
                return kind, None
            if path.startswith(prefix + "/"):
                return kind, path[len(prefix) + 1 :]
        return None

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path.startswith("/site/"):
            html = self.hubspot.state.site.get(parts.path)
            if html is None:
                self._send(404, "not found", "text/plain")
            else:
                self._send(200, html, "text/html; charset=utf-8")
            return
        if parts.path.startswith("/oauth/v1/access-tokens/"):
            token = parts.path.rsplit("/", 1)[1]
            if not self.hubspot.token_valid(token):
                self._send(404, {"status": "error", "message": "unknown token"})
                return
            info = {"token": token, "user": "marketer@example.com", "hub_id": PORTAL_ID}
            self._send(200, {**info, "scopes": ["oauth", "content"], "token_type": "access"})
            return
        route = self._object_route()
        if route is None:
            self._send(404, {"status": "error", "message": "no route"})
            return
        if not self._authorized():
            return
        kind, object_id = route
        if object_id is None:
            after = parse_qs(parts.query).get("after", [None])[0]
            self._send(200, self.hubspot._listing(kind, after))
            return
        try:
            self._send(200, self.hubspot.page(kind, object_id))
        except KeyError:
            self._send(404, {"status": "error", "category": "OBJECT_NOT_FOUND"})

    def do_PATCH(self) -> None:
        route = self._object_route()
        if route is None or route[1] is None:
            self._send(404, {"status": "error", "message": "no route"})
            return
        if not self._authorized():
            return
        kind, object_id = route
        body = json.loads(self._body() or b"{}")
        written = self.hubspot._patch(kind, object_id, body)
        if written is None:
            self._send(404, {"status": "error", "category": "OBJECT_NOT_FOUND"})
        else:
            self._send(200, written)

    def do_POST(self) -> None:
        if urlsplit(self.path).path != "/oauth/v1/token":
            self._send(404, {"status": "error", "message": "no route"})
            return
        form = {name: values[0] for name, values in parse_qs(self._body().decode()).items()}
        status, body = self.hubspot._refresh(form)
        self._send(status, body)


DEMO_PAGES = {
    "/site/": ("site_page", "Home", "<h1>Acme Widgets</h1><p>Widgets that last.</p>"),
    "/site/about": (
        "site_page",
        "About",
        "<h1>About Acme</h1><p>Acme has made widgets by hand since 1962, in a small workshop "
        "by the river, and tests every one of them before it ships.</p>",
    ),
    "/site/blog/spring": (
        "blog_post",
        "Spring news",
        "<article><h1>Spring news</h1><p>Three new widgets arrive this spring.</p></article>",
    ),
}


def demo_portal_add(peer: HubSpotPeer) -> None:
    """A small portal: pages without title, description or structured data, and their site."""
    links = "".join(f'<a href="{path}">{path}</a> ' for path in DEMO_PAGES)
    for path, (kind, name, body) in DEMO_PAGES.items():
        peer.page_add(kind, name=name, url=f"{peer.url}{path}")
        peer.state.site[path] = (
            f"<!doctype html><html><head></head><body>{body}{links}</body></html>"
        )


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    port = parser.parse_args().port
    peer = HubSpotPeer(port=port)
    demo_portal_add(peer)
    print(f"HubSpot peer on {peer.url} (client {CLIENT_ID}, code {AUTHORIZATION_CODE})", flush=True)
    peer.start()
    try:
        peer._thread.join()
    except KeyboardInterrupt:
        peer.stop()


if __name__ == "__main__":
    main()
