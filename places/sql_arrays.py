"""PostgreSQL array literals: how a list of strings or integers goes to PostgreSQL as one
parameter.

psycopg would adapt a list parameter element by element (quoting each string, checking each
against a pattern); reads that send hundreds of names or typo variants, or thousands of
cells, send one literal instead, cast in the SQL (`%s::text[]`, `%s::int8[]`).
"""

from collections.abc import Iterable


def text_array(values: list[str]) -> str:
    """A PostgreSQL array literal of these strings, each quoted (backslash escapes)."""
    quoted = (value.replace("\\", "\\\\").replace('"', '\\"') for value in values)
    return "{" + ",".join(f'"{value}"' for value in quoted) + "}"


def integer_array(values: Iterable[int]) -> str:
    """A PostgreSQL array literal of these integers."""
    return "{" + ",".join(map(str, values)) + "}"
