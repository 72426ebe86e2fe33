"""Who an API call (or an administration command) acts as."""

from __future__ import annotations

from dataclasses import dataclass

from backend.storage.tables import Officer


@dataclass(frozen=True)
class Caller:
    """The account behind a session, read once per call: a plain value, not an ORM row, so
    the session check costs one query and no ORM bookkeeping."""

    matricule: str
    name: str
    grade: str
    role: str
    station: str | None
    commune_insee: str | None
    habilitation_from: str | None
    habilitation_until: str | None
    # The enrolled device of the session (None outside an API session): recorded with what
    # the session delivers, e.g. a colleague's offline validation.
    kid: str | None = None

    @classmethod
    def of(cls, officer: Officer) -> Caller:
        return cls(
            officer.matricule,
            officer.name,
            officer.grade,
            officer.role,
            officer.station,
            officer.commune_insee,
            officer.habilitation_from,
            officer.habilitation_until,
        )
