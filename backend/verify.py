"""Server-side verification of every chain and its latest checkpoint (`journal verify`)."""

from __future__ import annotations

from backend import journal_store
from backend.context import Backend
from backend.storage.engine import transaction
from procuration.errors import ProcurationError
from procuration.journal import ChainAnchor, verify_chain, verify_checkpoint

_BATCH = 20_000


def verify_one(backend: Backend, chain: str) -> str:
    """'ok: N entries, ...' or the first problem found."""
    keys = {backend.keys.journal.kid: backend.keys.journal.private.public_key()}
    with transaction(backend.sessions) as session:
        size, _ = journal_store.head(session, chain)
        anchor = ChainAnchor()
        try:
            for first in range(1, size + 1, _BATCH):
                entries = journal_store.entries(session, chain, first, first + _BATCH - 1)
                last, head_hash = verify_chain(entries, anchor)
                anchor = ChainAnchor(last + 1, head_hash)
            latest = journal_store.latest_checkpoint(session, chain)
            if latest is None:
                return f"ok: {size} entries, no checkpoint yet"
            signed = verify_checkpoint(latest.jws, keys)
            if signed.head != journal_store.hash_at(session, chain, signed.size):
                return f"FAILED: checkpoint of size {signed.size} does not match the chain"
        except ProcurationError as exc:
            return f"FAILED: {exc}"
        return f"ok: {size} entries, checkpoint at {signed.size} verified"


def verify_all(backend: Backend) -> dict[str, str]:
    with transaction(backend.sessions) as session:
        chains = sorted(journal_store.chains(session))
    return {chain: verify_one(backend, chain) for chain in chains}
