import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from places.models import Place

pytestmark = pytest.mark.django_db


def _feature(place_id, name, lon, lat, **properties) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"id": place_id, "name": name, **properties},
    }


def _import(path: Path, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_places", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _places(source: str = "default") -> dict[str, Place]:
    return {place.external_id: place for place in Place.objects.filter(source=source)}


def test_feature_collection_is_imported_with_every_property(tmp_path):
    path = tmp_path / "places.geojson"
    collection = {
        "type": "FeatureCollection",
        "features": [
            _feature(
                "louvre",
                "Musée du Louvre",
                2.3376,
                48.8606,
                category="museum",
                categories=["museum", "landmark"],
                address="Rue de Rivoli",
                city="Paris",
                country="France",
            ),
            {**_feature(None, "Orsay", 2.3266, 48.86), "id": "orsay"},
        ],
    }
    path.write_text(json.dumps(collection), encoding="utf-8")
    out, err = _import(path, "--source", "osm")
    assert "2 places imported into source 'osm' (2 new, 0 updated), 0 bad rows skipped" in out
    assert err == ""
    places = _places("osm")
    louvre = places["louvre"]
    assert (louvre.name, louvre.category, louvre.categories) == (
        "Musée du Louvre",
        "museum",
        ["museum", "landmark"],
    )
    assert (louvre.lat, louvre.lon) == (48.8606, 2.3376)
    assert (louvre.address, louvre.city, louvre.country) == ("Rue de Rivoli", "Paris", "France")
    assert louvre.public_id == "osm:louvre"
    assert places["orsay"].name == "Orsay"


def test_geojson_lines_are_imported_and_bad_lines_reported_with_their_number(tmp_path):
    path = tmp_path / "places.ndjson"
    lines = [
        json.dumps(_feature("a", "Alpha", 10.0, 50.0, categories="cafe;bar")),
        "",
        "{not json",
        json.dumps(_feature("b", "", 10.0, 50.0)),
        json.dumps(_feature("c", "Gamma", 10.0, 95.0)),
        json.dumps({"type": "Feature", "geometry": {"type": "LineString"}, "properties": {}}),
        json.dumps(_feature("d", "Delta", 11.0, 51.0)),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, err = _import(path)
    assert "6 rows read" in out
    assert "2 places imported" in out
    assert "4 bad rows skipped" in out
    assert err.splitlines() == [
        "line 3: invalid JSON (Expecting property name enclosed in double quotes: "
        "line 1 column 2 (char 1)); skipped",
        "line 4: name is required; skipped",
        "line 5: lat must be between -90 and 90; skipped",
        "line 6: geometry is not a Point; skipped",
    ]
    places = _places()
    assert set(places) == {"a", "d"}
    assert places["a"].categories == ["cafe", "bar"]
    assert places["a"].category == "cafe"


def test_csv_is_imported_and_bad_rows_reported_with_their_line(tmp_path):
    path = tmp_path / "places.csv"
    path.write_text(
        "id,name,lat,lon,category,categories,address,city,country\n"
        "1,Alpha,50.0,10.0,cafe,cafe;bakery,1 Main St,Berlin,Germany\n"
        '2,"Beta, the second",50.1,10.1,,shop,,,\n'
        "3,Gamma,north,10.2,,,,,\n"
        ",Nameless id,50,10,,,,,\n",
        encoding="utf-8",
    )
    out, err = _import(path, "--source", "csvsrc")
    assert "2 places imported" in out
    assert err.splitlines() == [
        "line 4: lat must be a number; skipped",
        "line 5: id is required; skipped",
    ]
    places = _places("csvsrc")
    assert places["1"].categories == ["cafe", "bakery"]
    assert (places["1"].address, places["1"].city, places["1"].country) == (
        "1 Main St",
        "Berlin",
        "Germany",
    )
    assert places["2"].name == "Beta, the second"
    assert places["2"].category == "shop"


def test_reimport_updates_places_instead_of_duplicating(tmp_path):
    path = tmp_path / "places.jsonl"
    path.write_text(json.dumps(_feature("a", "Alpha", 10.0, 50.0)) + "\n", encoding="utf-8")
    _import(path)
    path.write_text(
        json.dumps(_feature("a", "Alpha Renamed", 10.5, 50.5))
        + "\n"
        + json.dumps(_feature("b", "Beta", 10.0, 50.0))
        + "\n",
        encoding="utf-8",
    )
    out, _ = _import(path)
    assert "(1 new, 1 updated)" in out
    assert Place.objects.count() == 2
    renamed = _places()["a"]
    assert (renamed.name, renamed.lat, renamed.lon) == ("Alpha Renamed", 50.5, 10.5)


def test_repeated_id_in_one_file_keeps_the_last_row(tmp_path):
    path = tmp_path / "places.jsonl"
    path.write_text(
        json.dumps(_feature("a", "First", 10.0, 50.0))
        + "\n"
        + json.dumps(_feature("a", "Second", 10.0, 50.0))
        + "\n",
        encoding="utf-8",
    )
    _import(path)
    assert [place.name for place in Place.objects.all()] == ["Second"]


def test_replace_removes_the_sources_places_missing_from_the_file(tmp_path):
    first = tmp_path / "first.jsonl"
    first.write_text(
        "".join(json.dumps(_feature(i, f"P{i}", 10.0, 50.0)) + "\n" for i in ("a", "b", "c")),
        encoding="utf-8",
    )
    _import(first, "--source", "s1")
    _import(first, "--source", "s2")
    second = tmp_path / "second.jsonl"
    second.write_text(json.dumps(_feature("b", "Pb", 10.0, 50.0)) + "\n", encoding="utf-8")
    out, _ = _import(second, "--source", "s1", "--replace")
    assert "2 places no longer in the file removed" in out
    assert set(_places("s1")) == {"b"}
    assert set(_places("s2")) == {"a", "b", "c"}


def test_import_without_replace_keeps_places_missing_from_the_file(tmp_path):
    path = tmp_path / "places.jsonl"
    path.write_text(json.dumps(_feature("a", "A", 10.0, 50.0)) + "\n", encoding="utf-8")
    _import(path)
    path.write_text(json.dumps(_feature("b", "B", 10.0, 50.0)) + "\n", encoding="utf-8")
    _import(path)
    assert set(_places()) == {"a", "b"}


def test_imported_places_are_found_by_search(tmp_path, client, places_auth):
    path = tmp_path / "places.geojsonl"
    path.write_text(json.dumps(_feature("a", "Alpha", 10.0, 50.0)) + "\n", encoding="utf-8")
    _import(path, "--source", "mine")
    response = client.post(
        "/v1/places/search",
        {"location": {"lat": 50.0, "lon": 10.001}, "query": "alpah"},
        content_type="application/json",
        **places_auth,
    )
    assert [place["id"] for place in response.json()["results"]] == ["mine:a"]


def test_broken_feature_collection_stops_with_the_feature_reached(tmp_path):
    path = tmp_path / "broken.geojson"
    valid = json.dumps(_feature("a", "A", 10.0, 50.0))
    path.write_text('{"type": "FeatureCollection", "features": [' + valid + ", {oops", "utf-8")
    with pytest.raises(CommandError, match="Invalid JSON after feature 1"):
        _import(path)


@pytest.mark.parametrize(
    ("name", "message"),
    [("places.txt", "Unknown place file type '.txt'"), ("missing.csv", "No such file")],
)
def test_unusable_path_is_a_command_error(tmp_path, name, message):
    if name.endswith(".txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        _import(tmp_path / name)


def test_source_with_a_colon_is_refused(tmp_path):
    path = tmp_path / "places.jsonl"
    path.write_text("", encoding="utf-8")
    with pytest.raises(CommandError, match="without ':'"):
        _import(path, "--source", "a:b")


def test_csv_without_required_columns_is_refused(tmp_path):
    path = tmp_path / "places.csv"
    path.write_text("name,lat\nA,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="CSV header lacks id, lon"):
        _import(path)
