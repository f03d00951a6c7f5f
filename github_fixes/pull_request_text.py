"""The title and body of a fix pull request: each fix per file, manual findings as a checklist."""

from collections import defaultdict

from fixes import ChangeSet

CODE_WORDS = {
    "LLMS_TXT_MISSING": "llms.txt created",
    "AI_CRAWLER_BLOCKED": "AI crawlers allowed in robots.txt",
    "SITEMAP_MISSING": "sitemap.xml created and named in robots.txt",
    "SCHEMA_MISSING": "JSON-LD structured data added",
    "TITLE_MISSING": "<title> added from the H1",
    "META_DESCRIPTION_MISSING": "meta description added from the first paragraph",
    "CANONICAL_MISSING": "canonical link added",
    "H1_MULTIPLE": "extra H1 headings turned into H2",
    "AUTHOR_MISSING": "author named",
}


def pull_request_title(*, audit_id: int, host: str) -> str:
    """The pull request's title."""
    return f"LatentGEO: fixes from audit {audit_id} of {host}"


def pull_request_body(*, audit_id: int, audit_url: str, changes: ChangeSet) -> str:
    """Markdown: what changed in each file, then the findings a person has to fix."""
    by_file: dict[str, list[str]] = defaultdict(list)
    for fix in changes.applied:
        by_file[fix.path].append(f"{fix.code}: {CODE_WORDS.get(fix.code, fix.code)}")
    lines = [
        f"Fixes from the LatentGEO audit {audit_id} of {audit_url}.",
        "",
        "Each file is changed only where a finding is fixed; every other byte is unchanged.",
        "",
        "## Fixes per file",
        "",
    ]
    for path in sorted(changes.files):
        lines.append(f"- `{path}`")
        lines.extend(f"  - {entry}" for entry in dict.fromkeys(by_file.get(path, ["updated"])))
    if changes.manual:
        lines += ["", "## For a person to fix", ""]
        for manual in changes.manual:
            lines.append(f"- [ ] {manual.code}: {manual.title} ({manual.page_url})")
    return "\n".join(lines) + "\n"
