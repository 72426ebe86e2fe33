"""The PC's enrolments: which server it is enrolled to and which device keys it holds.

The backend enrols a key to one officer (the single-use code is issued per matricule), so a
counter PC shared by several officers holds one key per officer. The public part of this
record (key ids, owners once known, server URL) is on disk; the private keys are in the vault.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from desktop.services.errors import StorageError
from desktop.services.paths import write_private_file


class Enrolment(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kid: str
    label: str
    enrolled_at: str
    matricule: str | None = None  # learnt at the first successful login with this key


class DeviceRecord(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    server_url: str
    ca_file: str | None = None
    enrolments: tuple[Enrolment, ...] = ()

    def kids_for(self, matricule: str) -> list[str]:
        """The key of this officer if known, else the keys whose owner is not yet known."""
        own = [e.kid for e in self.enrolments if e.matricule == matricule]
        return own or [e.kid for e in reversed(self.enrolments) if e.matricule is None]


class DeviceStore:
    """device.json, read once: every lookup and connection check asks for the record, and
    only this store writes it (enrolment, an officer's first login), which refreshes the
    copy. A record written by another process is seen by the next client started."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._record: DeviceRecord | None = None
        self._read = False

    def load(self) -> DeviceRecord | None:
        if not self._read:
            self._record = self._read_file()
            self._read = True
        return self._record

    def _read_file(self) -> DeviceRecord | None:
        try:
            return DeviceRecord.model_validate_json(self._path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValidationError) as exc:
            raise StorageError(f"unreadable device record: {type(exc).__name__}") from exc

    def save(self, record: DeviceRecord) -> None:
        self._read = False  # a failed write leaves the file, and the next load, as it was
        write_private_file(self._path, json.dumps(record.model_dump(), indent=1).encode())
        self._record, self._read = record, True

    def add(self, server_url: str, ca_file: str | None, enrolment: Enrolment) -> DeviceRecord:
        """Records a new key; enrolling to another server starts a new record."""
        current = self.load()
        kept = current.enrolments if current and current.server_url == server_url else ()
        record = DeviceRecord(server_url=server_url, ca_file=ca_file, enrolments=(*kept, enrolment))
        self.save(record)
        return record

    def set_owner(self, kid: str, matricule: str) -> None:
        record = self.load()
        if record is None:
            return
        enrolments = tuple(
            e.model_copy(update={"matricule": matricule}) if e.kid == kid else e
            for e in record.enrolments
        )
        if enrolments != record.enrolments:
            self.save(record.model_copy(update={"enrolments": enrolments}))
