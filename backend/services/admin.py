"""Administration (CLI only): stations, communes, officers, habilitations, devices, roll."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from backend.context import Backend
from backend.errors import BadRequestError, ConflictError, NotFoundError
from backend.services.auth import hash_password
from backend.storage import journal_store
from backend.storage.engine import transaction
from backend.storage.names import name_key
from backend.storage.tables import CommuneRow, Device, Elector, Officer, Station
from procuration import timeutil
from procuration.models import Role
from procuration.wire import JournalKind

INSEE = re.compile(r"\d{5}|2[AB]\d{3}")
ROLL_COLUMNS = ("insee", "birth_name", "first_names", "birth_date")


@dataclass(frozen=True)
class NewOfficer:
    matricule: str
    name: str
    grade: str
    role: Role
    password: str
    station: str | None = None
    commune_insee: str | None = None
    # An argon2id hash of `password` computed once for several officers (demo seeding).
    password_hash: str | None = None


def add_station(backend: Backend, code: str, name: str) -> None:
    with transaction(backend.sessions) as session:
        if session.get(Station, code) is None:
            session.add(Station(code=code, name=name))


def add_commune(backend: Backend, insee: str, name: str, *, email: str | None = None) -> None:
    """Adds a commune; adding it again only sets the mairie's address, when given."""
    with transaction(backend.sessions) as session:
        found = session.get(CommuneRow, insee)
        if found is None:
            session.add(CommuneRow(insee=insee, name=name, email=email))
        elif email is not None:
            found.email = email


def add_officer(backend: Backend, new: NewOfficer) -> None:
    with transaction(backend.sessions) as session:
        if session.get(Officer, new.matricule) is not None:
            raise ConflictError(f"officer {new.matricule} already exists")
        if new.station is not None and session.get(Station, new.station) is None:
            raise BadRequestError(f"unknown station {new.station}")
        session.add(
            Officer(
                matricule=new.matricule,
                name=new.name,
                grade=new.grade,
                role=new.role.value,
                station=new.station,
                commune_insee=new.commune_insee,
                password_hash=new.password_hash or hash_password(new.password),
            )
        )
        session.flush()
        journal_store.append(
            session,
            at=backend.now(),
            kind=JournalKind.OFFICER_ADDED,
            station=new.station,
            actor=new.matricule,
            detail={"role": new.role},
        )


def habilitate(backend: Backend, matricule: str, start: str, end: str, judge: str) -> None:
    """Records the judge's designation; dates are local days, both included."""
    if not (len(start) == len(end) == 10 and start <= end):
        raise BadRequestError("habilitation dates must be YYYY-MM-DD, start <= end")
    with transaction(backend.sessions) as session:
        officer = session.get(Officer, matricule)
        if officer is None:
            raise NotFoundError(f"unknown officer {matricule}")
        if officer.role not in (Role.OPJ, Role.APJ):
            raise BadRequestError("only OPJ and APJ can be habilitated")
        officer.habilitation_from, officer.habilitation_until = start, end
        officer.judge_reference = judge
        journal_store.append(
            session,
            at=backend.now(),
            kind=JournalKind.OFFICER_HABILITATED,
            station=officer.station,
            actor=matricule,
            detail={"from": start, "until": end},
        )


def revoke_device(backend: Backend, kid: str) -> None:
    now = backend.now()
    with transaction(backend.sessions) as session:
        device = session.get(Device, kid)
        if device is None:
            raise NotFoundError(f"unknown device {kid}")
        if device.revoked_at is None:
            device.revoked_at = timeutil.to_wire(now)
            officer = session.get(Officer, device.matricule)
            journal_store.append(
                session,
                at=now,
                kind=JournalKind.DEVICE_REVOKED,
                station=officer.station if officer else None,
                actor=device.matricule,
                detail={"kid": kid},
            )


def add_electors(backend: Backend, rows: Iterable[Mapping[str, str | None]]) -> int:
    """Loads roll lines: insee, birth_name, first_names, birth_date[, proxies_*]."""
    count = 0
    with transaction(backend.sessions) as session:
        for row in rows:
            if not all(row.get(column) for column in ROLL_COLUMNS):
                raise BadRequestError(f"roll line {count + 1} lacks one of {ROLL_COLUMNS}")
            session.add(
                Elector(
                    insee=str(row["insee"]),
                    birth_name=str(row["birth_name"]),
                    first_names=str(row["first_names"]),
                    birth_date=str(row["birth_date"]),
                    name_key=name_key(
                        str(row["birth_name"]), str(row["first_names"]), str(row["birth_date"])
                    ),
                    proxies_france=int(row.get("proxies_france") or 0),
                    proxies_abroad=int(row.get("proxies_abroad") or 0),
                )
            )
            count += 1
    return count
