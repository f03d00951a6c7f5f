"""Places written through the ORM (the admin, a shell) keep the search packs right."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from places.models import Place
from places.services import place_changed


@receiver(pre_save, sender=Place)
def place_cell_remember(sender, instance: Place, raw: bool = False, **kwargs) -> None:
    # The cell and name the place leaves if they change; None for a new place.
    before = (
        Place.objects.filter(pk=instance.pk).values_list("h3_fine", "search_name").first()
        if instance.pk
        else None
    )
    instance._cell_before, instance._name_before = before or (None, None)


@receiver(post_save, sender=Place)
def place_saved(sender, instance: Place, **kwargs) -> None:
    place_changed(
        place=instance,
        cell_before=getattr(instance, "_cell_before", None),
        name_before=getattr(instance, "_name_before", None),
    )


@receiver(post_delete, sender=Place)
def place_deleted(sender, instance: Place, **kwargs) -> None:
    place_changed(place=instance, cell_before=None)
