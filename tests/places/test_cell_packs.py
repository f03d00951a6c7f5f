"""Search packs per fine cell: always equal to the places, read from rows while stale."""

import io
from pathlib import Path

import h3
import numpy as np
import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count
from django.urls import reverse

from places.cell_packs import cells_mark_stale
from places.completion import place_completion_list
from places.models import Place, PlaceCell, PlaceCoarseCount, PlaceName, PlacePrefix
from places.name_runs import name_runs_get
from places.selectors import place_nearest_list, place_search
from tests.places.conftest import skip_on_sqlite, sqlite_run

pytestmark = pytest.mark.django_db

PARIS = (48.8566, 2.3522)
LYON = (45.7640, 4.8357)


def _near(centre: tuple, step: int) -> dict:
    """A point a few tens of metres from `centre`: a handful of places share a fine cell."""
    return {"lat": centre[0] + step * 0.0003, "lon": centre[1] + step * 0.0002}


@pytest.fixture
def city_places(place_rows):
    place_rows(
        [{"id": f"p{i}", "name": f"Bakery {i}", **_near(PARIS, i)} for i in range(12)]
        + [{"id": "lyon", "name": "Bakery Lyon", "lat": LYON[0], "lon": LYON[1]}]
    )


def _ids(**search) -> list[str]:
    return [hit.place.external_id for hit in place_search(limit=100, **search).hits]


def _completions(query: str) -> list[str]:
    return [item.place.external_id for item in place_completion_list(query=query)]


def _packs_match_places() -> None:
    packs = {pack.cell: pack for pack in PlaceCell.objects.all()}
    assert not any(pack.stale for pack in packs.values())
    cells = set(Place.objects.values_list("h3_fine", flat=True))
    assert set(packs) == cells
    for cell, pack in packs.items():
        places = Place.objects.filter(h3_fine=cell).order_by("id")
        assert np.frombuffer(bytes(pack.ids), ">i8").tolist() == [place.pk for place in places]
        assert np.frombuffer(bytes(pack.lats), ">f8").tolist() == [place.lat for place in places]
        assert np.frombuffer(bytes(pack.lons), ">f8").tolist() == [place.lon for place in places]
        assert pack.search_names.split("\n") == [place.search_name for place in places]
        assert pack.count == len(places)
    coarse = {row.cell: row for row in PlaceCoarseCount.objects.all()}
    assert not any(row.stale for row in coarse.values())
    assert {cell: row.count for cell, row in coarse.items()} == dict(
        Place.objects.values_list("h3_coarse").annotate(count=Count("*"))
    )


def test_an_import_leaves_every_cell_packed_with_exactly_its_places(city_places):
    assert PlaceCell.objects.count() > 1
    _packs_match_places()


def test_reimport_moves_places_between_packs_and_replace_drops_empty_ones(place_rows, city_places):
    place_rows(
        [{"id": "p0", "name": "Bakery 0", "lat": LYON[0], "lon": LYON[1] + 0.0001}]
        + [{"id": f"p{i}", "name": f"Bakery {i}", **_near(PARIS, i)} for i in range(1, 12)]
        + [{"id": "lyon", "name": "Patisserie", "lat": LYON[0], "lon": LYON[1]}]
    )
    _packs_match_places()
    assert _ids(lat=LYON[0], lon=LYON[1], radius=500, query="patisserie") == ["lyon"]
    assert "p0" in _ids(lat=LYON[0], lon=LYON[1], radius=500, query="bakery")
    assert "p0" not in _ids(lat=PARIS[0], lon=PARIS[1], radius=2000, query="bakery")

    lyon_cell = Place.objects.get(external_id="lyon").h3_fine
    place_rows([{"id": "p1", "name": "Bakery 1", **_near(PARIS, 1)}], replace=True)
    _packs_match_places()
    assert not PlaceCell.objects.filter(cell=lyon_cell).exists()
    assert _ids(lat=PARIS[0], lon=PARIS[1], radius=5000, query="bakery") == ["p1"]


def test_stale_cells_are_searched_from_their_rows_until_repacked(city_places):
    # What an import that died between its batches and its repack leaves behind: rows
    # changed, their cells marked, the packs still holding the old names.
    Place.objects.filter(external_id="p3").update(name="Fromagerie", search_name="fromagerie")
    cells_mark_stale(Place.objects.values_list("h3_fine", flat=True))
    for repacked in (False, True):
        assert _ids(lat=PARIS[0], lon=PARIS[1], radius=3000, query="fromagerie") == ["p3"]
        assert "p3" not in _ids(lat=PARIS[0], lon=PARIS[1], radius=3000, query="bakery")
        assert place_search(lat=PARIS[0], lon=PARIS[1], radius=3000).total == 12
        # Wide enough to count whole coarse cells: their counts are stale too until repacked.
        assert PlaceCoarseCount.objects.filter(stale=True).exists() is not repacked
        assert place_search(lat=PARIS[0], lon=PARIS[1], radius=100_000).total == 12
        if not repacked:
            output = io.StringIO()
            call_command("pack_place_cells", stdout=output)
            assert output.getvalue().startswith(
                f"{PlaceCell.objects.count()} place cells packed.\n"
            )
            _packs_match_places()


