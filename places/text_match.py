"""Typo-tolerant name matching with rapidfuzz over accent- and case-folded names.

A name's score is the better of its similarity to the query as a whole and, scaled by
`PART_FACTOR`, the similarity of its best run of as many words as the query has ("lovre" in
"Musée du Louvre"). Similarity is rapidfuzz's normalized Indel ratio (0..100).
"""

import re
import unicodedata
from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process

# The hybrid score is text·w_text + geo·w_geo; these are the weights a search names none of.
DEFAULT_TEXT_WEIGHT = 0.6
DEFAULT_GEO_WEIGHT = 0.4

# Score (0..100) at or above which a name matches a query. 80 keeps a typo or two per word
# ("lovre", "londn", "berln") and rejects names that only share letters with the query.
MATCH_THRESHOLD = 80
# A query matching part of a longer name ranks below one matching the whole name.
PART_FACTOR = 0.9

_SEPARATORS = re.compile(r"[\W_]+")


def text_normalize(text: str) -> str:
    """Lowercase, without accents, words separated by single spaces."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SEPARATORS.sub(" ", text.casefold()).strip()


def text_scores(*, query: str, search_names: Sequence[str]) -> np.ndarray:
    """Relevance of each normalized name to the query in 0..1; 0 below the match threshold."""
    # Places share names (chains, "Main Street"): each distinct name is scored once.
    names = NameRuns(list(dict.fromkeys(search_names)))
    if not names.names:
        return np.zeros(0)
    position_of = {name: position for position, name in enumerate(names.names)}
    positions = np.fromiter(
        map(position_of.__getitem__, search_names), dtype=np.int64, count=len(search_names)
    )
    return names.scores(query)[positions]


class NameRuns:
    """Distinct names with their runs of words, built once per number of words and kept:
    what scoring a query against the same names again and again needs."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self._runs: dict[int, tuple[list[str], np.ndarray, np.ndarray]] = {}

    def scores(self, query: str) -> np.ndarray:
        """Relevance of each name to the query in 0..1, as `text_scores` gives it."""
        query = text_normalize(query)
        if not self.names:
            return np.zeros(0)
        best = _similarities(query, self.names)
        runs, run_of, owner = self._runs_of(len(query.split()))
        if runs:
            part = _similarities(query, runs) * PART_FACTOR
            np.maximum.at(best, owner, part[run_of])
        best[best < MATCH_THRESHOLD] = 0.0
        return best / 100.0

    def _runs_of(self, query_words: int) -> tuple[list[str], np.ndarray, np.ndarray]:
        if query_words not in self._runs:
            runs: dict[str, int] = {}
            run_of: list[int] = []
            owner: list[int] = []
            for index, name in enumerate(self.names):
                words = name.split()
                for start in range(len(words) - query_words + 1 if len(words) > query_words else 0):
                    run = " ".join(words[start : start + query_words])
                    run_of.append(runs.setdefault(run, len(runs)))
                    owner.append(index)
            self._runs[query_words] = (
                list(runs),
                np.array(run_of, dtype=np.int64),
                np.array(owner, dtype=np.int64),
            )
        return self._runs[query_words]


def _similarities(query: str, choices: list[str]) -> np.ndarray:
    return process.cdist([query], choices, scorer=fuzz.ratio, dtype=np.float64, workers=1)[0]
