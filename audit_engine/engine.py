"""The one entry point of the engine: audit a site and return the results document."""

import time
from collections.abc import Callable
from dataclasses import dataclass

from audit_engine.crawler import DEFAULT_MAX_PAGES, CrawlOptions, CrawlOutcome, site_crawl
from audit_engine.fetcher import FetchPolicy, SafeFetcher
from audit_engine.findings import FINDINGS, SEVERITY_ORDER
from audit_engine.scoring import page_scores, site_scores
from audit_engine.site_checks import site_findings

# Bounds of the results document (the API's limits on audit results).
MAX_LISTED_URLS = 20
TITLE_MAX_CHARS = 300
DESCRIPTION_MAX_CHARS = 2000
# Codes whose finding counts occurrences rather than pages.
COUNTED_CODES = {
    "LONG_PARAGRAPH": "paragraphs over 400 characters",
    "IMAGE_ALT_MISSING": "images without alt",
}


@dataclass(frozen=True)
class AuditOptions:
    policy: FetchPolicy
    max_pages: int = DEFAULT_MAX_PAGES
    time_budget_seconds: float = 300.0
    concurrency: int = 2
    clock: Callable[[], float] = time.monotonic


def _listing(urls: list[str]) -> str:
    shown = ", ".join(urls[:MAX_LISTED_URLS])
    more = len(urls) - MAX_LISTED_URLS
    return shown + (f" and {more} more" if more > 0 else "")


def _finding(code: str, urls: list[str], detail: str) -> dict:
    spec = FINDINGS[code]
    description = f"{spec.description} {detail}".strip()
    if len(description) > DESCRIPTION_MAX_CHARS:
        description = description[: DESCRIPTION_MAX_CHARS - 1] + "…"
    return {
        "code": code,
        "severity": spec.severity,
        "title": spec.title,
        "description": description,
        "recommendation": spec.recommendation,
        "url": urls[0],
        "pages": urls[:MAX_LISTED_URLS],
        "page_count": len(urls),
    }


def _findings(outcome: CrawlOutcome, site: dict[str, dict]) -> list[dict]:
    by_code: dict[str, list[tuple[str, int]]] = {}
    for page in outcome.pages:
        if page.analysis is not None:
            for code, count in page.analysis.findings.items():
                by_code.setdefault(code, []).append((page.url, count))
    findings = []
    for code, hits in by_code.items():
        urls = [url for url, _count in hits]
        detail = f"Found on {len(urls)} page{'s' if len(urls) != 1 else ''}: {_listing(urls)}."
        total = sum(count for _url, count in hits)
        if code in COUNTED_CODES:
            detail = f"{total} {COUNTED_CODES[code]}. {detail}"
        finding = _finding(code, urls, detail)
        if code in COUNTED_CODES:
            finding["count"] = total
        findings.append(finding)
    for code, details in site.items():
        names = details.get("names", [])
        detail = f"Concerns: {_listing(names)}." if names else ""
        finding = _finding(code, details["urls"], detail)
        if names:
            finding["names"] = names[:MAX_LISTED_URLS]
        findings.append(finding)
    findings.sort(key=lambda f: (SEVERITY_ORDER.index(f["severity"]), f["code"]))
    return findings


def _summary(url: str, outcome: CrawlOutcome, scores: dict, findings: list[dict]) -> str:
    parts = [
        f"Audited {len(outcome.pages)} page{'s' if len(outcome.pages) != 1 else ''} of {url}:"
        f" overall score {scores['overall']}/100, {len(findings)} finding"
        f"{'s' if len(findings) != 1 else ''}."
    ]
    if outcome.budget_exhausted:
        parts.append("The crawl stopped at the audit's time budget.")
    return " ".join(parts)


def site_audit(*, url: str, options: AuditOptions, on_progress: Callable[[int], bool]) -> dict:
    """Crawl and check the site of `url`; `on_progress(pages)` returning False stops it."""
    crawl_options = CrawlOptions(
        max_pages=options.max_pages,
        time_budget_seconds=options.time_budget_seconds,
        concurrency=options.concurrency,
        clock=options.clock,
    )
    with SafeFetcher(policy=options.policy, max_connections=options.concurrency) as fetcher:
        outcome = site_crawl(
            start_url=url, fetcher=fetcher, options=crawl_options, on_page=on_progress
        )
    site = site_findings(outcome=outcome)
    pages, audited_scores = [], []
    for page in outcome.pages:
        entry = {"url": page.url, "status": page.status, "title": None, "scores": None}
        if page.analysis is not None:
            codes = sorted(page.analysis.findings)
            scores = page_scores(codes=codes)
            audited_scores.append(scores)
            title = page.analysis.title
            entry.update(
                title=title[:TITLE_MAX_CHARS] if title else None, scores=scores, findings=codes
            )
        else:
            entry["error"] = page.error[:TITLE_MAX_CHARS]
        pages.append(entry)
    scores = site_scores(pages=audited_scores, site_codes=list(site))
    findings = _findings(outcome, site)
    return {
        "summary": _summary(url, outcome, scores, findings),
        "scores": scores,
        "pages": pages,
        "findings": findings,
        "crawl": {
            "pages_crawled": len(outcome.pages),
            "budget_exhausted": outcome.budget_exhausted,
            "stopped": outcome.stopped,
        },
    }
