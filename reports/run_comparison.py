"""Comparing two runs of an audit: scores with deltas, and findings fixed, new and unchanged.

A finding is the pair (code, page URL): an engine finding that lists several pages counts
once per page, so fixing one page of many shows as fixed. Findings sent without a code (an
outside pipeline's) are matched by their title instead.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class FindingKey:
    code: str
    url: str | None


def _finding_items(results: dict) -> dict[FindingKey, dict]:
    items: dict[FindingKey, dict] = {}
    for finding in results.get("findings") or []:
        code = finding.get("code") or finding.get("title") or ""
        urls = finding.get("pages") or [finding.get("url")]
        for url in urls:
            items.setdefault(
                FindingKey(code=code, url=url),
                {
                    "code": code,
                    "url": url,
                    "severity": finding.get("severity"),
                    "title": finding.get("title"),
                },
            )
    return items


def score_deltas(*, before: dict, after: dict) -> dict[str, dict]:
    """Each category of either run: its score in both (None when absent) and the change."""
    categories = list(dict.fromkeys([*before, *after]))
    deltas = {}
    for category in categories:
        old, new = before.get(category), after.get(category)
        delta = new - old if old is not None and new is not None else None
        deltas[category] = {"from": old, "to": new, "delta": delta}
    return deltas


def runs_compare(*, before: dict, after: dict) -> dict:
    """`scores`, `fixed`, `new` and `unchanged` from the results of two runs."""
    old, new = _finding_items(before), _finding_items(after)
    return {
        "scores": score_deltas(before=before.get("scores") or {}, after=after.get("scores") or {}),
        "fixed": [item for key, item in old.items() if key not in new],
        "new": [item for key, item in new.items() if key not in old],
        "unchanged": sum(1 for key in new if key in old),
    }
