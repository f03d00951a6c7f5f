"""Any save or delete of an organization drops its cached tier and limits.

Verification caches an organization's tier and limits (`accounts.verification_cache`), shared
in the cache and copied in every process. The service, the admin, a shell session or a data
migration may all save the row: the receivers here see every `save()` and `delete()`, so no
path forgets the caches. (`QuerySet.update()` sends no signal; the code never uses it on
organizations.)
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import Organization
from accounts.verification_cache import organization_entry_forget


@receiver(post_save, sender=Organization, dispatch_uid="organization_saved_forget")
def organization_saved(sender, instance: Organization, **kwargs) -> None:
    """Replace the cached tier and limits by a marker once the save commits."""
    organization_entry_forget(instance.pk)


@receiver(post_delete, sender=Organization, dispatch_uid="organization_deleted_forget")
def organization_deleted(sender, instance: Organization, **kwargs) -> None:
    """Replace the cached tier and limits by a marker once the delete commits."""
    organization_entry_forget(instance.pk)
