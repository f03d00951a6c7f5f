from django.apps import AppConfig
from django.core.signals import setting_changed

_REGISTRY_SETTINGS = {
    "TILESETS_DIR",
    "TILESETS_RESCAN_SECONDS",
    "TILES_DIRECTORY_CACHE_BYTES",
    "TILES_INDEX_DIR",
}


def _registry_reset_on_change(*, setting: str, **kwargs) -> None:
    if setting in _REGISTRY_SETTINGS:
        from tiles.tileset_registry import tileset_registry_reset

        tileset_registry_reset()


class TilesConfig(AppConfig):
    name = "tiles"
    verbose_name = "Tiles"

    def ready(self) -> None:
        setting_changed.connect(_registry_reset_on_change, dispatch_uid="tiles_registry_reset")
