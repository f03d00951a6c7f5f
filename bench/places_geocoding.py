"""Geocoding requests for the places bench, around the densest area's centre.

Usage: places_geocoding.py CENTRE.json KIND COUNT > requests

KIND is `complete` (autocomplete paths: a prefix of 1 to 6 letters of a word of the
generator's vocabulary, half of them with a focus within 2 km of the centre), `text`
(search bodies without a location: a word and a label as in the hybrid search, some with a
typo) or `reverse` (reverse geocoding paths within about 30 km of the centre).
"""

import json
import random
import sys
from urllib.parse import urlencode

from places_generate import KINDS, WORDS

JITTER_DEGREES = 0.018
REVERSE_JITTER_DEGREES = 0.3


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as centre_file:
        centre = json.load(centre_file)
    kind, count = sys.argv[2], int(sys.argv[3])
    rng = random.Random(11)  # noqa: S311 - reproducible bench requests
    labels = [label for group in KINDS.values() for label in group]
    for number in range(count):
        if kind == "complete":
            word = rng.choice(WORDS + labels).lower()
            params = {"q": word[: rng.randint(1, min(6, len(word)))]}
            if number % 2:
                params["lat"] = round(
                    centre["lat"] + rng.uniform(-JITTER_DEGREES, JITTER_DEGREES), 5
                )
                params["lon"] = round(
                    centre["lon"] + rng.uniform(-JITTER_DEGREES, JITTER_DEGREES), 5
                )
            print("/v1/places/autocomplete?" + urlencode(params))
        elif kind == "text":
            query = f"{rng.choice(WORDS)} {rng.choice(labels)}".lower()
            if rng.random() < 0.3:
                position = rng.randrange(len(query))
                query = query[:position] + query[position + 1 :]
            print(json.dumps({"query": query, "limit": 20}))
        else:
            params = {
                "lat": round(
                    centre["lat"] + rng.uniform(-REVERSE_JITTER_DEGREES, REVERSE_JITTER_DEGREES), 5
                ),
                "lon": round(
                    centre["lon"] + rng.uniform(-REVERSE_JITTER_DEGREES, REVERSE_JITTER_DEGREES), 5
                ),
                "limit": rng.choice([1, 1, 5, 20]),
            }
            print("/v1/places/reverse?" + urlencode(params))


if __name__ == "__main__":
    main()
