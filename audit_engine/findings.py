"""The finding codes the engine reports: severity, score category and the words shown."""

from dataclasses import dataclass


@dataclass(frozen=True)
class FindingSpec:
    code: str
    severity: str
    category: str
    title: str
    description: str
    recommendation: str


_SPECS = (
    FindingSpec(
        "H1_MISSING",
        "critical",
        "structure",
        "Page has no H1 heading",
        "The page has no <h1>, so readers and answer engines cannot tell its main topic.",
        "Give every page exactly one <h1> that states its topic.",
    ),
    FindingSpec(
        "H1_MULTIPLE",
        "high",
        "structure",
        "Page has more than one H1 heading",
        "Several <h1> headings compete to name the page's topic.",
        "Keep one <h1> and turn the others into <h2> subheadings.",
    ),
    FindingSpec(
        "H1_HIERARCHY_SKIP",
        "high",
        "structure",
        "Heading levels are skipped",
        "A heading is more than one level deeper than the heading before it (h2 then h4).",
        "Nest headings one level at a time so the outline reads as a tree.",
    ),
    FindingSpec(
        "TITLE_MISSING",
        "high",
        "structure",
        "Page has no title",
        "The page has no non-empty <title>.",
        "Write a unique, descriptive <title> for every page.",
    ),
    FindingSpec(
        "META_DESCRIPTION_MISSING",
        "medium",
        "structure",
        "Page has no meta description",
        'The page has no <meta name="description"> with content.',
        "Add a one or two sentence meta description summarising the page.",
    ),
    FindingSpec(
        "SCHEMA_MISSING",
        "critical",
        "schema",
        "Page has no structured data",
        "The page carries no JSON-LD structured data.",
        "Describe the page with schema.org JSON-LD (Organization, Article, Product, FAQPage...).",
    ),
    FindingSpec(
        "SCHEMA_INVALID",
        "high",
        "schema",
        "Structured data is invalid",
        "A JSON-LD block does not parse as JSON or an item in it has no @type.",
        "Fix the JSON syntax and give every item a schema.org @type.",
    ),
    FindingSpec(
        "AUTHOR_MISSING",
        "high",
        "eeat",
        "Article names no author",
        "An article-like page (an <article>, og:type article or an Article schema) names no "
        "author.",
        'Name the author in the Article schema (author) and on the page (rel="author").',
    ),
    FindingSpec(
        "CONTENT_FRESHNESS_MISSING",
        "medium",
        "eeat",
        "Page has no publication date",
        "The page states neither a published nor a modified date.",
        "Add datePublished / dateModified to the schema and a <time datetime> on the page.",
    ),
    FindingSpec(
        "AUTHORITATIVE_CITATIONS_MISSING",
        "medium",
        "eeat",
        "Page cites no other site",
        "The page has no outbound link to another site.",
        "Cite authoritative sources with links to them.",
    ),
    FindingSpec(
        "FAQ_MISSING",
        "medium",
        "content",
        "Site has no FAQ content",
        "No crawled page has a question-style heading or FAQPage structured data.",
        "Answer your customers' common questions in question-style headings with FAQPage schema.",
    ),
    FindingSpec(
        "LONG_PARAGRAPH",
        "medium",
        "content",
        "Paragraphs are too long",
        "Paragraphs over 400 characters are hard to read and to quote.",
        "Split long paragraphs into short ones of one idea each.",
    ),
    FindingSpec(
        "THIN_CONTENT",
        "medium",
        "content",
        "Page has thin content",
        "The page's main text has under 300 words.",
        "Expand the page with substantive content or merge it into a fuller page.",
    ),
    FindingSpec(
        "IMAGE_ALT_MISSING",
        "low",
        "structure",
        "Images have no alt text",
        "Images without an alt attribute are invisible to screen readers and crawlers.",
        'Describe every meaningful image in its alt attribute (alt="" for decoration).',
    ),
    FindingSpec(
        "CANONICAL_MISSING",
        "low",
        "structure",
        "Page has no canonical link",
        'The page has no <link rel="canonical">.',
        "Declare the preferred URL of each page with a canonical link.",
    ),
    FindingSpec(
        "META_ROBOTS_NOINDEX",
        "high",
        "structure",
        "Page asks not to be indexed",
        "A robots meta tag or X-Robots-Tag header says noindex.",
        "Remove noindex from pages that should be found.",
    ),
    FindingSpec(
        "LLMS_TXT_MISSING",
        "medium",
        "ai_access",
        "Site has no llms.txt",
        "The site serves no /llms.txt guide for language models.",
        "Publish /llms.txt listing your key pages with a short description of each.",
    ),
    FindingSpec(
        "AI_CRAWLER_BLOCKED",
        "critical",
        "ai_access",
        "robots.txt blocks AI crawlers",
        "robots.txt disallows the site root to AI crawlers.",
        "Allow the AI crawlers you want your content to be cited by.",
    ),
    FindingSpec(
        "SITEMAP_MISSING",
        "medium",
        "ai_access",
        "Site has no sitemap",
        "Neither robots.txt nor /sitemap.xml leads to a sitemap.",
        "Publish /sitemap.xml and name it in robots.txt.",
    ),
    FindingSpec(
        "FETCH_BLOCKED",
        "low",
        "ai_access",
        "Links point at refused addresses",
        "A link or redirect pointed at an address the audit refuses to reach (private, "
        "loopback, non-web port or credentials in the URL); it was not followed.",
        "Link only to public web addresses.",
    ),
)

FINDINGS: dict[str, FindingSpec] = {spec.code: spec for spec in _SPECS}
SEVERITY_ORDER = ("critical", "high", "medium", "low")
