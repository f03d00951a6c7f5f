"""The crawl of one site: robots.txt, sitemaps, then same-site links breadth first."""

import time
import zlib
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import lxml.etree
from protego import Protego
from w3lib.url import canonicalize_url

from audit_engine.fetcher import (
    USER_AGENT,
    FetchFailedError,
    FetchRefusedError,
    FetchResult,
    SafeFetcher,
)
from audit_engine.page_checks import PageAnalysis, page_analyse

# Pages one audit crawls unless it asks for another number (1..MAX_PAGES_LIMIT).
DEFAULT_MAX_PAGES = 50
MAX_PAGES_LIMIT = 200
MAX_URL_LENGTH = 2048
MAX_SITEMAPS = 20
SITEMAP_MAX_BYTES = 10 * 1024 * 1024
TEXT_FILE_MAX_BYTES = 512 * 1024
MAX_CRAWL_DELAY_SECONDS = 5.0
# Non-HTML responses are not pages; this bounds how many such fetches one audit makes.
FETCHES_PER_PAGE = 3
SITEMAP_NAMESPACE_FREE = lxml.etree.XPath("//*[local-name()='loc']/text()")
XML_PARSER = lxml.etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, recover=True
)


@dataclass(frozen=True)
class CrawlOptions:
    max_pages: int = DEFAULT_MAX_PAGES
    time_budget_seconds: float = 300.0
    concurrency: int = 2
    clock: Callable[[], float] = time.monotonic


@dataclass
class CrawledPage:
    url: str
    status: int | None
    analysis: PageAnalysis | None = None
    error: str = ""


@dataclass(frozen=True)
class BlockedFetch:
    url: str
    refused_url: str
    reason: str


@dataclass
class CrawlOutcome:
    root: str
    robots: Protego
    sitemap_found: bool = False
    llms_txt_found: bool = False
    pages: list[CrawledPage] = field(default_factory=list)
    blocked: list[BlockedFetch] = field(default_factory=list)
    budget_exhausted: bool = False
    stopped: bool = False


