"""CPU time per request of the hot paths with each counter, through the whole Django stack.

Wall-clock throughput on a shared machine swings between runs; the CPU a request costs the
web process is steadier, and a CPU-bound server's throughput goes as its inverse. Requests go
through Django's test client in this process (middleware, views, the bench's Redis and
database), in rounds alternating between the script and django-ratelimit: the product's tile
route and a bench-only places route count with the script, the others with django-ratelimit.
Arguments: TOKEN TILES_FILE BODIES_FILE. Prints one JSON line.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.test import Client  # noqa: E402

ROUNDS = 5
REQUESTS = {"tiles": 400, "places": 60}


def main() -> None:
    token, tiles_file, bodies_file = sys.argv[1:4]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_ENCODING="gzip")
    tiles = Path(tiles_file).read_text().split()
    bodies = [line for line in Path(bodies_file).read_text().splitlines() if line.strip()]

    def tile_requests(prefix: str):
        def send(count: int, offset: int) -> None:
            for index in range(count):
                path = tiles[(offset + index) % len(tiles)].replace("/v1/tiles/", prefix, 1)
                assert client.get(path).status_code in (200, 204)

        return send

    def search_requests(path: str):
        def send(count: int, offset: int) -> None:
            for index in range(count):
                body = bodies[(offset + index) % len(bodies)]
                response = client.post(path, body, content_type="application/json")
                assert response.status_code == 200, response.content

        return send

    sides = {
        "tiles": (tile_requests("/v1/tiles/"), tile_requests("/bench/ratelimit-tiles/")),
        "places": (
            search_requests("/bench/script-places/search"),
            search_requests("/v1/places/search"),
        ),
    }
    figures = {}
    for name, (script, library) in sides.items():
        count = REQUESTS[name]
        script(count, 0)
        library(count, 0)
        rounds: dict[str, list[float]] = {"script": [], "library": []}
        for round_index in range(ROUNDS):
            for side, send in (("script", script), ("library", library)):
                start = time.process_time()
                send(count, round_index * count)
                rounds[side].append((time.process_time() - start) / count * 1e6)
        figures[name] = {
            "script_us": statistics.median(rounds["script"]),
            "library_us": statistics.median(rounds["library"]),
            "rounds": rounds,
        }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
