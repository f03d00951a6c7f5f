"""Places as an import leaves them: with their H3 cells, search name, prefix and cell packs."""

import factory

from places.import_formats import PlaceRecord
from places.models import Place
from places.services import places_import


def places_load(rows: list[dict], *, source: str = "test", replace: bool = False) -> None:
    """Import places given as dicts of file fields (`id`, `name`, `lat`, `lon`, ...) at once."""
    records = [PlaceRecord(f"row {i}", fields=row) for i, row in enumerate(rows, start=1)]
    places_import(records=records, source=source, replace=replace)


class PlaceFactory(factory.django.DjangoModelFactory):
    """A place of the `test` source by the Louvre, imported alone by the importer.

    Other fields are file fields (`category`, `categories`, `population`, `address`, ...).
    """

    class Meta:
        model = Place

    source = "test"
    external_id = factory.Sequence(lambda n: f"p{n}")
    name = factory.Sequence(lambda n: f"Place {n}")
    lat = 48.8606
    lon = 2.3376

    @classmethod
    def _create(cls, model_class, *, source, external_id, **fields) -> Place:
        places_load([{"id": external_id, **fields}], source=source)
        return model_class.objects.get(source=source, external_id=external_id)
