"""The mandant's own requests and proxies, for the voter portal's "Mes procurations": found
by the civil identity the identity provider certified (birth name, first names, birth date,
exactly as its claims give them), never by anything the voter typed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from backend.context import Backend
from backend.storage import mandant as store
from backend.storage.engine import transaction
from backend.storage.tables import ProxyRequest


@dataclass(frozen=True)
class OwnRequest:
    reference: str
    status: str
    reason: str | None
    created_at: str
    expires_at: str
    commune: str
    scope: dict[str, Any]
    mandataire: str
    online: bool  # established without a counter (a certified identity)
    kind: str = "proxy"  # or "resiliation": the mandant's request to cancel `cancels`
    cancels: str | None = None


def _item(row: ProxyRequest, commune: str | None) -> OwnRequest:
    return OwnRequest(
        reference=row.reference,
        status=row.status,
        reason=row.status_reason,
        created_at=row.created_at,
        expires_at=row.expires_at,
        commune=commune or row.commune_insee,
        scope=json.loads(row.scope_json),
        mandataire=f"{row.mandataire_first_names or ''} {row.mandataire_birth_name or ''}".strip(),
        online=row.validated_at is not None and row.validated_station is None,
        kind=row.kind,
        cancels=row.cancels,
    )


def own_requests(
    backend: Backend, identity: dict[str, Any], reference: str | None = None
) -> list[OwnRequest]:
    """The mandant's requests, newest first (only `reference` when given)."""
    with transaction(backend.sessions) as session:
        return [_item(row, name) for row, name in store.own_rows(session, identity, reference)]
