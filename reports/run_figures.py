"""The figures a run keeps from its results: scores, finding counts, the score history's.

Results come from the audit engine (categories `structure`, `schema`, `eeat`, `content`,
`ai_access` and `overall`) or from an outside pipeline (any categories); both are read here
the same way, so a run's figures and its score history point never disagree.
"""

from urllib.parse import urlsplit

SEVERITIES = ("critical", "high", "medium", "low")
OVERALL_KEY = "overall"
# The score history's SEO score: the mean of the engine's page-level categories.
SEO_CATEGORIES = ("structure", "content")


def run_finding_counts(*, results: dict) -> dict[str, int]:
    """Findings per severity (every severity present, zero when none)."""
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in results.get("findings") or []:
        severity = finding.get("severity")
        if severity in counts:
            counts[severity] += 1
    return counts


def run_pages_crawled(*, results: dict) -> int:
    """Pages the run crawled (0 for results without pages)."""
    return len(results.get("pages") or [])


def run_overall_score(*, scores: dict) -> float | None:
    """The overall score: the stated one, else the mean of the categories; None without any."""
    if scores.get(OVERALL_KEY) is not None:
        return float(scores[OVERALL_KEY])
    values = [value for value in scores.values() if isinstance(value, int | float)]
    return round(sum(values) / len(values), 1) if values else None


def run_seo_score(*, scores: dict) -> float | None:
    """The mean of `structure` and `content`; a stated `seo` category when neither is there."""
    values = [scores[key] for key in SEO_CATEGORIES if scores.get(key) is not None]
    if values:
        return round(sum(values) / len(values), 1)
    seo = scores.get("seo")
    return float(seo) if seo is not None else None


def score_history_domain(*, url: str) -> str:
    """The history's domain of a URL: its host, lower-case, without port nor leading `www.`."""
    host = (urlsplit(url).hostname or url).lower().rstrip(".")
    return host.removeprefix("www.")
