"""Category and overall scores from findings: 100 minus a penalty per finding severity."""

from statistics import mean

from audit_engine.findings import FINDINGS

SEVERITY_PENALTIES = {"critical": 30, "high": 20, "medium": 10, "low": 5}
PAGE_CATEGORIES = ("structure", "schema", "eeat", "content")
CATEGORY_WEIGHTS = {
    "structure": 0.20,
    "schema": 0.20,
    "eeat": 0.25,
    "content": 0.15,
    "ai_access": 0.20,
}


def _penalty(codes, category: str) -> int:
    return sum(
        SEVERITY_PENALTIES[FINDINGS[code].severity]
        for code in codes
        if FINDINGS[code].category == category
    )


def page_scores(*, codes) -> dict[str, int]:
    """Scores of one page in each page category (a code counts once, however often it occurs)."""
    return {category: max(0, 100 - _penalty(codes, category)) for category in PAGE_CATEGORIES}


def site_scores(*, pages: list[dict[str, int]], site_codes) -> dict[str, int]:
    """Site category scores (mean of the pages, less site findings) and the weighted overall."""
    scores = {}
    for category in PAGE_CATEGORIES:
        base = mean(page[category] for page in pages) if pages else 0
        scores[category] = max(0, round(base) - _penalty(site_codes, category))
    scores["ai_access"] = max(0, 100 - _penalty(site_codes, "ai_access"))
    scores["overall"] = round(sum(scores[c] * w for c, w in CATEGORY_WEIGHTS.items()))
    return scores
