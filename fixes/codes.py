"""The finding codes this package fixes without a person, and what each one changes."""

# code -> the kind of change (the `type` of a fix in the fix list).
AUTOMATIC_CODES = {
    "LLMS_TXT_MISSING": "llms_txt",
    "AI_CRAWLER_BLOCKED": "robots_txt",
    "SITEMAP_MISSING": "sitemap",
    "SCHEMA_MISSING": "schema",
    "TITLE_MISSING": "title",
    "META_DESCRIPTION_MISSING": "meta_description",
    "CANONICAL_MISSING": "canonical",
    "H1_MULTIPLE": "headings",
    "AUTHOR_MISSING": "author",
}
SITE_CODES = ("AI_CRAWLER_BLOCKED", "SITEMAP_MISSING", "LLMS_TXT_MISSING")
# Automatic only with a fix input; without it the finding is listed for a person.
INPUT_CODES = {"AUTHOR_MISSING": "author"}
