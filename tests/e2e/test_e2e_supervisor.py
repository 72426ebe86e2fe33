"""The supervisor's review of a day the real backend journalled: counter flows at the
station (validations, a refusal, lookups, an unknown reference, a validation the server
rejects), then the real `JournalReviewService` and the supervisor's view over the client's
own API client. Every cell of the table, the CSV and the PDF reads in French: none of the
journal's English codes (`submitted`, `document-unacceptable`, `request.lookup`...)."""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import httpx
import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from desktop.services.api_client import ApiClient, ServerConfig
from desktop.services.clock import SystemClock
from desktop.services.counter import Counter
from desktop.services.errors import ServerError
from desktop.services.journal_review import JournalReviewService
from desktop.services.ports import DeliveryState
from desktop.services.trust import TrustStore
from desktop.ui.journal_api import JournalApiAdapter
from desktop.ui.supervisor import SupervisorView
from desktop.ui.tasks import TaskRunner
from procuration.keys import generate_private_key, public_jwk
from procuration.login import sign_nonce
from procuration.models import DocumentType, RefusalReason, RequestStatus
from procuration.wire import JournalKind, JournalOutcome, ProblemCode

from .conftest import World
from .harness import PASSWORD, STATION, BackendServer, validate

Login = Callable[[str], Counter]
UNKNOWN_REFERENCE = "7K3QZ9"  # no request bears it (the seeded ones are random)
# The journal's own words. Three of them are French words too, which a label may use.
ENGLISH = {
    word
    for vocabulary in (JournalKind, JournalOutcome, RequestStatus, RefusalReason, ProblemCode)
    for member in vocabulary
    for word in (member.value, *member.value.split("."))
} - {"", "validation", "commune", "purge"}


def english_words(cells: Iterable[str]) -> set[str]:
    """The journal codes that appear as words in `cells`."""
    return {
        word
        for cell in cells
        for token in re.findall(r"[A-Za-z_.\-]+", cell)
        for word in (token, *token.split("."))
        if word in ENGLISH
    }


def a_day_at_the_station(world: World, officer_at_counter: Login) -> None:
    """Two officers' work at the station's counters, through the real client."""
    first, second = officer_at_counter("OPJ001"), officer_at_counter("OPJ001")
    validated, refused = world.reference(), world.reference()
    _, outcome = validate(first, validated)
    assert outcome.state is DeliveryState.TRANSMITTED
    lookup = first.lookup(refused)
    outcome = first.refuse(lookup, DocumentType.CNI, RefusalReason.DOCUMENT_UNACCEPTABLE)
    assert outcome.state is DeliveryState.TRANSMITTED
    with pytest.raises(ServerError):
        first.lookup(UNKNOWN_REFERENCE)
    _, late = validate(second, validated)  # validated at the other counter meanwhile
    assert (late.state, late.error_code) == (DeliveryState.FAILED, "already-validated")


@pytest.fixture
def supervisor_api(backend: BackendServer) -> Iterator[ApiClient]:
    api = ApiClient(ServerConfig(backend.url))
    yield api
    api.close()


def supervisor_review(
    world: World, backend: BackendServer, api: ApiClient, data_dir: Path
) -> JournalReviewService:
    """The review as the client composes it for a supervisor (desktop.app), over a freshly
    enrolled PC; the backend signs a checkpoint over the day first (its hourly task)."""
    key = generate_private_key()
    kid = api.enroll(world.code("SUP006"), public_jwk(key), "PC du chef de poste")
    nonce = api.challenge(kid)
    proof = sign_nonce(nonce, kid, key)
    session = api.login(
        {"matricule": "SUP006", "password": PASSWORD, "kid": kid, "nonce": nonce,
         "nonce_signature": proof}
    )  # fmt: skip
    api.set_token(session.token)
    trust = TrustStore(data_dir / "trust.json", SystemClock())
    trust.refresh(api.trust)
    signed = httpx.post(
        f"{backend.url}/v1/journal/checkpoint",
        params={"station": STATION},
        headers={"Authorization": f"Bearer {session.token}"},
        verify=backend.verify(),
    )
    assert signed.status_code == 200, signed.text
    return JournalReviewService(JournalApiAdapter(api, trust), data_dir, STATION)


def table_cells(view: SupervisorView) -> list[str]:
    model = view.model
    headers = [
        str(model.headerData(column, Qt.Orientation.Horizontal))
        for column in range(model.columnCount())
    ]
    cells = [
        str(model.index(row, column).data() or "")
        for row in range(model.rowCount())
        for column in range(model.columnCount())
    ]
    return headers + cells


def csv_cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return [cell for row in csv.reader(stream, delimiter=";") for cell in row]


def test_the_supervisor_reads_a_real_day_in_french(
    world: World,
    backend: BackendServer,
    officer_at_counter: Login,
    supervisor_api: ApiClient,
    qtbot: Any,
    tmp_path: Path,
) -> None:
    a_day_at_the_station(world, officer_at_counter)
    service = supervisor_review(world, backend, supervisor_api, tmp_path)
    runner = TaskRunner()
    view = SupervisorView(service, "Cdt Anne Roux", runner)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.integrity_checked, timeout=60_000) as verdict:
        view.verify_button.click()
    assert verdict.args == [True]
    assert view.review is not None
    kinds = {entry.kind for entry in view.review.entries}
    assert kinds >= {
        JournalKind.REQUEST_LOOKUP,
        JournalKind.REQUEST_LOOKUP_UNKNOWN,
        JournalKind.VALIDATION_VALIDATED,
        JournalKind.VALIDATION_REFUSED,
        JournalKind.VALIDATION_REJECTED,
    }

    table = table_cells(view)
    assert english_words(table) == set()
    for words in (
        "Consultation",
        "Consultation (référence inconnue)",
        "Validation",
        "Refus",
        "Validation rejetée par le serveur",
        "en attente de validation",
        "document non recevable",
        "déjà validée",
    ):
        assert words in table

    view.export_csv(tmp_path / "jour.csv")
    exported = csv_cells(tmp_path / "jour.csv")
    assert english_words(exported) == set()
    assert {"Refus", "document non recevable", "Validation rejetée par le serveur"} <= set(exported)

    view.export_pdf(tmp_path / "jour.pdf")
    pages = [page.extract_text() for page in PdfReader(tmp_path / "jour.pdf").pages]
    assert english_words(pages) == set()
    printed = " ".join(" ".join(pages).split())
    assert "document non recevable" in printed
    assert "Validation rejetée par le serveur" in printed
