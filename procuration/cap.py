"""The L73 cap, judged per polling day (Code électoral L73, service-public F1604).

On each polling day a mandataire may hold at most 2 proxies, of which at most 1
established in France. Every proxy of this service is established in France, so here a
second proxy for the same day is void; proxies the roll records through other channels
(`roll_france`, `roll_abroad`, days unknown) count on every day. "Les procurations établies
les premières sont seules valables; la ou les autres sont nulles": proxies are judged in the
order they were established, each against those already held, and a void proxy stays void
(docs/decisions.md "L73 cap").

Who the mandataire is comes from one key everywhere (`backend.storage.names.name_key`, the
roll's folded key): this module only compares the keys it is given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

MAX_PROXIES = 2
MAX_IN_FRANCE = 1
CapReason = Literal["cap-france", "cap-total"]


def breach(
    days: Iterable[date],
    held: Iterable[frozenset[date]],
    *,
    roll_france: int = 0,
    roll_abroad: int = 0,
) -> CapReason | None:
    """Why a new proxy covering `days` would break the cap, given the polling days of each
    proxy its mandataire already holds; None when it fits on every day."""
    held = list(held)
    for day in sorted(days):
        in_france = roll_france + sum(1 for other in held if day in other)
        if in_france >= MAX_IN_FRANCE:
            return "cap-france"
        if in_france + roll_abroad >= MAX_PROXIES:
            return "cap-total"
    return None


@dataclass(frozen=True)
class Event:
    """A proxy established (`cancel=False`) or cancelled, in the order things happened."""

    proxy: str
    holder: str
    days: frozenset[date]
    cancel: bool = False


def replay(events: Sequence[Event]) -> dict[str, CapReason | None]:
    """The verdict of every proxy established in `events`: None (held) or why it is void.

    A cancellation frees its proxy's days for the proxies established after it; it does
    not bring back one already void (L73: void "de plein droit")."""
    verdicts: dict[str, CapReason | None] = {}
    holding: dict[str, dict[str, frozenset[date]]] = {}
    for event in events:
        held = holding.setdefault(event.holder, {})
        if event.cancel:
            held.pop(event.proxy, None)
            continue
        reason = breach(event.days, held.values())
        verdicts[event.proxy] = reason
        if reason is None:
            held[event.proxy] = event.days
    return verdicts
