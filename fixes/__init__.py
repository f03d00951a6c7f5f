"""Plain Python: from an audit's findings, the site's files and the user's inputs to changes.

No Django here: the apps feed it data (the audit results, the files of a repository or the
pages of a CMS, the fix inputs) and store what it returns; it is tested without a database.

The three page builders the CMS recommendations use:

- `page_title(html) -> str | None`: the text of the page's first `<h1>`, the `<title>` a page
  without one should get (None when the page has no H1 text).
- `page_description(html) -> str | None`: the first non-empty paragraph, at most 160
  characters, cut after a whole word (None when the page has no paragraph text).
- `page_jsonld(url=..., html_content=..., organization=None, author=None,
  date_published=None, language=None) -> str`: the complete
  `<script type="application/ld+json">…</script>` element for the page: `WebPage` (name,
  description, url), `Organization` when given, `Article` with its author on article-like
  pages when the author is known. The audit engine's `SCHEMA_*` checks accept it.

For files: `site_changes_build(...) -> ChangeSet` (files created or edited, fixes applied,
findings left to a person); `page_fix(...)` for one page; `fix_list_build(...)` and
`input_groups(...)` for the fix list and the fix inputs, from the results alone.
"""

from fixes.changes import (
    AppliedFix,
    ChangeSet,
    ManualFix,
    site_changes_build,
    site_files_read_by_changes,
    site_root_url,
)
from fixes.codes import AUTOMATIC_CODES
from fixes.fix_list import FixItem, fix_list_build
from fixes.inputs import FixInputs, InputGroup, input_groups, inputs_missing, page_path
from fixes.jsonld import Organization
from fixes.page_fixes import PageFix, PageInputs, page_fix, page_jsonld
from fixes.page_text import page_description, page_title
from fixes.site_layout import SITE_TYPES, SiteLayout, site_layout_detect, site_type_detect

__all__ = [
    "AUTOMATIC_CODES",
    "SITE_TYPES",
    "AppliedFix",
    "ChangeSet",
    "FixInputs",
    "FixItem",
    "InputGroup",
    "ManualFix",
    "Organization",
    "PageFix",
    "PageInputs",
    "SiteLayout",
    "fix_list_build",
    "input_groups",
    "inputs_missing",
    "page_description",
    "page_fix",
    "page_jsonld",
    "page_path",
    "page_title",
    "site_changes_build",
    "site_files_read_by_changes",
    "site_layout_detect",
    "site_root_url",
    "site_type_detect",
]
