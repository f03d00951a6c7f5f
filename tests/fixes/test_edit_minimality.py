"""Property: a page fix inserts or changes only the elements it fixes; every other byte stays.

Pages are generated with hypothesis from pieces real pages have (doctypes, optional and
upper-case tags, comments and scripts holding tag-like text, attributes in every quoting,
indentation, non-ASCII text, empty titles, several H1s). For each, the fix must equal the
original with its reported edits applied; each edit must be an inserted element, the text
of an empty `<title>`, or the digit of a renamed `<h1>`; the tags outside the inserted
elements must be the original tags in order; and the engine must see exactly the fixed
codes gone.
"""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit_engine.page_checks import page_analyse
from fixes import PageInputs, page_fix
from fixes.html_edits import edits_apply, html_decode, tags_locate

URL = "http://127.0.0.1:8000/page"
CODES = [
    "TITLE_MISSING",
    "META_DESCRIPTION_MISSING",
    "CANONICAL_MISSING",
    "SCHEMA_MISSING",
    "H1_MULTIPLE",
    "AUTHOR_MISSING",
]
INSERTED_ELEMENT = re.compile(
    r"\s*(?:<title>[^<]*</title>"
    r'|<meta name="(?:description|author)" content="[^"<]*">'
    r'|<link rel="canonical" href="[^"<]*">'
    r'|<script type="application/ld\+json">[^<]*</script>)'
)

words = st.lists(
    st.sampled_from([*"abcdefgh XYZ,.", "&amp;", "é", "中", "&lt;", " word"]),
    max_size=40,
).map("".join)
separators = st.sampled_from(["", "\n", "\n  ", "\n    ", "\t", " "])


@st.composite
def head_parts(draw):
    parts = draw(
        st.lists(
            st.sampled_from(
                [
                    '<meta charset="utf-8">',
                    "<META NAME=viewport CONTENT='width=device-width'>",
                    "<!-- a comment with </head> and <h1> inside -->",
                    "<style>h1 { color: red }</style>",
                    '<script>var s = "<h1>not a heading</h1>";</script>',
                    "<link rel=stylesheet href=a.css>",
                    '<link rel="icon" href="/favicon.ico" />',
                ]
            ),
            max_size=4,
        )
    )
    title = draw(st.sampled_from([None, "<title></title>", "<title>  </title>", "<TITLE>"]))
    if title == "<TITLE>":
        title = f"<TITLE>{draw(words)}</TITLE>"
    if title is not None:
        parts.insert(draw(st.integers(0, len(parts))), title)
    return parts


@st.composite
def body_parts(draw):
    items = []
    for _ in range(draw(st.integers(0, 7))):
        kind = draw(st.sampled_from(["h1", "H1", "p", "div", "comment", "img", "article", "text"]))
        text = draw(words)
        if kind == "h1":
            items.append(f"<h1>{text}</h1>")
        elif kind == "H1":
            items.append(f"<H1 class='x' id=\"{len(text)}\">{text}</H1 >")
        elif kind == "p":
            items.append(f"<p>{text}</p>")
        elif kind == "div":
            items.append(f'<div data-x="{len(text)}">{text}</div>')
        elif kind == "comment":
            items.append(f"<!-- {text} -->")
        elif kind == "img":
            items.append("<img src=a.png alt=''><br/>")
        elif kind == "article":
            items.append(f"<article><p>{text}</p></article>")
        else:
            items.append(text)
    return items


@st.composite
def documents(draw):
    sep = draw(separators)
    out = []
    if draw(st.booleans()):
        out.append(draw(st.sampled_from(["<!DOCTYPE html>", "<!doctype html>"])) + sep)
    with_html = draw(st.booleans())
    if with_html:
        out.append(draw(st.sampled_from(["<html>", '<HTML lang="en">', "<html lang='es' x=1>"])))
    head = draw(head_parts())
    head_tags = draw(st.sampled_from(["both", "open", "none"]))
    if head_tags != "none":
        out.append(sep + draw(st.sampled_from(["<head>", "<HEAD>"])))
    out.extend(sep + "  " + part for part in head)
    if head_tags == "both":
        out.append(sep + "</head>")
    if draw(st.booleans()):
        out.append(sep + "<body class=main>")
    out.extend(sep + part for part in draw(body_parts()))
    if draw(st.booleans()):
        out.append(sep + "</body>" + (sep + "</html>" if with_html else ""))
    return "".join(out) + draw(st.sampled_from(["", "\n"]))


def _allowed(original: str, edit) -> bool:
    replaced = original[edit.start : edit.end]
    if original[: edit.start].lower().endswith("<title>") and replaced.strip() == "":
        # The blanks of an empty <title> replaced by its text (no markup).
        return "<" not in edit.insert and original[edit.end :].lower().startswith("</title>")
    if edit.start == edit.end:
        # Pure insertion: whole elements (possibly inside a new head) and line breaks only.
        body = edit.insert
        if body.startswith("<head>") and body.endswith("</head>"):
            body = body[len("<head>") : -len("</head>")]
        return INSERTED_ELEMENT.sub("", body).strip() == ""
    if replaced == "1" and edit.insert == "2":
        return re.search(r"</?h$", original[max(0, edit.start - 3) : edit.start], re.I) is not None
    return False


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=documents(), author=st.sampled_from([None, "Ana Ruiz"]))
def test_a_fix_touches_only_the_elements_it_inserts_or_changes(document, author):
    content = document.encode("utf-8")
    before = set(page_analyse(url=URL, html=content, charset=None, robots_header="").findings)
    fix = page_fix(content=content, url=URL, codes=CODES, inputs=PageInputs(author=author))
    original = html_decode(content)

    # The fix is the original with the reported edits applied, and nothing else.
    assert fix.content == edits_apply(original, fix.edits).encode("utf-8")
    assert bool(fix.edits) == (fix.content != content)
    for edit in fix.edits:
        assert _allowed(original, edit), (edit, original)

    # Outside the inserted spans, the fixed page has the original tags, in order.
    fixed = html_decode(fix.content)
    inserted, shift = [], 0
    for edit in fix.edits:
        if edit.start == edit.end:
            inserted.append((edit.start + shift, edit.start + shift + len(edit.insert)))
        shift += len(edit.insert) - (edit.end - edit.start)
    kept = [
        (tag.name.replace("h2", "h1"), tag.is_end)
        for tag in tags_locate(fixed)
        if not any(start <= tag.start < end for start, end in inserted)
    ]
    assert kept == [(tag.name, tag.is_end) for tag in tags_locate(original)]

    # The engine no longer finds what was fixed, and still finds everything else.
    after = set(page_analyse(url=URL, html=fix.content, charset=None, robots_header="").findings)
    applied = set(fix.applied) & before
    assert not applied & after
    assert after == before - set(fix.applied)
