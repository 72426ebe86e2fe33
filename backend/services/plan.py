"""A service call written once, run in a worker thread or on the event loop.

A hot service (session check, lookup, validation) is a generator, a *flow*: it reads, then
yields each step that must happen elsewhere — a `Write` (a unit of work for the writer,
backend/storage/writer.py) or a `Blocking` call (a mail to deliver) — and receives what the
step returned, or its exception raised at the `yield`; it returns the answer. A driver runs
it where the caller is:

- `run` in a worker thread: the writer blocks the thread, a blocking call runs in it;
- `run_async` on the event loop: only the writer's commit is awaited, a blocking call goes
  to a thread. The hot routes use it on SQLite, where the reads take microseconds: no trip
  to the thread pool, whose hand-offs under the GIL cost more than the reads
  (backend/api/routes_counter.py).

So the checks, the retries and the guards (`with`, `try`) of a service are written once,
as plain code, for both paths. A `Plan` is the older form of a flow with at most one write
(`yield from plan` runs it inside a flow).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

from backend.storage.writer import Writer

T = TypeVar("T")


@dataclass(frozen=True)
class Write:
    """A unit of work for the writer; the flow receives what it returned once committed."""

    unit: Callable[[Session], Any]


@dataclass(frozen=True)
class Blocking:
    """A call that may block (SMTP, disk): never run on the event loop."""

    call: Callable[[], Any]


Step = Write | Blocking
Flow = Generator[Step, Any, T]


def run(flow: Flow[T], writer: Writer) -> T:
    """Runs `flow` in the calling thread, waiting for each step."""
    sent: Any = None
    error: BaseException | None = None
    while True:
        try:
            step = flow.send(sent) if error is None else flow.throw(error)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        sent, error = None, None
        try:
            sent = writer.run(step.unit) if isinstance(step, Write) else step.call()
        except BaseException as exc:  # raised inside the flow, at its `yield`
            error = exc


async def run_async(flow: Flow[T], writer: Writer) -> T:
    """Runs `flow` on the event loop, awaiting each step (a cancellation reaches the flow
    at its `yield`, so its `with` and `finally` blocks run)."""
    sent: Any = None
    error: BaseException | None = None
    while True:
        try:
            step = flow.send(sent) if error is None else flow.throw(error)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        sent, error = None, None
        try:
            if isinstance(step, Write):
                sent = await writer.run_async(step.unit)
            else:
                sent = await asyncio.to_thread(step.call)
        except BaseException as exc:  # raised inside the flow, at its `yield`
            error = exc


@dataclass(frozen=True)
class Plan(Generic[T]):
    """What was read decides the one unit of work the writer must commit (`unit`, None:
    nothing to write); `then` turns what it returned into the answer, or raises."""

    unit: Callable[[Session], Any] | None
    then: Callable[[Any], T]

    @classmethod
    def answer(cls, value: T) -> Plan[T]:
        """A plan that writes nothing."""
        return cls(None, lambda _written: value)

    def __iter__(self) -> Flow[T]:
        written = (yield Write(self.unit)) if self.unit is not None else None
        return self.then(written)

    def run(self, writer: Writer) -> T:
        return self.then(writer.run(self.unit) if self.unit is not None else None)

    async def run_async(self, writer: Writer) -> T:
        return self.then(await writer.run_async(self.unit) if self.unit is not None else None)
