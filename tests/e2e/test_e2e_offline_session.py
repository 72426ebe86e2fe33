"""Issue 13 against the real backend: killed in the middle of a shift, the officer logs
out, logs in again offline, validates a signed QR code; back, one online login sends it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from desktop.services.counter import Counter
from desktop.services.errors import OfflineError
from desktop.services.offline import OfflineLoginError
from desktop.services.ports import DeliveryState, LookupSource

from .conftest import World
from .harness import PASSWORD, BackendServer, qr_text_of, validate


def test_backend_killed_logout_login_offline_then_delivered_after_the_next_online_login(
    world: World, backend: BackendServer, officer_at_counter: Callable[[str], Counter]
) -> None:
    counter = officer_at_counter("OPJ001")
    reference = world.reference()
    scanned = qr_text_of(world.data_dir, reference)
    backend.stop()
    counter.logout()  # the session token is gone: only the offline login is left

    with pytest.raises(OfflineLoginError):
        counter.login("OPJ001", "not the password")
    counter.login("OPJ001", PASSWORD)
    assert counter.offline_session()
    with pytest.raises(OfflineError):
        counter.lookup(world.reference())
    lookup, outcome = validate(counter, scanned)
    assert lookup.source is LookupSource.SIGNED_QR
    assert outcome.state is DeliveryState.PENDING

    backend.start()
    counter.login("OPJ001", PASSWORD)
    assert not counter.offline_session()
    deadline = 30
    while counter.pending_count() and deadline:
        counter.flush_outbox()
        deadline -= 1
    assert counter.pending_count() == 0
    assert [(i.reference, i.state) for i in counter.today()] == [
        (reference, DeliveryState.TRANSMITTED)
    ]
