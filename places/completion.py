"""Autocomplete: the places whose names start with what is being typed, best first.

The ranking, which tests check against brute force:

1. Names that start with the query come first; then, from `TYPO_MIN_LENGTH` characters on,
   names that start with a string one typo away from it (a letter missing, added, replaced,
   or two adjacent letters swapped; added and replacing characters are letters a-z, digits,
   space or the query's own characters).
2. Within each, by score, higher first: importance on a log scale (`importance_scores`) and,
   with a focus point, nearness: `NEAR_RINGS` rings of areas (places.prefix_packs) around the
   focus's area, the focus's own area nearest. A place near the focus outranks a far bigger
   one (Paris, Texas before Paris, France for a focus in Texas).
3. Then by importance, then by internal id.

Nearness counts in whole areas so that, within one area, a more important place always
ranks higher: that is what lets the per-area packs of places.prefix_packs hold every
candidate. Queries longer than the packed prefixes read the places of the matching names.
"""

import string
from dataclasses import dataclass

import numpy as np
from django.db import connection
from h3.api import basic_int as h3_int
from rapidfuzz.distance import OSA

from places.models import PREFIX_MAX, Place
from places.place_rows import places_by_pk
from places.prefix_packs import (
    AREA_RESOLUTION,
    WORLD,
    PrefixPack,
    areas_of,
    prefix_condition,
    prefix_packs,
    prefixes_present,
)
from places.text_match import text_normalize

TYPO_MIN_LENGTH = 4
NEAR_RINGS = 3
NEAR_WEIGHT = 1.0
# log10 of the importance that scores 1 (a population of ten million).
IMPORTANCE_LOG_MAX = 7.0
# Characters a typo may add or replace, besides the query's own.
TYPO_ALPHABET = string.ascii_lowercase + string.digits + " "
SCORE_DECIMALS = 6

_EXACT, _TYPO = 0, 1
_PLACE_TABLE = Place._meta.db_table


@dataclass(frozen=True)
class Completion:
    place: Place
    score: float


def importance_scores(importances: np.ndarray) -> np.ndarray:
    """Importance on a 0..1 log scale: 1 for ten million and more."""
    return np.clip(np.log10(1.0 + np.maximum(importances, 0.0)) / IMPORTANCE_LOG_MAX, 0.0, 1.0)


def near_rings(*, lat: float, lon: float) -> dict[int, int]:
    """Each area within `NEAR_RINGS` of the focus, with its ring (0: the focus's area)."""
    origin = h3_int.latlng_to_cell(lat, lon, AREA_RESOLUTION)
    rings: dict[int, int] = {}
    for step in range(NEAR_RINGS + 1):
        for area in h3_int.grid_disk(origin, step):
            rings.setdefault(area, step)
    return rings


def nearness(ring: int | None) -> float:
    """1 in the focus's area, falling by ring to 0 beyond `NEAR_RINGS`."""
    return 0.0 if ring is None else 1.0 - ring / (NEAR_RINGS + 1)


def typo_variants(query: str) -> set[str]:
    """Every string one typo away from the query."""
    letters = set(TYPO_ALPHABET) | set(query)
    variants = set()
    for i in range(len(query) + 1):
        head, tail = query[:i], query[i:]
        variants.update(head + letter + tail for letter in letters)
        if tail:
            variants.add(head + tail[1:])
            variants.update(head + letter + tail[1:] for letter in letters)
        if len(tail) > 1:
            variants.add(head + tail[1] + tail[0] + tail[2:])
    variants.discard(query)
    return variants


def name_match_class(name: str, query: str) -> int | None:
    """0 when the name starts with the query, 1 when with a string one typo away, else None."""
    if name.startswith(query):
        return _EXACT
    if len(query) < TYPO_MIN_LENGTH:
        return None
    letters = set(TYPO_ALPHABET) | set(query)
    for length in (len(query) - 1, len(query), len(query) + 1):
        head = name[:length]
        # A typo only adds or replaces with letters of the alphabet.
        if (
            len(head) == length
            and OSA.distance(head, query, score_cutoff=1) <= 1
            and set(head) <= letters
        ):
            return _TYPO
    return None


