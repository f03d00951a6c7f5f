"""The column type of every secret at rest, so that one loop finds them all."""

from django.db import models


class CiphertextField(models.TextField):
    """A Fernet ciphertext of `purpose` (see encryption.cipher); never the plain secret."""

    def __init__(self, *args, purpose: str, **kwargs):
        self.purpose = purpose
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs
