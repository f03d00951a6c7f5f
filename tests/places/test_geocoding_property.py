"""Autocomplete, forward and reverse geocoding agree with brute force over generated places.

Autocomplete is compared with a ranking computed here from every place, accents and typos
included, with and without a focus; forward geocoding with every matching place ranked by
text score, importance and public id; reverse geocoding with a great-circle
nearest-neighbour search. All run on the suite's database (PostgreSQL) and, through a child
pytest, on SQLite.
"""

import math
import random
import unicodedata
from pathlib import Path

import h3
import numpy as np
import pytest
from django.db import connection

from places import prefix_packs, services
from places.completion import (
    IMPORTANCE_LOG_MAX,
    NEAR_RINGS,
    NEAR_WEIGHT,
    TYPO_ALPHABET,
    TYPO_MIN_LENGTH,
    place_completion_list,
)
from places.import_formats import PlaceRecord
from places.models import Place, PlacePrefix
from places.prefix_packs import AREA_RESOLUTION
from places.selectors import REVERSE_RADIUS_M, SCORE_DECIMALS, place_nearest_list, place_search
from places.services import place_derived_fields_set, places_import
from places.text_match import text_scores
from tests.places.conftest import skip_on_sqlite, sqlite_run
from tests.places.factories import places_load

pytestmark = pytest.mark.django_db

SYLLABLES = ["pa", "ri", "lé", "on", "sa", "o", "mar", "sei", "ber", "lin", "ge", "né", "ça", "ü"]
SYLLABLES += ["to", "ky", "ma", "dri", "d", "ro", "me", "ös", "lo", "Ñ", "a", "san", "te"]
CENTRES = [(48.85, 2.35), (45.76, 4.83), (40.42, -3.7), (52.52, 13.4), (33.66, -95.56)]
PLACES = 3000
QUERIES = 300


def _fold(text: str) -> str:
    """Lowercase without accents, separators as single spaces (written apart from the code)."""
    text = "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).casefold()
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


