"""The usage flush: counts moved from the live tally into `UsageDay`, exactly once.

`rate_limits.tallies` explains the steps: claim (an atomic rename in Redis), write, forget.
Here is the write. Each batch is written in one transaction that first records the batch id
(`UsageFlush`, unique) and then adds the counts to their rows. A batch whose id is already
recorded was written by an earlier flush that stopped before forgetting it: it is only
forgotten. Two flushes writing the same batch at once meet on the unique id: the second
one's transaction fails and adds nothing.
"""

import logging
from collections import defaultdict
from datetime import date, timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.models import UsageFlush
from accounts.usage_counting import usage_field_parse
from rate_limits.tallies import (
    tally_batch_forget,
    tally_batch_read,
    tally_batches_claim,
    tally_in_process,
)

logger = logging.getLogger(__name__)

_EPOCH = date(1970, 1, 1)

# Records of forgotten batches are kept a while for the operator, then dropped.
FLUSH_RECORD_DAYS = 7


# PostgreSQL and SQLite (3.24 on) both add to an existing row in one statement.
_ROWS_ADD_SQL = (
    "INSERT INTO accounts_usageday (organization_id, token_id, family, day, count) "
    "VALUES (%s, %s, %s, %s, %s) "
    "ON CONFLICT (organization_id, token_id, family, day) "
    "DO UPDATE SET count = accounts_usageday.count + excluded.count"
)


def usage_flush() -> int:
    """Write every pending batch of counted usage to the database; the batches written."""
    pending = tally_batches_claim()
    written = 0
    for batch_id in pending:
        counts = tally_batch_read(batch_id)
        if _batch_write(batch_id=batch_id, counts=counts):
            written += 1
        # Only after the commit: a crash before this line leaves the batch to the next flush.
        tally_batch_forget(batch_id)
    UsageFlush.objects.filter(
        flushed_at__lt=timezone.now() - timedelta(days=FLUSH_RECORD_DAYS)
    ).exclude(batch_id__in=pending).delete()
    if written:
        logger.info("geog_usage_flushed", extra={"batches": written})
    return written


def usage_flush_in_process() -> None:
    """Flush first where the counts live in this process (the embedded default's cache)."""
    if tally_in_process():
        usage_flush()


def _batch_write(*, batch_id: str, counts: dict[str, int]) -> bool:
    """Record the batch and add its counts, in one transaction; False if it was recorded."""
    rows: dict[tuple[int, str, str, date], int] = defaultdict(int)
    for field, count in counts.items():
        organization_id, token_id, family, day_number = usage_field_parse(field)
        rows[organization_id, token_id, family, _EPOCH + timedelta(days=day_number)] += count
    try:
        with transaction.atomic():
            record = UsageFlush(batch_id=batch_id)
            record.full_clean(validate_unique=False)
            # First, so that a second writer of the batch waits here and then fails.
            record.save()
            _rows_add(rows)
    except IntegrityError:
        logger.info("geog_usage_batch_already_written", extra={"batch_id": batch_id})
        return False
    return True


def _rows_add(rows: dict[tuple[int, str, str, date], int]) -> None:
    """Add each count to its row, creating the row when it is the first (both databases)."""
    rows = {key: count for key, count in rows.items() if count}
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(_ROWS_ADD_SQL, [(*key, count) for key, count in sorted(rows.items())])
