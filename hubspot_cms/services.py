"""Writing HubSpot pages: syncing a portal, applying proposed changes, rolling them back.

No transaction is held open while HubSpot answers. Writes to one HubSpot page (apply and
rollback) are serialised by a named lock on the page, so the check of HubSpot's `updatedAt`
and the write that follows it are never interleaved with another of our writes to the same
page; an edit made in HubSpot itself between the two is the remaining window, which HubSpot's
API gives no way to close (its PATCH takes no precondition).
"""

import logging
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from authn.auth0_user import Auth0User
from connections.hubspot_cms import (
    CmsPage,
    CmsPageMissingError,
    CmsPageType,
    CmsWriteRefusedError,
    hubspot_page_get,
    hubspot_page_update,
    hubspot_pages_list,
)
from connections.models import Connection, Provider
from connections.named_locks import NamedLockTimeoutError, named_lock
from connections.services import connection_for_owner
from errors import catalog
from errors.exceptions import ApiError
from hubspot_cms.models import HubSpotChange, HubSpotPage, HubSpotPortalSync
from hubspot_cms.page_urls import url_normalize
from hubspot_cms.selectors import hubspot_page_find_for_owner
from hubspot_cms.states import HUBSPOT_CHANGE
from notifications.models import HUBSPOT_CHANGE_APPLIED
from notifications.services import audit_event_emit
from reports.models import Audit
from rows.saving import row_save

logger = logging.getLogger(__name__)

# The contract's per-item errors of apply-recommendations.
PAGE_CHANGED_SINCE_PROPOSAL = "La página cambió en HubSpot desde la propuesta"
PAGE_NOT_FOUND = "HubSpot page not found"
WRITE_REFUSED = "HubSpot refused the change (HTTP {status})"
# Longer than a read and a write of one page take, so a waiter normally gets its turn.
PAGE_LOCK_WAIT_SECONDS = 30
SYNC_LOCK_WAIT_SECONDS = 120


@dataclass(frozen=True)
class _PageAddress:
    """One page of a connection's portal as HubSpot names it: what its lock, reads and writes
    are keyed on, whether it comes from the stored page or from a change of it."""

    connection_id: int
    page_type: str
    hubspot_id: str

    @classmethod
    def of_page(cls, page: HubSpotPage) -> "_PageAddress":
        return cls(page.connection_id, page.page_type, page.hubspot_id)

    @classmethod
    def of_change(cls, change: HubSpotChange) -> "_PageAddress":
        return cls(change.connection_id, change.page_type, change.hubspot_page_id)

    def lock(self) -> AbstractContextManager[None]:
        """The page's named lock, the same for apply and rollback so that they serialise;
        NamedLockTimeoutError once it stays held past PAGE_LOCK_WAIT_SECONDS."""
        return named_lock(
            f"hubspot_cms.page.{self.connection_id}.{self.page_type}.{self.hubspot_id}",
            timeout_seconds=PAGE_LOCK_WAIT_SECONDS,
        )

    def read(self) -> CmsPage:
        """The page as HubSpot holds it now; CmsPageMissingError when HubSpot has none."""
        return hubspot_page_get(
            connection_id=self.connection_id,
            page_type=CmsPageType(self.page_type),
            hubspot_id=self.hubspot_id,
        )

    def change(self, **fields) -> HubSpotChange:
        """A new change of this page with `fields` (its field, values, audit...), not saved."""
        return HubSpotChange(
            connection_id=self.connection_id,
            page_type=self.page_type,
            hubspot_page_id=self.hubspot_id,
            **fields,
        )

    def write(self, values: dict[str, str]) -> CmsPage:
        """PATCH `values` into the page in HubSpot; the page as written."""
        return hubspot_page_update(
            connection_id=self.connection_id,
            page_type=CmsPageType(self.page_type),
            hubspot_id=self.hubspot_id,
            values=values,
        )


PAGE_SYNCED_FIELDS = [
    "url",
    "normalized_url",
    "name",
    "html_title",
    "meta_description",
    "head_html",
    "hubspot_updated_at",
]


def _page_values(page: CmsPage) -> dict:
    return {
        "url": page.url,
        "normalized_url": url_normalize(page.url) if page.url else "",
        "name": page.name,
        "html_title": page.html_title,
        "meta_description": page.meta_description,
        "head_html": page.head_html,
        "hubspot_updated_at": page.updated_at,
    }


def hubspot_pages_sync(*, connection: Connection) -> int:
    """Replace the connection's stored pages with the portal's site pages and blog posts."""
    try:
        with named_lock(
            f"hubspot_cms.sync.{connection.pk}", timeout_seconds=SYNC_LOCK_WAIT_SECONDS
        ):
            pages = hubspot_pages_list(connection_id=connection.pk)
            stored = _pages_store(connection=connection, pages=pages)
    except NamedLockTimeoutError:
        raise ApiError(catalog.PROVIDER_UNAVAILABLE, provider_name=Provider.HUBSPOT.label) from None
    logger.info(
        "hubspot_pages_synced", extra={"connection_id": connection.pk, "synced_count": stored}
    )
    return stored


