"""A service call in two halves around its one write: what was read decides the unit of work
the writer must commit, and what to answer once it did.

The same plan runs in a worker thread (`run`: the writer blocks the thread) or on the event
loop (`run_async`: only the writer's commit is awaited). The hot routes use the second on
SQLite, where the reads take microseconds: no trip to the thread pool, whose hand-offs
under the GIL cost more than the reads (backend/api/routes_counter.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

from backend.storage.writer import Writer

T = TypeVar("T")


@dataclass(frozen=True)
class Plan(Generic[T]):
    """`unit` (None: nothing to write) runs in the writer; `then` turns what it returned
    into the answer, or raises."""

    unit: Callable[[Session], Any] | None
    then: Callable[[Any], T]

    @classmethod
    def answer(cls, value: T) -> Plan[T]:
        """A plan that writes nothing."""
        return cls(None, lambda _written: value)

    def run(self, writer: Writer) -> T:
        return self.then(writer.run(self.unit) if self.unit is not None else None)

    async def run_async(self, writer: Writer) -> T:
        return self.then(await writer.run_async(self.unit) if self.unit is not None else None)