def test_a_place_deleted_after_its_pack_was_read_is_left_out_of_the_page(city_places):
    # What a search sees when a writer deletes a place between the search's read of the packs
    # and its read of the page: packs (cells and completion prefixes) still listing the place.
    table = connection.ops.quote_name(Place._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE external_id = %s", ["p0"])
    centre = {"lat": PARIS[0], "lon": PARIS[1]}
    assert _ids(**centre, radius=3000, query="bakery") == [f"p{i}" for i in range(1, 12)]
    assert "p0" not in _ids(**centre, radius=3000)
    assert "p0" not in _completions("bakery")
    assert "p0" not in [hit.place.external_id for hit in place_nearest_list(**centre, limit=20)]


def test_admin_edit_moves_a_place_and_recomputes_its_cells(
    admin_client, city_places, django_capture_on_commit_callbacks
):
    place = Place.objects.get(external_id="p5")
    url = reverse("admin:places_place_change", args=[place.pk])
    form = {
        field: getattr(place, field)
        for field in (
            "source",
            "external_id",
            "category",
            "address",
            "city",
            "country",
            "importance",
        )
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url,
            {
                **form,
                "name": "Boulangerie Lyonnaise",
                "lat": LYON[0],
                "lon": LYON[1],
                "categories": "[]",
            },
        )
    assert response.status_code == 302, response.content
    place.refresh_from_db()
    assert place.search_name == "boulangerie lyonnaise"
    _packs_match_places()
    assert _ids(lat=LYON[0], lon=LYON[1], radius=1000, query="boulangerie") == ["p5"]
    # The completion packs followed the new name and place, with no stale one left.
    assert _completions("boulang") == ["p5"]
    assert "p5" not in _completions("bakery")
    assert not PlacePrefix.objects.filter(stale=True).exists()
    assert "p5" not in _ids(lat=PARIS[0], lon=PARIS[1], radius=3000)


def test_admin_refuses_a_latitude_off_the_globe(admin_client, city_places):
    place = Place.objects.get(external_id="p5")
    response = admin_client.post(
        reverse("admin:places_place_change", args=[place.pk]),
        {
            "source": "test",
            "external_id": "p5",
            "name": "Bakery 5",
            "lat": 91,
            "lon": 2,
            "categories": "[]",
        },
    )
    assert response.status_code == 200
    assert "lat" in response.context["adminform"].form.errors


def test_admin_delete_takes_the_place_out_of_search(
    admin_client, city_places, django_capture_on_commit_callbacks
):
    place = Place.objects.get(external_id="p2")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:places_place_delete", args=[place.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    _packs_match_places()
    assert "p2" not in _ids(lat=PARIS[0], lon=PARIS[1], radius=3000)
    assert "p2" not in _completions("bakery 2")
    assert not PlacePrefix.objects.filter(stale=True).exists()


@pytest.mark.django_db(transaction=True)
def test_upgrade_keeps_places_searchable_and_the_release_step_packs_them():
    # A process that already holds the names, as a running server does during an upgrade.
    name_runs_get()
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([("places", "0001_initial")])
    try:
        old_apps = (
            MigrationExecutor(connection).loader.project_state([("places", "0001_initial")]).apps
        )
        old_apps.get_model("places", "Place").objects.create(
            source="field",
            external_id="kept",
            name="Old Bakery",
            search_name="old bakery",
            lat=PARIS[0],
            lon=PARIS[1],
            h3_fine=h3.str_to_int(h3.latlng_to_cell(*PARIS, 8)),
            h3_coarse=h3.str_to_int(h3.latlng_to_cell(*PARIS, 6)),
            import_run="first",
        )
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(leaves)
        assert PlaceCell.objects.get().stale
        assert list(PlaceCoarseCount.objects.values_list("cell", "stale", "count")) == [
            (Place.objects.get().h3_coarse, False, 1)
        ]
        assert Place.objects.get().importance == 0
        # Completion packs of both levels (world and area) for each prefix, all stale.
        assert set(PlacePrefix.objects.values_list("key", "stale")) == {
            (prefix, True) for prefix in ("o", "ol", "old", "old ", "old b", "old ba", "old bak")
        }
        assert PlacePrefix.objects.count() == 14
        assert _ids(lat=PARIS[0], lon=PARIS[1], radius=500, query="old bakery") == ["kept"]
        assert _completions("old b") == ["kept"]
        assert _ids(lat=None, lon=None, radius=0, query="old bakery") == ["kept"]
        call_command("pack_place_cells", stdout=io.StringIO())
        _packs_match_places()
        assert not PlacePrefix.objects.filter(stale=True).exists()
        assert _ids(lat=PARIS[0], lon=PARIS[1], radius=500, query="old bakery") == ["kept"]
        assert _completions("old b") == ["kept"]
    finally:
        Place.objects.all().delete()
        PlaceCell.objects.all().delete()
        PlaceCoarseCount.objects.all().delete()
        PlacePrefix.objects.all().delete()
        PlaceName.objects.all().delete()
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(leaves)


@skip_on_sqlite
def test_packs_hold_on_sqlite_too(tmp_path: Path):
    assert connection.vendor == "postgresql"
    child = sqlite_run(__file__, tmp_path)
    assert child.returncode == 0, child.stdout[-3000:] + child.stderr[-3000:]
    assert "8 passed, 1 skipped" in child.stdout
