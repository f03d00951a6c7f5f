"""Proposed HubSpot page changes from an audit's latest results.

An audited page with `TITLE_MISSING`, `META_DESCRIPTION_MISSING` or `SCHEMA_MISSING` whose
normalised URL is one of the caller's synced HubSpot pages gets one proposal per code, for
the HubSpot field that holds it: `html_title` (the page's H1), `meta_description` (its first
paragraph, at most 160 characters cut at a word) and `head_html` (the page's head HTML with a
JSON-LD block added). The values are built by the `fixes` package, the same code the GitHub
pull requests use, from the page as it is served now: the live page is read through the audit
engine's safe fetcher (the address rules of any audit), since HubSpot's API holds the page's
modules, not its rendered HTML.

A proposal's `id` is a digest of the page, the field and the value: the same proposal keeps
its id from one listing to the next, and a different value gets another.
"""

import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass

from audit_engine.fetcher import FetchFailedError, FetchRefusedError, SafeFetcher
from authn.auth0_user import Auth0User
from fixes.page_fixes import page_jsonld
from fixes.page_text import page_description, page_title
from hubspot_cms.models import ChangeField, HubSpotPage
from hubspot_cms.page_urls import url_normalize
from hubspot_cms.selectors import hubspot_page_list_for_owner
from reports.audit_run_steps import audit_fetch_policy
from reports.models import Audit


@dataclass(frozen=True)
class FixableCode:
    field: str
    priority: str
    issue_type: str


FIXABLE_CODES = {
    "TITLE_MISSING": FixableCode(ChangeField.HTML_TITLE, "high", "missing_title"),
    "META_DESCRIPTION_MISSING": FixableCode(
        ChangeField.META_DESCRIPTION, "medium", "missing_meta_description"
    ),
    "SCHEMA_MISSING": FixableCode(ChangeField.HEAD_HTML, "high", "missing_schema"),
}
# Reading the live pages stops after this long; pages not read by then get no proposal.
PAGE_READ_BUDGET_SECONDS = 60
PAGE_READ_TIMEOUT_SECONDS = 10


def _audited_codes(results: dict) -> dict[str, set[str]]:
    """Fixable codes per audited page URL, from the page entries and the findings' page lists."""
    by_url: dict[str, set[str]] = {}

    def add(url, codes: Iterable) -> None:
        if isinstance(url, str) and url:
            wanted = {code for code in codes if code in FIXABLE_CODES}
            if wanted:
                by_url.setdefault(url, set()).update(wanted)

    for page in results.get("pages") or []:
        if isinstance(page, dict) and isinstance(page.get("findings"), list):
            add(page.get("url"), [c for c in page["findings"] if isinstance(c, str)])
    for finding in results.get("findings") or []:
        if not isinstance(finding, dict) or finding.get("code") not in FIXABLE_CODES:
            continue
        urls = finding.get("pages") if isinstance(finding.get("pages"), list) else []
        for url in [finding.get("url"), *urls]:
            add(url, [finding["code"]])
    return by_url


def recommendation_id(*, page: HubSpotPage, field: str, value: str) -> str:
    """The stable id of a proposal: the same for the same page, field and value."""
    key = f"{page.connection_id}\n{page.page_type}\n{page.hubspot_id}\n{field}\n{value}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _proposed_value(field: str, *, page: HubSpotPage, url: str, html: str) -> str | None:
    if field == ChangeField.HTML_TITLE:
        return page_title(html)
    if field == ChangeField.META_DESCRIPTION:
        return page_description(html)
    if "application/ld+json" in page.head_html.lower():
        # The head already carries structured data (added since the audit, or by us).
        return None
    block = page_jsonld(url=page.url or url, html_content=html)
    return f"{page.head_html.rstrip()}\n{block}" if page.head_html.strip() else block


def hubspot_recommendation_list(*, audit: Audit, user: Auth0User) -> list[dict]:
    """The proposed changes for an audit the caller owns, on the caller's synced pages."""
    by_url = _audited_codes(audit.results if isinstance(audit.results, dict) else {})
    if not by_url:
        return []
    pages_by_key: dict[str, list[HubSpotPage]] = {}
    for page in hubspot_page_list_for_owner(user=user).exclude(normalized_url=""):
        pages_by_key.setdefault(page.normalized_url, []).append(page)
    matched = [
        (url, sorted(codes), pages_by_key[url_normalize(url)])
        for url, codes in sorted(by_url.items())
        if url_normalize(url) in pages_by_key
    ]
    recommendations = []
    deadline = time.monotonic() + PAGE_READ_BUDGET_SECONDS
    with SafeFetcher(policy=audit_fetch_policy(), timeout=PAGE_READ_TIMEOUT_SECONDS) as fetcher:
        for url, codes, pages in matched:
            for page in pages:
                if time.monotonic() >= deadline:
                    return recommendations
                # The page as HubSpot publishes it, at the address HubSpot gives for it.
                html = _live_html(fetcher, page.url)
                if html is not None:
                    recommendations.extend(
                        _page_recommendations(page=page, url=url, codes=codes, html=html)
                    )
    return recommendations


def _live_html(fetcher: SafeFetcher, url: str) -> str | None:
    try:
        result = fetcher.fetch(url=url, html_only=True)
    except (FetchRefusedError, FetchFailedError):
        return None
    if result.status != 200 or not result.is_html:
        return None
    return result.text()


def _page_recommendations(
    *, page: HubSpotPage, url: str, codes: list[str], html: str
) -> list[dict]:
    items = []
    for code in codes:
        fixable = FIXABLE_CODES[code]
        value = _proposed_value(fixable.field, page=page, url=url, html=html)
        current = getattr(page, fixable.field)
        if not value or value == current:
            continue
        items.append(
            {
                "id": recommendation_id(page=page, field=fixable.field, value=value),
                "hubspot_page_id": page.hubspot_id,
                "page_url": page.url,
                "page_title": page.html_title or page.name,
                "field": str(fixable.field),
                "current_value": current,
                "recommended_value": value,
                "priority": fixable.priority,
                "auto_fixable": True,
                "issue_type": fixable.issue_type,
                "code": code,
            }
        )
    return items