def _osa(a: str, b: str) -> int:
    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        rows[i][0] = i
    for j in range(len(b) + 1):
        rows[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[-1][-1]


def _match_class(name: str, query: str) -> int | None:
    if name.startswith(query):
        return 0
    if len(query) < TYPO_MIN_LENGTH:
        return None
    letters = set(TYPO_ALPHABET) | set(query)
    for length in (len(query) - 1, len(query), len(query) + 1):
        head = name[:length]
        if len(head) == length and set(head) <= letters and _osa(head, query) == 1:
            return 1
    return None


def _ring(place: dict, focus_area: int) -> int | None:
    area = h3.cell_to_parent(h3.latlng_to_cell(place["lat"], place["lon"], 8), AREA_RESOLUTION)
    try:
        distance = h3.grid_distance(area, focus_area)
    except h3.H3BaseException:
        return None
    return distance if distance <= NEAR_RINGS else None


def _brute_force(places: list[dict], query: str, focus: tuple | None, limit: int) -> list[str]:
    query = _fold(query)
    focus_area = (
        h3.latlng_to_cell(focus[0], focus[1], AREA_RESOLUTION) if focus is not None else None
    )
    ranked = []
    for place in places:
        match = _match_class(place["folded"], query)
        if match is None:
            continue
        score = np.clip(np.log10(1.0 + place["importance"]) / IMPORTANCE_LOG_MAX, 0.0, 1.0)
        if focus_area is not None:
            ring = _ring(place, focus_area)
            near = 0.0 if ring is None else 1.0 - ring / (NEAR_RINGS + 1)
            score = (score + NEAR_WEIGHT * near) / (1.0 + NEAR_WEIGHT)
        ranked.append((match, -float(score), -place["importance"], place["pk"], place["id"]))
    ranked.sort()
    return [row[4] for row in ranked[:limit]]


def _typo(rng: random.Random, text: str) -> str:
    position = rng.randrange(len(text))
    kind = rng.choice(["delete", "insert", "replace", "swap"])
    letter = rng.choice("abcdeilmnorstu")
    if kind == "delete":
        return text[:position] + text[position + 1 :]
    if kind == "insert":
        return text[:position] + letter + text[position:]
    if kind == "replace":
        return text[:position] + letter + text[position + 1 :]
    if position + 1 < len(text):
        return text[:position] + text[position + 1] + text[position] + text[position + 2 :]
    return text


def _generated_places(rng: random.Random) -> list[dict]:
    rows = []
    for i in range(PLACES):
        words = [
            "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3)))
            for _ in range(rng.choice([1, 1, 1, 2, 3]))
        ]
        name = rng.choice([" ", "-", " "]).join(words).title()
        centre = rng.choice(CENTRES)
        spread = rng.choice([0.05, 0.5, 3.0])
        rows.append(
            {
                "id": f"n{i}",
                "name": name,
                "lat": max(-89.0, min(89.0, centre[0] + rng.gauss(0, spread))),
                "lon": centre[1] + rng.gauss(0, spread),
                # Repeated importances, so that ties are ranked too.
                "population": rng.choice([0, 0, 10, 500, 500, 12000, 250000, 3000000]),
            }
        )
    return rows


def _import(rows: list[dict]) -> list[dict]:
    places_load(rows, source="gen")
    pks = dict(Place.objects.values_list("external_id", "pk"))
    return [
        {
            **row,
            "pk": pks[row["id"]],
            "folded": _fold(row["name"]),
            "importance": float(row["population"]),
            "id": f"gen:{row['id']}",
        }
        for row in rows
    ]


def test_autocomplete_returns_the_brute_force_ranking():
    rng = random.Random(20261206)
    places = _import(_generated_places(rng))
    for round_number in range(QUERIES):
        if round_number == QUERIES // 2:
            # What an interrupted import leaves: half the packs stale, read from rows.
            stale = list(PlacePrefix.objects.values_list("pk", flat=True)[::2])
            PlacePrefix.objects.filter(pk__in=stale).update(stale=True, ids="", importances="")
        _completion_check(rng, places)


def test_autocomplete_is_right_between_the_batches_of_an_import(monkeypatch):
    # Small batches and a low bar for rebuilding every pack: the import marks the packs of
    # its first batch one by one, then every pack at once.
    monkeypatch.setattr(services, "BATCH_SIZE", 250)
    monkeypatch.setattr(prefix_packs, "_REBUILD_ALL_STALE", 3500)
    rng = random.Random(8)
    generated = _generated_places(rng)
    _import(generated[:1000])
    # New places, and earlier ones renamed, moved and reweighted (another place's fields).
    rows = generated[1000:2500] + [
        {**rng.choice(generated[2500:]), "id": row["id"]} for row in generated[:400]
    ]
    rng.shuffle(rows)
    every_pack_stale = []

    def records():
        for number, row in enumerate(rows):
            if number and number % services.BATCH_SIZE == 0:
                every_pack_stale.append(PlacePrefix.objects.filter(key="", stale=True).exists())
                if number == 3 * services.BATCH_SIZE:
                    # A single place written meanwhile (the admin) marks its own packs.
                    place = Place.objects.order_by("pk").first()
                    place.name, place.importance = "Parisot", 9_000_000
                    place_derived_fields_set(place)
                    place.save()
                places = _current_places()
                for _ in range(12):
                    _completion_check(rng, places)
            yield PlaceRecord(f"row {number}", fields=row)

    places_import(records=records(), source="gen")
    assert every_pack_stale[0] is False and every_pack_stale[-1] is True
    assert not PlacePrefix.objects.filter(stale=True).exists()
    places = _current_places()
    for _ in range(60):
        _completion_check(rng, places)


def _current_places() -> list[dict]:
    """The places as the database holds them, as `_import` describes them."""
    columns = ("pk", "source", "external_id", "name", "lat", "lon", "importance")
    return [
        {**place, "folded": _fold(place["name"]), "id": f"{place['source']}:{place['external_id']}"}
        for place in Place.objects.values(*columns)
    ]


def _completion_check(rng: random.Random, places: list[dict]) -> None:
    """Complete a random start of a place's name (maybe with a typo, a focus) as brute force."""
    name = rng.choice(places)["name"]
    query = name[: rng.randint(1, min(len(name), 12))]
    if len(query) >= 3 and rng.random() < 0.4:
        query = _typo(rng, query)
    if rng.random() < 0.3:
        query = query.upper()
    if not _fold(query):
        return
    focus = None
    if rng.random() < 0.5:
        centre = rng.choice(CENTRES)
        focus = (centre[0] + rng.gauss(0, 2), centre[1] + rng.gauss(0, 2))
    limit = rng.choice([1, 5, 10, 20])
    found = place_completion_list(
        query=query,
        lat=focus[0] if focus else None,
        lon=focus[1] if focus else None,
        limit=limit,
    )
    expected = _brute_force(places, query, focus, limit)
    assert [item.place.public_id for item in found] == expected, (query, focus, limit)


def test_reverse_returns_the_brute_force_nearest_places():
    rng = random.Random(7)
    places = _import(_generated_places(rng)[:1500])
    for _ in range(150):
        centre = rng.choice(CENTRES)
        lat, lon = centre[0] + rng.gauss(0, 1.5), centre[1] + rng.gauss(0, 1.5)
        limit = rng.choice([1, 3, 20])
        hits = place_nearest_list(lat=lat, lon=lon, limit=limit)
        truth = sorted(
            (h3.great_circle_distance((lat, lon), (p["lat"], p["lon"]), unit="m"), p["id"])
            for p in places
        )
        truth = [row for row in truth if row[0] <= REVERSE_RADIUS_M * 0.999][:limit]
        assert len(hits) >= len(truth)
        assert len(hits) <= limit
        for hit, (distance, _) in zip(hits, truth, strict=False):
            assert hit.distance == pytest.approx(distance, rel=1e-6, abs=0.01)
        distances = [hit.distance for hit in hits]
        assert distances == sorted(distances)
        assert all(hit.distance <= REVERSE_RADIUS_M for hit in hits)
        if truth and not math.isclose(truth[0][0], truth[min(1, len(truth) - 1)][0]):
            assert hits[0].place.public_id == truth[0][1]


# Names a query scores differently (whole name, a word off, a run of a longer name), so that
# a page spans several score groups; ids whose code-point order differs from a locale's.
FORWARD_NAMES = ["Blue Cafe", "Blue Cafes", "Bleu Cafe", "Old Blue Cafe", "Blue Lake", "Блю Кафе"]
FORWARD_ID_ENDS = ["", "a", "B", "é", "Z", "ß", "日", "10", "9", "-", "_"]


def test_forward_geocoding_returns_the_brute_force_pages():
    rng = random.Random(12)
    for source in ("gen", "gen-x"):  # "-" sorts before the ":" of the public id
        places_load(
            [
                {
                    "id": f"{rng.choice(FORWARD_ID_ENDS)}{i}{rng.choice(FORWARD_ID_ENDS)}",
                    "name": rng.choice(FORWARD_NAMES),
                    "lat": 1,
                    "lon": 1,
                    "categories": rng.sample(["cafe", "bar", "park"], rng.randint(1, 2)),
                    # Few importances: most places tie and order by public id.
                    "importance": rng.choice([0, 10, 10, 500]),
                }
                for i in range(120)
            ],
            source=source,
        )
    places = [
        {
            "id": f"{source}:{external_id}",
            "search_name": search_name,
            "importance": importance,
            "categories": set(categories),
        }
        for source, external_id, search_name, importance, categories in Place.objects.values_list(
            "source", "external_id", "search_name", "importance", "categories"
        )
    ]
    for query in ["blue cafe", "bleu cafe", "blue", "блю кафе", "cafes"]:
        scores = text_scores(query=query, search_names=[place["search_name"] for place in places])
        for categories in (None, ["bar"], ["park", "bar"]):
            ranked = sorted(
                (-round(float(score), SCORE_DECIMALS), -place["importance"], place["id"])
                for place, score in zip(places, scores, strict=True)
                if score > 0 and (categories is None or place["categories"] & set(categories))
            )
            assert ranked, query
            for offset in (0, 1, 7, 20, len(ranked) - 3, len(ranked)):
                for limit in (1, 5, 20):
                    page = place_search(
                        lat=None,
                        lon=None,
                        radius=1000,
                        query=query,
                        categories=categories,
                        limit=limit,
                        offset=offset,
                    )
                    assert page.total == len(ranked), (query, categories)
                    expected = [(-score, pid) for score, _, pid in ranked[offset : offset + limit]]
                    found = [(hit.score, hit.place.public_id) for hit in page.hits]
                    assert found == expected, (query, categories, offset, limit)


@skip_on_sqlite
def test_geocoding_properties_hold_on_sqlite_too(tmp_path: Path):
    assert connection.vendor == "postgresql"
    child = sqlite_run(__file__, tmp_path)
    assert child.returncode == 0, child.stdout[-3000:] + child.stderr[-3000:]
    assert "4 passed" in child.stdout
