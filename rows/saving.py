"""The one way a service saves a row: validate it against its model, then save it.

`Model.save()` does not validate: it writes whatever the instance holds, and the database
catches only what its own constraints say. So services call `full_clean()` before `save()`
(the HackSoft Django Styleguide's rule): a value outside a field's choices or limits, or a row
that breaks a model constraint, fails as a `ValidationError` before anything is written.
"""

from typing import TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def row_save(row: M) -> M:
    """Validate the row against its model (fields, choices, constraints), then save it; the row."""
    row.full_clean()
    row.save()
    return row
