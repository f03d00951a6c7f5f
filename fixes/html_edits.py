"""Minimal edits of an HTML file: text inserted at exact offsets, nothing re-serialised.

A page edit must leave every byte it does not fix as the author wrote it (indentation,
attribute quoting, comments, odd markup), so the document is never parsed into a tree and
written back. `html.parser` only locates tags: it reports where each start and end tag sits,
and the edits are offsets into the original text. Bytes that are not valid UTF-8 survive
through `surrogateescape`, and inserted text is encoded so that it is plain ASCII where the
file's own encoding might not hold it.
"""

from dataclasses import dataclass
from html.parser import HTMLParser


@dataclass(frozen=True)
class Tag:
    name: str
    start: int
    end: int
    is_end: bool


@dataclass(frozen=True)
class TextEdit:
    """Replace `text[start:end]` with `insert` (`start == end` for a pure insertion)."""

    start: int
    end: int
    insert: str


class _TagLocator(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self._line_starts = [0]
        for index, char in enumerate(text):
            if char == "\n":
                self._line_starts.append(index + 1)
        self._text = text
        self.tags: list[Tag] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        start = self._offset()
        raw = self.get_starttag_text() or ""
        self.tags.append(Tag(tag, start, start + len(raw), is_end=False))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        start = self._offset()
        close = self._text.find(">", start)
        self.tags.append(Tag(tag, start, len(self._text) if close < 0 else close + 1, True))


def tags_locate(text: str) -> list[Tag]:
    """Every start and end tag of `text` with its offsets, in document order."""
    locator = _TagLocator(text)
    locator.feed(text)
    locator.close()
    return locator.tags


def html_decode(data: bytes) -> str:
    """The file's text; undecodable bytes are kept as surrogates so encoding gives them back."""
    return data.decode("utf-8", errors="surrogateescape")


def html_encode(text: str) -> bytes:
    """The file's bytes for `text` from `html_decode`, inserted text included."""
    return text.encode("utf-8", errors="surrogateescape")


def edits_apply(text: str, edits: list[TextEdit]) -> str:
    """`text` with every edit applied; edits must not overlap."""
    ordered = sorted(edits, key=lambda edit: (edit.start, edit.end))
    parts, cursor = [], 0
    for edit in ordered:
        if edit.start < cursor:
            raise ValueError("overlapping edits")
        parts.append(text[cursor : edit.start])
        parts.append(edit.insert)
        cursor = edit.end
    parts.append(text[cursor:])
    return "".join(parts)


def head_insertion(text: str, tags: list[Tag], markups: list[str]) -> TextEdit:
    """An edit that adds `markups` as the last children of `<head>` (creating one if absent)."""
    head_end = next((t for t in tags if t.name == "head" and t.is_end), None)
    if head_end is not None:
        line_start = text.rfind("\n", 0, head_end.start) + 1
        indent = text[line_start : head_end.start]
        if line_start > 0 and indent.strip() == "":
            # `</head>` begins its own line: each new element gets a line, indented one step
            # deeper than `</head>`, just above it.
            child = indent + "  " if indent else ""
            lines = "".join(f"{child}{markup}\n" for markup in markups)
            return TextEdit(line_start, line_start, lines)
        return TextEdit(head_end.start, head_end.start, "".join(markups))
    markup = "".join(markups)
    head_start = next((t for t in tags if t.name == "head" and not t.is_end), None)
    if head_start is not None:
        return TextEdit(head_start.end, head_start.end, markup)
    html_start = next((t for t in tags if t.name == "html" and not t.is_end), None)
    if html_start is not None:
        return TextEdit(html_start.end, html_start.end, f"<head>{markup}</head>")
    # No html or head tag: a head of its own right after the doctype, if there is one.
    doctype_end = 0
    stripped = text.lstrip()
    if stripped[:9].lower() == "<!doctype":
        doctype_end = text.find(">", len(text) - len(stripped)) + 1
    return TextEdit(doctype_end, doctype_end, f"<head>{markup}</head>")
