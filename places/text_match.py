"""Typo-tolerant name matching: rapidfuzz's WRatio over accent- and case-folded names."""

import re
import unicodedata
from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process

# WRatio (0..100) at or above which a name matches a query. 80 keeps one or two typos in
# a word ("pars", "londn") and a query that is a whole word of a longer name ("york" in
# "New York City"), and rejects unrelated names.
MATCH_THRESHOLD = 80

_SEPARATORS = re.compile(r"[\W_]+")


def text_normalize(text: str) -> str:
    """Lowercase, without accents, words separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SEPARATORS.sub(" ", bare.casefold()).strip()


def text_scores(*, query: str, search_names: Sequence[str]) -> np.ndarray:
    """Relevance of each normalized name to the query in 0..1; 0 below the match threshold."""
    # Places share names (chains, "Main Street"): each distinct name is scored once.
    distinct: dict[str, int] = {}
    positions = np.fromiter(
        (distinct.setdefault(name, len(distinct)) for name in search_names),
        dtype=np.int64,
        count=len(search_names),
    )
    if not distinct:
        return np.zeros(0)
    scores = process.cdist(
        [text_normalize(query)],
        list(distinct),
        scorer=fuzz.WRatio,
        score_cutoff=MATCH_THRESHOLD,
        dtype=np.float64,
        workers=1,
    )[0]
    return scores[positions] / 100.0
