"""The site-wide files: `llms.txt`, `sitemap.xml` and the edits of `robots.txt`.

A `robots.txt` edit only appends: crawlers combine every group naming them (RFC 9309), and
an `Allow: /` of the same length as a `Disallow: /` wins, so the appended group lets the
named crawlers in while every other group, rule and comment stays as it was written (their
longer `Disallow` rules still hold).
"""

from dataclasses import dataclass
from xml.sax.saxutils import escape

ROBOTS_ALLOW_COMMENT = "# AI crawlers may read the site, so answers can cite it."


@dataclass(frozen=True)
class LlmsPage:
    title: str
    url: str
    description: str | None = None


def _markdown_text(text: str) -> str:
    # One line; brackets would end a link's text early.
    return " ".join(text.split()).replace("[", "(").replace("]", ")")


def llms_txt_build(*, site_name: str, description: str | None, pages: list[LlmsPage]) -> str:
    """An llms.txt (llmstxt.org): `# name`, `> description`, `## Pages` with a link a page."""
    lines = [f"# {_markdown_text(site_name)}", ""]
    if description:
        lines += [f"> {_markdown_text(description)}", ""]
    lines += ["## Pages", ""]
    for page in pages:
        entry = f"- [{_markdown_text(page.title)}]({page.url.replace(' ', '%20')})"
        if page.description:
            entry += f": {_markdown_text(page.description)}"
        lines.append(entry)
    return "\n".join(lines) + "\n"


def sitemap_xml_build(*, urls: list[str]) -> str:
    """A sitemaps.org `urlset` listing `urls` once each, in order."""
    entries = "".join(f"  <url><loc>{escape(url)}</loc></url>\n" for url in dict.fromkeys(urls))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</urlset>\n"
    )


def _appended(text: str, block: str) -> str:
    if not text:
        return block
    separator = "" if text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
    return text + separator + block


def robots_txt_allow(*, text: str, agents: list[str]) -> str:
    """`text` with an `Allow: /` group for `agents` appended; nothing else changes."""
    if not agents:
        return text
    group = "".join(f"User-agent: {agent}\n" for agent in agents)
    return _appended(text, f"{ROBOTS_ALLOW_COMMENT}\n{group}Allow: /\n")


def robots_txt_sitemap(*, text: str, sitemap_url: str) -> str:
    """`text` naming `sitemap_url` in a `Sitemap:` line (appended); unchanged if named."""
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name.strip().lower() == "sitemap" and value.strip() == sitemap_url:
            return text
    return _appended(text, f"Sitemap: {sitemap_url}\n")
