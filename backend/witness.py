"""Checkpoints kept outside the database: the witness file.

A database owner can drop the insert-only guards, delete checkpoints and entries and
rewrite a chain so that it verifies again. What they cannot reach is a checkpoint copied
elsewhere: `journal witness export` writes the latest signed checkpoint of every chain to a
file (kept on another machine, or printed and filed), and `journal witness verify` checks
that the database still extends each of them. The server also keeps its own witness,
`data_dir/witness.json`, written at each signing and read before the next one: it refuses
to sign a chain that no longer extends what it signed before (useful when the database is
a separate PostgreSQL server whose owner cannot write the backend's data directory).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy.orm import Session

from backend.context import Backend
from backend.errors import AppError
from backend.storage import journal_store
from backend.storage.engine import transaction
from procuration import timeutil
from procuration.errors import ProcurationError
from procuration.journal import verify_checkpoint

FORMAT = "guichet-maprocuration/witness/v1"
LOCAL_NAME = "witness.json"


class WitnessFileError(AppError):
    """An operator's problem (the CLI prints it on one line): the generic `internal` code."""

    title = "Witness file unusable"


def read(path: Path) -> dict[str, str]:
    """chain -> checkpoint token; an absent file is an empty witness."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise WitnessFileError(f"{path} is not a witness file") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise WitnessFileError(f"{path} is not a witness file ({FORMAT})")
    found = data.get("checkpoints")
    if not isinstance(found, dict):
        raise WitnessFileError(f"{path} has no checkpoints")
    return {str(chain): str(token) for chain, token in found.items()}


def write(path: Path, checkpoints: Mapping[str, str], exported_at: str) -> None:
    """Atomically (a crash leaves the old file or the new one, never half of one)."""
    body = {"format": FORMAT, "exported_at": exported_at, "checkpoints": dict(checkpoints)}
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_text(json.dumps(body, indent=1, sort_keys=True) + "\n", "utf-8")
    os.replace(partial, path)


def local_path(backend: Backend) -> Path:
    return backend.settings.data_dir / LOCAL_NAME


def remember(backend: Backend, signed: Mapping[str, str]) -> None:
    """Adds freshly signed checkpoints to the server's own witness."""
    if not signed:
        return
    path = local_path(backend)
    write(path, {**read(path), **signed}, timeutil.to_wire(backend.now()))


def export(backend: Backend, path: Path) -> int:
    """Writes the latest checkpoint of every chain to `path`; how many chains."""
    with transaction(backend.sessions) as session:
        latest = {
            chain: found.jws
            for chain in journal_store.chains(session)
            if (found := journal_store.latest_checkpoint(session, chain)) is not None
        }
    write(path, latest, timeutil.to_wire(backend.now()))
    return len(latest)


def _check_one(backend: Backend, session: Session, chain: str, token: str) -> str:
    keys = {backend.keys.journal.kid: backend.keys.journal.private.public_key()}
    try:
        seen = verify_checkpoint(token, keys)
    except ProcurationError as exc:
        return f"FAILED: the witness checkpoint does not verify ({exc})"
    if seen.journal != chain:
        return f"FAILED: the witness holds a checkpoint of {seen.journal} under {chain}"
    size, _ = journal_store.head(session, chain)
    if size < seen.size:
        return f"FAILED: rolled back to {size} entries, {seen.size} were signed at {seen.at}"
    if journal_store.hash_at(session, chain, seen.size) != seen.head:
        return f"FAILED: rewritten below entry {seen.size}, signed at {seen.at}"
    return f"ok: extends the {seen.size} entries signed at {seen.at}"


def check(backend: Backend, path: Path) -> dict[str, str]:
    """chain -> 'ok: ...' or 'FAILED: ...' for every chain the witness file holds."""
    witnessed = read(path)
    if not witnessed:
        raise WitnessFileError(f"{path} holds no checkpoint")
    return check_tokens(backend, witnessed)


def check_tokens(backend: Backend, witnessed: Mapping[str, str]) -> dict[str, str]:
    with transaction(backend.sessions) as session:
        return {
            chain: _check_one(backend, session, chain, token)
            for chain, token in sorted(witnessed.items())
        }
