from celery import shared_task

from accounts.usage_flush import usage_flush


@shared_task
def usage_flush_task() -> int:
    """Write the counted Geog usage to the database (run every minute by beat)."""
    return usage_flush()
