"""One model's lifecycle: which status may follow which, and the two ways a status is written.

An instance the caller holds (read under its row lock, or not saved yet) moves with `move`;
rows that must change only if they are still in a given status, in one statement, move with
`move_rows`: `UPDATE ... SET status = target WHERE ... AND status IN (sources)`, so a claim
made by two workers at once is won by one.
"""

from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from types import MappingProxyType

from django.db import models

# The source of a row that is not saved yet.
NEW = None


class IllegalMoveError(RuntimeError):
    """A status change its model's lifecycle does not allow: a bug in the caller, not input."""


@dataclass(frozen=True)
class Lifecycle:
    """The allowed moves of `model.status`: `moves[source]` is the set of statuses it may take."""

    model: type[models.Model]
    moves: Mapping[str | None, AbstractSet[str]]

    def __post_init__(self) -> None:
        frozen = {source: frozenset(targets) for source, targets in self.moves.items()}
        object.__setattr__(self, "moves", MappingProxyType(frozen))

    def allows(self, *, source: str | None, target: str) -> bool:
        return target in self.moves.get(source, frozenset())

    def sources(self, *, target: str) -> tuple[str, ...]:
        """Every saved status that may move to `target`."""
        return tuple(
            source
            for source, targets in self.moves.items()
            if source is not NEW and target in targets
        )

    def check(self, *, source: str | None, target: str) -> None:
        if not self.allows(source=source, target=target):
            shown = "new" if source is NEW else source
            raise IllegalMoveError(f"{self.model.__name__} may not move from {shown} to {target}")

    def move(self, instance: models.Model, *, target: str) -> None:
        """Set the instance's status to `target`; the caller saves it with what changes with it."""
        source = NEW if instance._state.adding else instance.status
        self.check(source=source, target=target)
        instance.status = target

    def move_rows(
        self,
        rows: models.QuerySet,
        *,
        target: str,
        sources: Iterable[str] | None = None,
        **fields,
    ) -> int:
        """Move the rows still in one of `sources` (all allowed ones by default); how many."""
        sources = tuple(sources) if sources is not None else self.sources(target=target)
        for source in sources:
            self.check(source=source, target=target)
        return rows.filter(status__in=sources).update(status=target, **fields)
