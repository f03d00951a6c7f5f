"""Search bodies for the places bench, around the densest area's centre.

Usage: places_bodies.py CENTRE.json RADIUS_M WITH_QUERY COUNT > bodies.jsonl

Each body's location is jittered up to 2 km from the centre so that requests differ; with
WITH_QUERY=1 each body carries a query word drawn from the generator's name vocabulary,
some of them with a typo.
"""

import json
import random
import sys

from places_generate import KINDS, WORDS

JITTER_DEGREES = 0.018


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as centre_file:
        centre = json.load(centre_file)
    radius, with_query, count = float(sys.argv[2]), sys.argv[3] == "1", int(sys.argv[4])
    rng = random.Random(7)  # noqa: S311 - reproducible bench bodies
    labels = [label for group in KINDS.values() for label in group]
    for _ in range(count):
        body = {
            "location": {
                "lat": centre["lat"] + rng.uniform(-JITTER_DEGREES, JITTER_DEGREES),
                "lon": centre["lon"] + rng.uniform(-JITTER_DEGREES, JITTER_DEGREES),
            },
            "radius": radius,
            "limit": 20,
        }
        if with_query:
            query = f"{rng.choice(WORDS)} {rng.choice(labels)}".lower()
            if rng.random() < 0.3:
                position = rng.randrange(len(query))
                query = query[:position] + query[position + 1 :]
            body["query"] = query
        print(json.dumps(body))


if __name__ == "__main__":
    main()
