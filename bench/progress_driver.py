"""Stand in for crawl workers: move N running audits' progress every few seconds.

usage (Django settings in the environment): progress_driver.py SETUP COUNT | RUN INTERVAL.
`setup` creates COUNT running audits of the bench user and prints their ids; `run` records a
page of progress on each of them every INTERVAL seconds until stopped, through the same step
a crawl calls (which publishes the frame on Redis).
"""

import sys
import time

import django

django.setup()

from django.utils import timezone  # noqa: E402

from reports.audit_run_steps import audit_run_progress  # noqa: E402
from reports.models import Audit  # noqa: E402

BENCH_SUB = "auth0|bench-streams"
MAX_PAGES = 1000


def setup(count: int) -> None:
    Audit.objects.filter(owner_user_id=BENCH_SUB).delete()
    now = timezone.now()
    audits = Audit.objects.bulk_create(
        Audit(
            url=f"https://site{i}.example.com/",
            status=Audit.Status.RUNNING,
            owner_user_id=BENCH_SUB,
            run_generation=1,
            run_requested_at=now,
            max_pages=MAX_PAGES,
        )
        for i in range(count)
    )
    print(" ".join(str(audit.pk) for audit in audits))


def run(interval: float) -> None:
    audits = list(Audit.objects.filter(owner_user_id=BENCH_SUB).values_list("pk", flat=True))
    pages = 0
    while True:
        pages = (pages + 1) % (MAX_PAGES - 1)
        started = time.monotonic()
        for audit_id in audits:
            audit_run_progress(audit_id=audit_id, generation=1, pages=pages, max_pages=MAX_PAGES)
        time.sleep(max(0.0, interval - (time.monotonic() - started)))


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        setup(int(sys.argv[2]))
    else:
        run(float(sys.argv[2]))
