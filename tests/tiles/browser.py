"""Debian's chromium driven by Playwright, for the tests that need a real browser and WebGL."""

import os
from pathlib import Path

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    # Without a GPU, WebGL needs the software rasteriser, which chromium no longer picks alone.
    "--enable-unsafe-swiftshader",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_launch(playwright):
    """The system chromium; `make test` installs it (bin/chromium-install) when missing."""
    if not Path(CHROMIUM_PATH).exists():
        raise RuntimeError(f"{CHROMIUM_PATH} is missing: run bin/chromium-install")
    return playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)


class RequestLog:
    """Every tile API request a page makes, and those that failed (network or HTTP >= 400)."""

    def __init__(self, page, api_prefix: str) -> None:
        self.api_prefix = api_prefix
        self.responses: list[tuple[str, int]] = []
        self.failures: list[str] = []
        page.on("response", self._response)
        page.on("requestfailed", self._failed)

    def _response(self, response) -> None:
        if response.url.startswith(self.api_prefix):
            self.responses.append((response.url, response.status))
            if response.status >= 400:
                self.failures.append(f"{response.status} {response.url}")

    def _failed(self, request) -> None:
        self.failures.append(f"{request.failure} {request.url}")

    def tiles(self) -> list[tuple[str, int]]:
        return [(url, status) for url, status in self.responses if url.endswith(".mvt")]