def _site_key(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    default = 443 if parts.scheme == "https" else 80
    port = parts.port or default
    # http and https on their default ports are the same site.
    return (parts.hostname or "", 0 if port in (80, 443) else port)


def _url_key(url: str) -> str:
    return canonicalize_url(url, keep_fragments=False)


def _sitemap_decode(result: FetchResult) -> bytes:
    body = result.body
    if body[:2] == b"\x1f\x8b":
        # Decompress with a cap: a small gzip bomb must not become gigabytes in memory.
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        body = inflater.decompress(body, SITEMAP_MAX_BYTES)
        if inflater.unconsumed_tail:
            raise FetchFailedError("sitemap is over the size limit once decompressed")
    return body


def _sitemap_parse(body: bytes) -> tuple[str, list[str]] | None:
    """The kind of a sitemap (`urlset` or `sitemapindex`) and its locations, or None."""
    try:
        root = lxml.etree.fromstring(body, parser=XML_PARSER)
    except (lxml.etree.XMLSyntaxError, ValueError):
        return None
    if root is None:
        return None
    kind = lxml.etree.QName(root).localname
    if kind not in ("urlset", "sitemapindex"):
        return None
    return kind, [loc.strip() for loc in SITEMAP_NAMESPACE_FREE(root) if loc.strip()]


class SiteCrawl:
    """One crawl of the site of `start_url`; `run` fills and returns a CrawlOutcome."""

    def __init__(
        self,
        *,
        start_url: str,
        fetcher: SafeFetcher,
        options: CrawlOptions,
        on_page: Callable[[int], bool],
    ) -> None:
        self._start_url = start_url
        self._site = _site_key(start_url)
        self._fetcher = fetcher
        self._options = options
        self._on_page = on_page
        self._deadline = options.clock() + options.time_budget_seconds
        self._start_moved_to: str | None = None
        parts = urlsplit(start_url)
        self.outcome = CrawlOutcome(
            root=f"{parts.scheme}://{parts.netloc}/", robots=Protego.parse("")
        )

    def _remaining(self) -> float:
        return self._deadline - self._options.clock()

    def _out_of_time(self) -> bool:
        if self._remaining() <= 0:
            self.outcome.budget_exhausted = True
        return self.outcome.budget_exhausted

    def _fetch(self, *, url: str, source: str, **kwargs) -> FetchResult | None:
        try:
            return self._fetcher.fetch(url=url, timeout=max(self._remaining(), 0.1), **kwargs)
        except FetchRefusedError as exc:
            self.outcome.blocked.append(BlockedFetch(source, exc.url, exc.reason))
        except FetchFailedError:
            pass
        return None

    def _same_site(self, url: str) -> bool:
        return urlsplit(url).scheme in ("http", "https") and _site_key(url) == self._site

    def _robots_read(self) -> None:
        url = urljoin(self.outcome.root, "robots.txt")
        result = self._fetch(url=url, source=url, max_bytes=TEXT_FILE_MAX_BYTES)
        if result is not None and result.status == 200:
            self.outcome.robots = Protego.parse(result.text())

    def _llms_txt_read(self) -> None:
        url = urljoin(self.outcome.root, "llms.txt")
        result = self._fetch(url=url, source=url, max_bytes=TEXT_FILE_MAX_BYTES)
        self.outcome.llms_txt_found = (
            result is not None
            and result.status == 200
            and not result.is_html
            and bool(result.body.strip())
        )

    def _sitemaps_read(self) -> list[str]:
        """Page URLs from every sitemap robots.txt names and /sitemap.xml, indexes followed."""
        named = [urljoin(self.outcome.root, s) for s in self.outcome.robots.sitemaps]
        queue = deque(dict.fromkeys([*named, urljoin(self.outcome.root, "sitemap.xml")]))
        seen: set[str] = set()
        pages: list[str] = []
        while queue and len(seen) < MAX_SITEMAPS and not self._out_of_time():
            url = queue.popleft()
            if url in seen:
                continue
            seen.add(url)
            result = self._fetch(url=url, source=url, max_bytes=SITEMAP_MAX_BYTES)
            if result is None or result.status != 200:
                continue
            try:
                parsed = _sitemap_parse(_sitemap_decode(result))
            except FetchFailedError:
                continue
            if parsed is None:
                continue
            self.outcome.sitemap_found = True
            kind, locations = parsed
            if kind == "sitemapindex":
                queue.extend(loc for loc in locations if urlsplit(loc).scheme in ("http", "https"))
            else:
                pages.extend(loc for loc in locations if self._same_site(loc))
        return pages

    def _page_fetch(self, url: str, referrer: str) -> tuple[str, str, FetchResult | Exception]:
        try:
            result = self._fetcher.fetch(
                url=url, html_only=True, timeout=max(self._remaining(), 0.1)
            )
        except (FetchRefusedError, FetchFailedError) as exc:
            return url, referrer, exc
        return url, referrer, result

    def run(self) -> CrawlOutcome:
        """Crawl until max_pages, the time budget, the end of the site, or `on_page` says stop."""
        self._crawl()
        moved_to = self._start_moved_to
        if moved_to and not self.outcome.pages and not self.outcome.stopped:
            # The start URL redirects to another host (example.com -> www.example.com): that
            # host is the site, with its own robots.txt and sitemaps.
            self._start_url, self._site = moved_to, _site_key(moved_to)
            parts = urlsplit(moved_to)
            self.outcome.root = f"{parts.scheme}://{parts.netloc}/"
            self.outcome.robots = Protego.parse("")
            self.outcome.sitemap_found = False
            self._start_moved_to = None
            self._crawl()
        return self.outcome

    def _crawl(self) -> None:
        if self._out_of_time():
            return
        self._robots_read()
        sitemap_pages = self._sitemaps_read()
        if not self._out_of_time():
            self._llms_txt_read()
        delay = self.outcome.robots.crawl_delay(USER_AGENT)
        delay = min(float(delay), MAX_CRAWL_DELAY_SECONDS) if delay else 0.0
        workers = 1 if delay else max(1, self._options.concurrency)
        frontier: deque[tuple[str, str]] = deque()
        queued: set[str] = set()
        for url in [self._start_url, *sitemap_pages]:
            if _url_key(url) not in queued:
                queued.add(_url_key(url))
                frontier.append((url, url))
        crawled: set[str] = set()
        fetches = 0
        max_fetches = self._options.max_pages * FETCHES_PER_PAGE
        with ThreadPoolExecutor(max_workers=workers) as pool:
            while frontier and len(self.outcome.pages) < self._options.max_pages:
                if self._out_of_time() or fetches >= max_fetches:
                    break
                batch = []
                while frontier and len(batch) < workers:
                    url, referrer = frontier.popleft()
                    if len(url) <= MAX_URL_LENGTH and self.outcome.robots.can_fetch(
                        url, USER_AGENT
                    ):
                        batch.append((url, referrer))
                fetches += len(batch)
                for url, referrer, result in pool.map(lambda item: self._page_fetch(*item), batch):
                    if len(self.outcome.pages) >= self._options.max_pages:
                        break
                    self._page_record(url, referrer, result, frontier, queued, crawled)
                if not self._on_page(len(self.outcome.pages)):
                    self.outcome.stopped = True
                    break
                if delay and frontier:
                    time.sleep(min(delay, max(self._remaining(), 0)))

    def _page_record(self, url, referrer, result, frontier, queued, crawled) -> None:
        if isinstance(result, FetchRefusedError):
            self.outcome.blocked.append(BlockedFetch(url, result.url, result.reason))
            return
        if isinstance(result, FetchFailedError):
            self.outcome.pages.append(CrawledPage(url=url, status=None, error=str(result)))
            return
        if not self._same_site(result.url):
            if url == self._start_url and result.is_html and not self.outcome.pages:
                self._start_moved_to = result.url
            return
        # Error answers are listed whatever their type; of the rest only HTML is a page.
        if result.status == 200 and not result.is_html:
            return
        final_key = _url_key(result.url)
        if final_key in crawled:
            return
        crawled.add(final_key)
        queued.add(final_key)
        if result.status != 200:
            self.outcome.pages.append(
                CrawledPage(url=result.url, status=result.status, error=f"HTTP {result.status}")
            )
            return
        analysis = page_analyse(
            url=result.url,
            html=result.body,
            charset=result.charset,
            robots_header=result.headers.get("x-robots-tag", ""),
        )
        self.outcome.pages.append(
            CrawledPage(url=result.url, status=result.status, analysis=analysis)
        )
        for link in analysis.links:
            key = _url_key(link)
            if self._same_site(link) and key not in queued:
                queued.add(key)
                frontier.append((link, result.url))


def site_crawl(
    *, start_url: str, fetcher: SafeFetcher, options: CrawlOptions, on_page: Callable[[int], bool]
) -> CrawlOutcome:
    """Crawl the site of `start_url`; `on_page(pages_so_far)` returning False stops the crawl."""
    return SiteCrawl(start_url=start_url, fetcher=fetcher, options=options, on_page=on_page).run()
