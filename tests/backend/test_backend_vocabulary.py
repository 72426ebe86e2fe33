"""The backend writes the journal in the wire's words only (procuration.wire): the kinds,
and the outcome members a supervisor's client reads (a lookup's status, a refusal's reason,
a rejection's problem code). The client's French labels are keyed on those enums
(tests/ui/test_supervisor_vocabulary.py), so together the two suites fail when a word
reaches a supervisor's screen without a French label."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest
from backend_helpers import (
    PASSWORD,
    Client,
    World,
    create_request,
    login,
    payload,
    post_validation,
    sign,
)
from sqlalchemy import select

from backend.context import Backend
from backend.services import admin, commune, lifecycle, register
from backend.storage import journal_store
from backend.storage.engine import transaction
from backend.storage.tables import JournalRow
from procuration.models import RefusalReason, RequestStatus
from procuration.wire import JournalKind, ProblemCode

BACKEND = Path(__file__).resolve().parents[2] / "backend"
# Where each kind keeps the word the supervisor's table shows as the outcome, and its enum.
OUTCOME_MEMBERS: dict[str, tuple[str, type[Any]]] = {
    JournalKind.REQUEST_LOOKUP: ("status", RequestStatus),
    JournalKind.VALIDATION_REFUSED: ("refusal_reason", RefusalReason),
    JournalKind.VALIDATION_REJECTED: ("reason", ProblemCode),
}


def _journal(backend: Backend) -> list[tuple[str, dict[str, Any]]]:
    with transaction(backend.sessions) as session:
        rows = session.execute(select(JournalRow.kind, JournalRow.detail_json)).all()
        return [(kind, json.loads(detail)) for kind, detail in rows]


def _a_day_at_the_counter(client: Client, world: World, backend: Backend, clock: Any) -> None:
    """Lookups, a validation, a refusal, rejections, the register check, a commune's
    decision, a failed login, a logout, the expiry and purge jobs, a revoked device."""
    validated, refused, _forgotten = (create_request(backend) for _ in range(3))
    headers = login(client, world)
    for reference in (validated, refused, "7K3QZ9"):
        client.get(f"/v1/requests/{reference}", headers=headers)
    post_validation(client, headers, sign(world, payload(world, validated)))
    reason = RefusalReason.DOCUMENT_UNACCEPTABLE.value
    body = payload(world, refused, decision="refused", refusal_reason=reason)
    post_validation(client, headers, sign(world, body))
    post_validation(client, headers, sign(world, payload(world, validated)))  # already done
    post_validation(client, headers, sign(world, payload(world, "7K3QZ9")))  # unknown
    register.run_checks(backend)
    commune.decide(backend, commune.officer_named(backend, "COM004"), validated, True, "")
    kid = world.kid("OPJ005")
    nonce = client.post("/v1/auth/challenge", json={"kid": kid}).json()["nonce"]
    wrong = {"matricule": "OPJ005", "password": PASSWORD + "!", "kid": kid, "nonce": nonce}
    client.post("/v1/auth/login", json={**wrong, "nonce_signature": "AA"})
    client.post("/v1/auth/logout", json={}, headers=headers)
    admin.revoke_device(backend, world.kid("APJ002"))
    clock.advance(days=62)  # `forgotten` expires unvalidated
    lifecycle.run_all(backend)


def test_a_real_day_is_journalled_in_the_wire_vocabulary_only(
    client: Client, world: World, backend: Backend, clock: Any
) -> None:
    _a_day_at_the_counter(client, world, backend, clock)
    written = _journal(backend)
    kinds = {kind for kind, _ in written}
    assert kinds <= set(JournalKind), kinds - set(JournalKind)
    # The flow above really reached the kinds a supervisor reviews.
    assert kinds >= {
        JournalKind.REQUEST_LOOKUP,
        JournalKind.REQUEST_LOOKUP_UNKNOWN,
        JournalKind.VALIDATION_VALIDATED,
        JournalKind.VALIDATION_REFUSED,
        JournalKind.VALIDATION_REJECTED,
        JournalKind.AUTH_LOGIN,
        JournalKind.AUTH_LOGIN_FAILED,
        JournalKind.AUTH_LOGOUT,
        JournalKind.COMMUNE_ACCEPTED,
        JournalKind.REQUEST_EXPIRED,
        JournalKind.PURGE,
    }
    for kind, detail in written:
        if kind in OUTCOME_MEMBERS:
            member, words = OUTCOME_MEMBERS[kind]
            words(detail[member])  # ValueError: a word the client has no label for


def test_an_entry_of_a_kind_outside_the_vocabulary_is_refused(backend: Backend) -> None:
    with pytest.raises(ValueError), transaction(backend.sessions) as session:
        journal_store.append(
            session,
            at=backend.now(),
            kind="checkpoint.signed",  # type: ignore[arg-type]  # what a drifted caller passes
            station=None,
        )
    assert _journal(backend) == []


def _literal_kinds(tree: ast.AST) -> list[int]:
    """Lines where `kind=` is given a string written in the code, not an enum member."""
    return [
        keyword.value.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for keyword in node.keywords
        if keyword.arg == "kind"
        and isinstance(keyword.value, ast.Constant | ast.JoinedStr)
        and isinstance(getattr(keyword.value, "value", ""), str)
    ]


def test_no_journal_kind_is_spelled_as_a_string_in_the_backend() -> None:
    found = {
        str(path.relative_to(BACKEND)): lines
        for path in sorted(BACKEND.rglob("*.py"))
        if (lines := _literal_kinds(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert found == {}
