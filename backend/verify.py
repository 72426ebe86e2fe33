"""Server-side verification of every chain against every one of its checkpoints
(`journal verify`).

Every checkpoint counts, not only the latest: deleting the newer ones must not hide a
rewrite they vouched for. A chain without any checkpoint fails: it may be a chain whose
checkpoints were all deleted, and nothing vouches for it (`journal checkpoint` signs one).
"""

from __future__ import annotations

from collections.abc import Mapping

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy.orm import Session

from backend import witness
from backend.context import Backend
from backend.storage import journal_store
from backend.storage.engine import transaction
from procuration.errors import JournalError, ProcurationError
from procuration.journal import (
    ChainAnchor,
    ContiguousHashes,
    check_covered,
    verify_chain,
    verify_checkpoint,
)
from procuration.models import CheckpointPayload

_BATCH = 20_000


def _signed(
    session: Session, chain: str, keys: Mapping[str, Ed25519PublicKey]
) -> list[CheckpointPayload]:
    """The chain's checkpoints as signed, each row agreeing with its signature."""
    signed = []
    for row in journal_store.checkpoints(session, chain):
        payload = verify_checkpoint(row.jws, keys)
        if (payload.journal, payload.size, payload.head) != (row.chain, row.size, row.head):
            raise JournalError("rewritten", row.size, "a checkpoint row differs from its signature")
        signed.append(payload)
    return sorted(signed, key=lambda payload: payload.size)


def _check_all(session: Session, chain: str, size: int, pending: list[CheckpointPayload]) -> None:
    """Walks the chain once, checking each checkpoint when its entry goes by."""
    anchor = ChainAnchor()
    for first in range(1, size + 1, _BATCH):
        batch = journal_store.entries(session, chain, first, first + _BATCH - 1)
        last, head_hash = verify_chain(batch, anchor)
        hashes = ContiguousHashes(batch, first)
        while pending and pending[0].size <= last:
            check_covered(pending.pop(0), hashes, anchor)
        anchor = ChainAnchor(last + 1, head_hash)
    while pending and pending[0].size == anchor.first_seq - 1:
        check_covered(pending.pop(0), {}, anchor)
    if pending:
        raise JournalError("truncated", size, f"{pending[-1].size} entries were signed")


def verify_one(backend: Backend, chain: str) -> str:
    """'ok: N entries, ...' or 'FAILED: ' and the first problem found."""
    keys = {backend.keys.journal.kid: backend.keys.journal.private.public_key()}
    with transaction(backend.sessions) as session:
        size, _ = journal_store.head(session, chain)
        try:
            signed = _signed(session, chain, keys)
            _check_all(session, chain, size, list(signed))
        except ProcurationError as exc:
            return f"FAILED: {exc}"
    if not signed:
        return f"FAILED: {size} entries and no checkpoint (run `journal checkpoint`)"
    return (
        f"ok: {size} entries, {len(signed)} checkpoints verified, the latest at {signed[-1].size}"
    )


def verify_all(backend: Backend) -> dict[str, str]:
    """Every chain, then the server's own witness (data_dir/witness.json): a newer
    checkpoint deleted from the database is still there."""
    with transaction(backend.sessions) as session:
        chains = sorted(journal_store.chains(session))
    results = {chain: verify_one(backend, chain) for chain in chains}
    seen = witness.check_tokens(backend, witness.read(witness.local_path(backend)))
    for chain, message in seen.items():
        if not message.startswith("ok") and results.get(chain, "ok").startswith("ok"):
            results[chain] = f"{message} (server witness {witness.LOCAL_NAME})"
    return results
