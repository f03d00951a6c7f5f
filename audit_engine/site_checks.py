"""The checks of a whole site: AI crawler access, llms.txt, sitemaps, FAQ content, refusals."""

from audit_engine.crawler import CrawlOutcome

AI_CRAWLERS = (
    "GPTBot",
    "OAI-SearchBot",
    "ChatGPT-User",
    "ClaudeBot",
    "Claude-Web",
    "anthropic-ai",
    "PerplexityBot",
    "Google-Extended",
    "Applebot-Extended",
    "CCBot",
    "Bytespider",
    "Amazonbot",
    "meta-externalagent",
)


def ai_crawlers_blocked(*, outcome: CrawlOutcome) -> list[str]:
    """The AI crawlers robots.txt keeps out of the site root."""
    return [agent for agent in AI_CRAWLERS if not outcome.robots.can_fetch(outcome.root, agent)]


def site_findings(*, outcome: CrawlOutcome) -> dict[str, dict]:
    """Site-level finding codes with their details (`names`, `urls`) from one crawl."""
    findings: dict[str, dict] = {}
    blocked_agents = ai_crawlers_blocked(outcome=outcome)
    if blocked_agents:
        findings["AI_CRAWLER_BLOCKED"] = {"names": blocked_agents, "urls": [outcome.root]}
    if not outcome.llms_txt_found:
        findings["LLMS_TXT_MISSING"] = {"urls": [f"{outcome.root}llms.txt"]}
    if not outcome.sitemap_found:
        findings["SITEMAP_MISSING"] = {"urls": [f"{outcome.root}sitemap.xml"]}
    audited = [page.analysis for page in outcome.pages if page.analysis is not None]
    if audited and not any(analysis.has_faq for analysis in audited):
        findings["FAQ_MISSING"] = {"urls": [outcome.root]}
    if outcome.blocked:
        findings["FETCH_BLOCKED"] = {
            "urls": list(dict.fromkeys(block.url for block in outcome.blocked)),
            "names": list(dict.fromkeys(block.refused_url for block in outcome.blocked)),
        }
    return findings
