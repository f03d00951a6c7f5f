"""Serve a folder as a static host does (`/about` from about.html or about/index.html)."""

import mimetypes
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit


class FolderSite:
    """A static site on 127.0.0.1 whose folder can be switched (same address, new files)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                found = site.file_for(unquote(urlsplit(self.path).path))
                body = found.read_bytes() if found else b"Not found"
                kind = (mimetypes.guess_type(found.name)[0] if found else None) or "text/plain"
                if kind == "text/html":
                    kind += "; charset=utf-8"
                self.send_response(200 if found else 404)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    def file_for(self, path: str) -> Path | None:
        relative = path.lstrip("/")
        if ".." in relative.split("/"):
            return None
        base = self.folder / relative if relative else self.folder
        for candidate in (base, base.with_name(base.name + ".html"), base / "index.html"):
            if candidate.is_file():
                return candidate
        return None

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
