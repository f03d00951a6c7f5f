from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "places"
    verbose_name = "Places"

    def ready(self) -> None:
        from places import receivers  # noqa: F401 - connects the signal receivers
