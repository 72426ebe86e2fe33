"""One service definition, two drivers (backend/services/plan.py): what a counter sees does
not depend on whether its call ran on the event loop or in a worker thread."""

from __future__ import annotations

import asyncio
import threading
import time

from backend_helpers import Client, World, create_request, login, payload, sign
from sqlalchemy.orm import Session

from backend.context import Backend
from backend.errors import UnknownReferenceError
from backend.services import checks, plan, sessions, validations
from backend.storage.prepared import reading
from backend.storage.tables import ProxyRequest
from backend.storage.validations import stored_answer


def test_a_validation_abandoned_while_writing_can_be_sent_again(
    client: Client, world: World, backend: Backend
) -> None:
    """A counter whose connection dropped while its validation waited for the writer sends
    it again: it is accepted (not refused as still in flight), once."""
    reference = create_request(backend)
    bearer = login(client, world)["Authorization"].removeprefix("Bearer ")
    caller = sessions.authenticate(backend, bearer)
    token = sign(world, payload(world, reference))
    key = checks.unverified_validation_id(token)
    gate, holding = threading.Event(), threading.Event()

    def hold_the_request(session: Session) -> None:  # the writer is busy meanwhile
        session.get(ProxyRequest, reference, with_for_update=True)
        holding.set()
        gate.wait(10)

    holder = threading.Thread(target=backend.writer.run, args=(hold_the_request,))
    holder.start()
    assert holding.wait(10)

    async def abandon_then_resend() -> validations.Outcome:
        first = asyncio.create_task(
            plan.run_async(validations.submit_flow(backend, caller, token, key), backend.writer)
        )
        await asyncio.sleep(0.2)
        first.cancel()
        await asyncio.gather(first, return_exceptions=True)
        gate.set()
        if not backend.writer.reads_inline:
            # PostgreSQL: the abandoned unit goes on in its thread and commits (the group
            # writer of SQLite skips it); resent before that commit, the same validation
            # would meet the request already validated.
            await asyncio.to_thread(_stored_within, backend, key, 10)
        again = validations.submit_flow(backend, caller, token, key)
        return await asyncio.wait_for(plan.run_async(again, backend.writer), 10)

    try:
        outcome = asyncio.run(abandon_then_resend())
    finally:
        gate.set()
        holder.join(10)
    assert outcome.status == 201
    assert outcome.body["status"] == "transmitted"


def _stored_within(backend: Backend, validation_id: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with reading(backend.engine) as db:
            if stored_answer(db, validation_id) is not None:
                return
        time.sleep(0.02)


def test_both_drivers_answer_a_rejection_alike(
    client: Client, world: World, backend: Backend
) -> None:
    """The same refused validation gets the same error in a thread and on the loop."""
    bearer = login(client, world)["Authorization"].removeprefix("Bearer ")
    caller = sessions.authenticate(backend, bearer)
    unknown = sign(world, payload(world, "ZZZZZZ"))
    errors = []
    for attempt in (
        lambda: validations.submit(backend, caller, unknown, None),
        lambda: asyncio.run(
            plan.run_async(validations.submit_flow(backend, caller, unknown, None), backend.writer)
        ),
    ):
        try:
            attempt()
        except UnknownReferenceError as exc:
            errors.append(exc.code)
    assert errors == ["unknown-reference", "unknown-reference"]
