"""Each lifecycle table: every move it allows works, every other one raises, on an instance
and on rows alike; and a model's default status is one a new row may start in."""

import pytest
from django.db import models

from github_fixes.states import FIX_PULL_REQUEST
from hubspot_cms.states import HUBSPOT_CHANGE
from lifecycles.lifecycle import NEW, IllegalMoveError, Lifecycle
from notifications.states import WEBHOOK_DELIVERY
from reports.models import Audit, AuditRun, PdfJob
from reports.states import AUDIT, AUDIT_RUN, PDF_JOB
from tests.reports.factories import AuditFactory, AuditRunFactory, PdfJobFactory

LIFECYCLES = [AUDIT, AUDIT_RUN, PDF_JOB, FIX_PULL_REQUEST, HUBSPOT_CHANGE, WEBHOOK_DELIVERY]
ROW_LIFECYCLES = [AUDIT, AUDIT_RUN, PDF_JOB]


def _statuses(lifecycle: Lifecycle) -> list[str]:
    return list(lifecycle.model.Status.values)


def _moves(lifecycles, *, allowed: bool, new: bool = True) -> list:
    sources = [NEW] if new else []
    return [
        pytest.param(lifecycle, source, target, id=f"{lifecycle.model.__name__}-{source}-{target}")
        for lifecycle in lifecycles
        for source in sources + _statuses(lifecycle)
        for target in _statuses(lifecycle)
        if lifecycle.allows(source=source, target=target) == allowed
    ]


def _instance(lifecycle: Lifecycle, source: str | None) -> models.Model:
    instance = lifecycle.model()
    if source is not NEW:
        instance._state.adding = False
        instance.status = source
    return instance


ROW_FACTORIES = {Audit: AuditFactory, AuditRun: AuditRunFactory, PdfJob: PdfJobFactory}


def _row(lifecycle: Lifecycle, status: str) -> models.Model:
    return ROW_FACTORIES[lifecycle.model](status=status)


@pytest.mark.parametrize("lifecycle", LIFECYCLES, ids=lambda lc: lc.model.__name__)
def test_the_table_names_every_status_and_a_default_a_new_row_may_take(lifecycle):
    assert set(lifecycle.moves) == {NEW, *_statuses(lifecycle)}
    for targets in lifecycle.moves.values():
        assert targets <= set(_statuses(lifecycle))
    default = lifecycle.model._meta.get_field("status").default
    if default is not models.NOT_PROVIDED:
        assert lifecycle.allows(source=NEW, target=default)


@pytest.mark.parametrize(("lifecycle", "source", "target"), _moves(LIFECYCLES, allowed=True))
def test_an_allowed_move_sets_the_status(lifecycle, source, target):
    instance = _instance(lifecycle, source)
    lifecycle.move(instance, target=target)
    assert instance.status == target


@pytest.mark.parametrize(("lifecycle", "source", "target"), _moves(LIFECYCLES, allowed=False))
def test_a_move_the_table_does_not_allow_raises_and_leaves_the_status(lifecycle, source, target):
    instance = _instance(lifecycle, source)
    before = instance.status
    with pytest.raises(IllegalMoveError, match=f"{lifecycle.model.__name__} may not move"):
        lifecycle.move(instance, target=target)
    assert instance.status == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lifecycle", "source", "target"), _moves(ROW_LIFECYCLES, allowed=True, new=False)
)
def test_an_allowed_move_of_rows_updates_only_the_rows_in_its_sources(lifecycle, source, target):
    moving = _row(lifecycle, source)
    others = [_row(lifecycle, status) for status in _statuses(lifecycle) if status != source]
    rows = lifecycle.model.objects.all()
    assert lifecycle.move_rows(rows, sources=[source], target=target, error="moved") == 1
    moving.refresh_from_db()
    assert (moving.status, moving.error) == (target, "moved")
    for other in others:
        status = other.status
        other.refresh_from_db()
        assert (other.status, other.error) == (status, "")


@pytest.mark.parametrize(
    ("lifecycle", "source", "target"), _moves(ROW_LIFECYCLES, allowed=False, new=False)
)
def test_a_move_of_rows_the_table_does_not_allow_raises_before_any_query(lifecycle, source, target):
    with pytest.raises(IllegalMoveError):
        lifecycle.move_rows(lifecycle.model.objects.none(), sources=[source], target=target)


@pytest.mark.django_db
def test_rows_move_by_default_from_every_status_allowed_to_reach_the_target():
    rows = {status: _row(PDF_JOB, status) for status in PdfJob.Status}
    assert set(PDF_JOB.sources(target=PdfJob.Status.FAILED)) == {
        PdfJob.Status.QUEUED,
        PdfJob.Status.RUNNING,
        PdfJob.Status.FAILED,
    }
    assert PDF_JOB.move_rows(PdfJob.objects.all(), target=PdfJob.Status.FAILED) == 3
    statuses = {row.pk: row.status for row in PdfJob.objects.all()}
    assert statuses[rows[PdfJob.Status.COMPLETED].pk] == PdfJob.Status.COMPLETED
    assert list(statuses.values()).count(PdfJob.Status.FAILED) == 3