def place_completion_list(
    *, query: str, lat: float | None = None, lon: float | None = None, limit: int = 10
) -> list[Completion]:
    """The best `limit` completions of `query` (at most `PACK_SIZE`), with a focus or not."""
    query = text_normalize(query)
    if not query:
        return []
    rings = near_rings(lat=lat, lon=lon) if lat is not None and lon is not None else {}
    if len(query) < PREFIX_MAX:
        candidates = _candidates_from_packs(query, rings)
    else:
        candidates = _candidates_from_names(query)
    if not candidates:
        return []
    parts = (np.concatenate(part) for part in zip(*candidates, strict=True))
    pks, classes, importances, areas = parts
    score = importance_scores(importances)
    if rings:
        near = np.fromiter(
            (nearness(rings.get(int(area))) for area in areas.tolist()), np.float64, areas.size
        )
        score = (score + NEAR_WEIGHT * near) / (1.0 + NEAR_WEIGHT)
    # A place found several ways counts once, as its best class and score.
    order = np.lexsort((pks, -importances, -score, classes))
    _, first = np.unique(pks[order], return_index=True)
    best = order[np.sort(first)][:limit]
    places = places_by_pk([int(pk) for pk in pks[best]])
    return [
        Completion(place=places[int(pks[i])], score=round(float(score[i]), SCORE_DECIMALS))
        for i in best
        if int(pks[i]) in places  # not deleted since its pack was read
    ]


def _candidates_from_packs(query: str, rings: dict[int, int]) -> list[tuple]:
    variants = sorted(typo_variants(query)) if len(query) >= TYPO_MIN_LENGTH else None
    packs = prefix_packs([query], [WORLD, *rings], variants=variants)
    return [_pack_candidates(pack, query) for pack in packs]


def _pack_candidates(pack: PrefixPack, query: str) -> tuple:
    size = pack.pks.size
    match = _EXACT if pack.key.startswith(query) else _TYPO
    # A world pack's places count as far: one that is near and on the page is also in its
    # area's pack, which scores it right.
    areas = np.full(size, pack.area, dtype=np.int64)
    return pack.pks, np.full(size, match), pack.importances, areas


def _candidates_from_names(query: str) -> list[tuple]:
    """Every place whose name matches a query too long for the packs.

    The names come from the packed prefixes the query and its typos start with (those that
    exist), each read as distinct names from the names' index.
    """
    starts = {query[: PREFIX_MAX - 1]}
    if len(query) >= TYPO_MIN_LENGTH:
        starts |= {variant[: PREFIX_MAX - 1] for variant in typo_variants(query)}
    names = set()
    with connection.cursor() as cursor:
        for start in prefixes_present(sorted(starts)):
            condition, params = prefix_condition(start)
            cursor.execute(
                f"SELECT DISTINCT search_name FROM {_PLACE_TABLE} WHERE {condition}",  # noqa: S608 - names from the model
                params,
            )
            names.update(row[0] for row in cursor.fetchall())
    matches = {name: name_match_class(name, query) for name in names}
    matches = {name: match for name, match in matches.items() if match is not None}
    if not matches:
        return []
    rows = list(
        Place.objects.filter(search_name__in=list(matches)).values_list(
            "pk", "search_name", "importance", "h3_fine"
        )
    )
    count = len(rows)
    return [
        (
            np.fromiter((row[0] for row in rows), np.int64, count),
            np.fromiter((matches[row[1]] for row in rows), np.int64, count),
            np.fromiter((row[2] for row in rows), np.float64, count),
            areas_of(np.fromiter((row[3] for row in rows), np.int64, count)),
        )
    ]
