import pytest
from django.core.management import CommandError, call_command

from tests.tiles.archives import pmtiles_write, pyramid
from tiles.tileset_registry import tileset_registry


def test_command_indexes_every_pmtiles_tileset(tilesets_dir, settings):
    call_command("build_tile_indexes")
    index_dir = settings.TILES_INDEX_DIR
    assert sorted(path.name.split("-")[0] for path in index_dir.glob("*.idx")) == [
        "plain",
        "roads",
    ]
    assert tileset_registry().get("roads").indexed


def test_command_removes_the_index_of_a_replaced_file(tilesets_dir, settings):
    call_command("build_tile_indexes")
    (old,) = settings.TILES_INDEX_DIR.glob("roads-*.idx")
    staging = tilesets_dir / "roads.partial"
    pmtiles_write(staging, pyramid(2), leaf_size=4)
    staging.rename(tilesets_dir / "roads.pmtiles")
    call_command("build_tile_indexes")
    (new,) = settings.TILES_INDEX_DIR.glob("roads-*.idx")
    assert new != old
    assert not old.exists()


def test_command_fails_when_an_index_cannot_be_built(tilesets_dir, settings):
    settings.TILES_INDEX_DIR = tilesets_dir / "roads.pmtiles" / "not-a-directory"
    with pytest.raises(CommandError, match="No index could be built"):
        call_command("build_tile_indexes")
