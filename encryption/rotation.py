"""Moving every stored secret to the current key, after a rotation of ENCRYPTION_KEY."""

from django.apps import apps
from django.db import transaction

from encryption.cipher import secret_reencrypt
from encryption.fields import CiphertextField


def secrets_reencrypt() -> dict[str, int]:
    """Re-encrypt every CiphertextField of every model; rows rewritten per model label."""
    rewritten = {}
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, CiphertextField)]
        if fields:
            rewritten[model._meta.label] = _rows_reencrypt(model, fields=fields)
    return rewritten


def _rows_reencrypt(model, *, fields: list[CiphertextField]) -> int:
    count = 0
    for pk in model._default_manager.order_by("pk").values_list("pk", flat=True):
        # One row at a time, locked: a concurrent write of the same secret is not undone.
        with transaction.atomic():
            row = model._default_manager.select_for_update().filter(pk=pk).first()
            if row is None:
                continue
            for field in fields:
                value = getattr(row, field.attname)
                setattr(row, field.attname, secret_reencrypt(value, purpose=field.purpose))
            row.save(update_fields=[field.name for field in fields])
        count += 1
    return count
