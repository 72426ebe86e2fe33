"""Everything a service needs, built once per process (or per test) and passed explicitly."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from backend.config import Settings
from backend.keys import KeyRing, load_keys
from backend.mailer import FileMailer, Mailer, SmtpMailer, private_dir
from backend.storage.engine import make_engine, migrate, reader_factory, session_factory
from backend.storage.writer import Writer, make_writer
from procuration import timeutil

Clock = Callable[[], datetime]


class InFlight:
    """Idempotency keys being processed right now in this process, to answer a concurrent
    retry with 409. A retry reaching another worker process waits for the write lock
    instead and gets the stored answer (docs/backend.md)."""

    def __init__(self) -> None:
        self._keys: set[str] = set()
        self._lock = threading.Lock()

    def enter(self, key: str) -> bool:
        with self._lock:
            if key in self._keys:
                return False
            self._keys.add(key)
            return True

    def leave(self, key: str) -> None:
        with self._lock:
            self._keys.discard(key)


@dataclass
class Backend:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    readers: sessionmaker[Session]
    keys: KeyRing
    mailer: Mailer
    clock: Clock = timeutil.now
    in_flight: InFlight = field(default_factory=InFlight)
    monotonic: Callable[[], float] = time.monotonic
    # The hot writes (validations, lookup journal entries, register checks, session touches)
    # go through here: grouped into one commit per batch on SQLite (backend/storage/writer.py).
    writer: Writer = field(init=False)

    def __post_init__(self) -> None:
        self.writer = make_writer(self.sessions, self.engine.url)

    def now(self) -> datetime:
        return self.clock().replace(microsecond=0)

    def close(self) -> None:
        self.writer.close()
        self.engine.dispose()


def open_backend(settings: Settings, clock: Clock | None = None) -> Backend:
    """Creates the data directory, opens and migrates the database, loads or makes keys."""
    private_dir(settings.data_dir)  # database, mails and QR images: owner-only (0700)
    engine = make_engine(settings.database_url())
    migrate(engine)
    mailer: Mailer
    if settings.smtp_host:
        mailer = SmtpMailer(settings.smtp_host, settings.smtp_port)
    else:
        mailer = FileMailer(settings.data_dir / "outbox-mail")
    return Backend(
        settings=settings,
        engine=engine,
        sessions=session_factory(engine),
        readers=reader_factory(engine),
        keys=load_keys(settings),
        mailer=mailer,
        clock=clock or timeutil.now,
    )