@transaction.atomic
def _pages_store(*, connection: Connection, pages: list[CmsPage]) -> int:
    # A few queries whatever the portal's size: one read, inserts and updates in bulk, and
    # only the pages whose values changed are rewritten.
    now = timezone.now()
    existing = {
        (row.page_type, row.hubspot_id): row
        for row in HubSpotPage.objects.filter(connection=connection)
    }
    created, changed, kept, seen = [], [], 0, set()
    for page in pages:
        key = (page.page_type.value, page.hubspot_id)
        if key in seen:
            # Listed twice (an object moved between two cursor pages): stored once.
            continue
        seen.add(key)
        row = existing.pop(key, None)
        if row is None:
            row = HubSpotPage(connection=connection, page_type=key[0], hubspot_id=key[1])
        values = _page_values(page)
        if row.pk is not None and all(getattr(row, name) == values[name] for name in values):
            kept += 1
            continue
        for name, value in values.items():
            setattr(row, name, value)
        row.last_synced_at = now
        try:
            # The connection is the caller's and each key is stored once: the rest is checked.
            row.full_clean(
                exclude=["connection"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            # A value our columns cannot hold: the page keeps its last good copy, or is left out.
            logger.warning(
                "hubspot_page_skipped",
                extra={"connection_id": connection.pk, "fields": sorted(exc.message_dict)},
            )
            continue
        (changed if row.pk is not None else created).append(row)
    # Pages gone from the portal go from the list; their changes keep a copy of what they were.
    HubSpotPage.objects.filter(pk__in=[row.pk for row in existing.values()]).delete()
    HubSpotPage.objects.bulk_create(created, batch_size=500)
    HubSpotPage.objects.bulk_update(changed, fields=PAGE_SYNCED_FIELDS, batch_size=100)
    HubSpotPage.objects.filter(connection=connection).update(last_synced_at=now)
    stored = len(created) + len(changed) + kept
    HubSpotPortalSync.objects.update_or_create(
        connection=connection, defaults={"synced_at": now, "synced_count": stored}
    )
    return stored


def hubspot_pages_sync_first(*, connection: Connection) -> None:
    """Sync the connection's pages when they were never synced."""
    if not HubSpotPortalSync.objects.filter(connection=connection).exists():
        hubspot_pages_sync(connection=connection)


@dataclass(frozen=True)
class ProposedChange:
    hubspot_page_id: str
    field: str
    value: str


@dataclass
class ApplyReport:
    applied: list[dict] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)


def _page_store(*, page: HubSpotPage, written: CmsPage) -> None:
    for name, value in _page_values(written).items():
        setattr(page, name, value)
    row_save(page)


def hubspot_changes_apply(
    *, audit: Audit, user: Auth0User, proposals: list[ProposedChange]
) -> ApplyReport:
    """Write each proposed value to its HubSpot page; per item, applied (a change) or failed."""
    report = ApplyReport()
    for proposal in proposals:
        page = hubspot_page_find_for_owner(hubspot_id=proposal.hubspot_page_id, user=user)
        if page is None:
            error = PAGE_NOT_FOUND
        else:
            lock = _PageAddress.of_page(page).lock()
            try:
                with lock:
                    change, error = _change_apply(audit=audit, page=page, proposal=proposal)
            except NamedLockTimeoutError:
                change, error = (
                    None,
                    catalog.PROVIDER_UNAVAILABLE.message.format(provider_name="HubSpot"),
                )
            if change is not None and error is None:
                report.applied.append(
                    {
                        "page_id": proposal.hubspot_page_id,
                        "field": proposal.field,
                        "success": True,
                        "change_id": change.pk,
                    }
                )
                continue
        report.failed.append(
            {"page_id": proposal.hubspot_page_id, "field": proposal.field, "error": error}
        )
    return report


def _change_apply(
    *, audit: Audit, page: HubSpotPage, proposal: ProposedChange
) -> tuple[HubSpotChange | None, str | None]:
    page.refresh_from_db()
    address = _PageAddress.of_page(page)
    try:
        current = address.read()
    except CmsPageMissingError:
        return None, PAGE_NOT_FOUND
    if current.updated_at != page.hubspot_updated_at:
        # Proposed from values HubSpot no longer holds: nothing is written.
        return None, PAGE_CHANGED_SINCE_PROPOSAL
    change = address.change(
        audit=audit,
        page=page,
        page_url=page.url,
        field=proposal.field,
        before=getattr(current, proposal.field),
        after=proposal.value,
    )
    try:
        written = _change_write(change)
    except CmsPageMissingError:
        return None, PAGE_NOT_FOUND
    except CmsWriteRefusedError as exc:
        error = WRITE_REFUSED.format(status=exc.args[0])
        _change_record(change=change, status=HubSpotChange.Status.FAILED, error=error)
        return change, error
    change.hubspot_updated_at = written.updated_at
    with transaction.atomic():
        _change_record(change=change, status=HubSpotChange.Status.APPLIED)
        _page_store(page=page, written=written)
        _applied_notify(change=change, audit=audit)
    return change, None


def _change_write(change: HubSpotChange) -> CmsPage:
    """Write the change's `after` into its field of its page in HubSpot; the page as written."""
    return _PageAddress.of_change(change).write({change.field: change.after})


def _applied_notify(*, change: HubSpotChange, audit: Audit) -> None:
    # Queued in the change's transaction: the owner hears of writes that were recorded.
    audit_event_emit(
        audit=audit,
        event=HUBSPOT_CHANGE_APPLIED,
        data={
            "change_id": change.pk,
            "connection_id": change.connection_id,
            "hubspot_page_id": change.hubspot_page_id,
            "page_url": change.page_url,
            "field": change.field,
            "rollback_of": change.rollback_of_id,
            "applied_at": change.created_at.isoformat(),
        },
    )


def _change_record(*, change: HubSpotChange, status: str, error: str = "") -> None:
    HUBSPOT_CHANGE.move(change, target=status)
    change.error = error
    row_save(change)


def hubspot_change_rollback(*, change_id: int, user: Auth0User) -> HubSpotChange:
    """Restore the value an applied change replaced; the new change that restores it.

    404 when there is no such change, the connection ownership errors, 400 when the change is
    not applied, 409 when the page changed in HubSpot since the change.
    """
    change = HubSpotChange.objects.filter(pk=change_id).first()
    if change is None:
        raise ApiError(catalog.HUBSPOT_CHANGE_NOT_FOUND)
    connection_for_owner(provider=Provider.HUBSPOT, connection_id=change.connection_id, user=user)
    return hubspot_change_revert(change=change)


def hubspot_change_revert(*, change: HubSpotChange) -> HubSpotChange:
    """Roll back `change` whoever asks (the owner's request, or staff in the admin)."""
    lock = _PageAddress.of_change(change).lock()
    try:
        with lock:
            return _change_revert(change)
    except NamedLockTimeoutError:
        raise ApiError(catalog.PROVIDER_UNAVAILABLE, provider_name=Provider.HUBSPOT.label) from None


def _unchanged_since(*, change: HubSpotChange, current: CmsPage) -> bool:
    """True when nobody but us wrote the page since `change`, and its field is still ours.

    HubSpot's `updatedAt` must be one that a write of ours left (this change's or a later
    one's on the same page), so no edit was made in HubSpot since; and the field must still
    hold the change's value, so no later change of ours replaced it (roll that back first).
    """
    ours = HubSpotChange.objects.filter(
        connection_id=change.connection_id,
        page_type=change.page_type,
        hubspot_page_id=change.hubspot_page_id,
        hubspot_updated_at=current.updated_at,
        pk__gte=change.pk,
    ).exists()
    return ours and getattr(current, change.field) == change.after


def _change_revert(change: HubSpotChange) -> HubSpotChange:
    # Read again under the lock: a concurrent rollback of the same change may have won.
    change.refresh_from_db()
    if change.status != HubSpotChange.Status.APPLIED:
        raise ApiError(catalog.HUBSPOT_CHANGE_NOT_APPLIED)
    address = _PageAddress.of_change(change)
    try:
        current = address.read()
    except CmsPageMissingError:
        raise ApiError(catalog.HUBSPOT_PAGE_CHANGED_SINCE_CHANGE) from None
    if not _unchanged_since(change=change, current=current):
        raise ApiError(catalog.HUBSPOT_PAGE_CHANGED_SINCE_CHANGE)
    restoring = address.change(
        audit_id=change.audit_id,
        page_id=change.page_id,
        page_url=change.page_url,
        field=change.field,
        before=getattr(current, change.field),
        after=change.before,
        rollback_of=change,
    )
    try:
        written = _change_write(restoring)
    except CmsPageMissingError:
        raise ApiError(catalog.HUBSPOT_PAGE_CHANGED_SINCE_CHANGE) from None
    except CmsWriteRefusedError:
        raise ApiError(catalog.PROVIDER_UNAVAILABLE, provider_name=Provider.HUBSPOT.label) from None
    restoring.hubspot_updated_at = written.updated_at
    with transaction.atomic():
        _change_record(change=restoring, status=HubSpotChange.Status.APPLIED)
        _change_record(change=change, status=HubSpotChange.Status.ROLLED_BACK)
        page = HubSpotPage.objects.filter(pk=change.page_id).first()
        if page is not None:
            _page_store(page=page, written=written)
        _applied_notify(change=restoring, audit=change.audit)
    logger.info(
        "hubspot_change_rolled_back",
        extra={"change_id": change.pk, "new_change_id": restoring.pk},
    )
    return restoring
