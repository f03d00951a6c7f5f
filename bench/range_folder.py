"""A plain HTTP folder with range support for the bench's remote tileset, counting requests.

Usage: python bench/range_folder.py FOLDER PORT

Answers `Range: bytes=a-b` with 206 by reading only that part of the file, as an object
store or a CDN does, and prints one line per request so that the bench can count the range
requests the service sends per 1,000 tiles.
"""

import os
import re
import sys
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

_RANGE = re.compile(r"^bytes=(\d+)-(\d*)$")


class RangeFolderHandler(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        sys.stdout.write(f"{self.command} {self.path} {self.headers.get('Range', '')}\n")
        sys.stdout.flush()

    def send_head(self):
        match = _RANGE.match(self.headers.get("Range", ""))
        path = self.translate_path(self.path)
        if match is None or not os.path.isfile(path):
            return super().send_head()
        with open(path, "rb") as file:
            size = os.fstat(file.fileno()).st_size
            mtime = os.fstat(file.fileno()).st_mtime
            start = int(match[1])
            end = min(int(match[2]) if match[2] else size - 1, size - 1)
            if start >= size:
                self.send_error(416)
                return None
            data = os.pread(file.fileno(), end - start + 1, start)
        self.send_response(206)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Last-Modified", self.date_time_string(int(mtime)))
        self.end_headers()
        self.wfile.write(data)
        return None


def main() -> None:
    folder, port = sys.argv[1], int(sys.argv[2])
    handler = partial(RangeFolderHandler, directory=folder)
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer(("127.0.0.1", port), handler).serve_forever()


if __name__ == "__main__":
    main()
