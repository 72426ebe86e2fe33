"""Each error the officer can meet reads as its own French sentence saying what to do."""

from __future__ import annotations

import importlib
import logging
import sys

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desktop.services import errors
from desktop.ui import messages
from procuration.errors import InvalidReferenceError, PayloadError, SignatureError
from procuration.wire import ProblemCode

SERVER_CODES = [
    "unknown-reference",
    "expired",
    "already-validated",
    "not-habilitated",
    "bad-signature",
    "replay",
    "clock-skew",
    "idempotency-conflict",
    "rate-limited",
    "payload-too-large",
    "unauthenticated",
    "forbidden",
    "validation",
    # the backend's finer rejection codes (docs/backend.md)
    "identity-mismatch",
    "too-old",
    "wrong-officer-key",
    "wrong-station",
    "in-flight",
    "not-processed",
    "invalid-state",
    "conflict",
]
CLIENT_ERRORS: list[errors.ClientError] = [
    errors.NetworkError(),
    errors.TlsError(),
    errors.SessionExpiredError(),
    errors.VaultUnavailableError(),
    errors.NotEnrolledError(),
    errors.OfflineError(),
    errors.TrustListError(),
    errors.StorageError(),
    errors.InputError(code="reference-empty"),
    errors.InputError(code="reference-too-short"),
    errors.InputError(code="reference-too-long"),
    errors.InputError(code="qr-forged"),
    errors.InputError(code="qr-expired"),
    errors.InputError(code="qr-unknown-issuer"),
    errors.InputError(code="qr-not-a-request"),
    errors.ClientError(code="device-revoked"),
    errors.ClientError(code="timeout"),
    errors.TrustListError(code="trust-missing"),
    errors.ClientError(code="identity-digest-mismatch"),
    errors.ClientError(code="not-signable"),
    errors.ClientError(code="configuration"),
    errors.ClientError(code="insecure-server"),
    errors.ClientError(code="ca-file"),
]


def all_errors() -> list[BaseException]:
    server = [errors.ServerError(code, 400) for code in SERVER_CODES]
    return [*server, *CLIENT_ERRORS]


def test_every_known_code_has_its_own_sentence(qapp: QApplication) -> None:
    sentences = [messages.message_for(error) for error in all_errors()]
    assert messages.sentence("internal") not in sentences
    assert len(set(sentences)) == len(sentences)
    for text in sentences:
        assert text.endswith(".")
        assert "{" not in text


def test_unknown_error_gets_the_generic_sentence(qapp: QApplication) -> None:
    generic = messages.sentence("internal")
    assert messages.message_for(RuntimeError("boom")) == generic
    assert messages.message_for(errors.ServerError("teapot", 418)) == generic


def test_already_validated_says_who_where_and_when(qapp: QApplication) -> None:
    error = errors.ServerError(
        "already-validated",
        409,
        context={
            "officer_name": "Paul Roux",
            "station": "CSP Lyon 7e",
            "validated_at": "2026-06-11T14:05:00Z",
        },
    )
    text = messages.message_for(error)
    assert "Paul Roux" in text
    assert "CSP Lyon 7e" in text
    assert "11/06/2026" in text


def test_already_validated_without_context_still_reads_well(qapp: QApplication) -> None:
    text = messages.message_for(
        errors.ServerError("already-validated", 409, context={"validated_at": "x"})
    )
    assert text == messages.sentence("already-validated")


def test_rate_limited_says_how_long_to_wait(qapp: QApplication) -> None:
    text = messages.message_for(errors.ServerError("rate-limited", 429, retry_after=12.4))
    assert "12 secondes" in text


@pytest.mark.parametrize(
    ("reason", "detail", "expected"),
    [
        ("empty", "", "Tapez ou scannez"),
        ("too-short", "4", "6 caractères"),
        ("too-long", "7", "n'a que 6"),
        ("bad-character", "U", "« U »"),
    ],
)
def test_reference_input_errors(
    qapp: QApplication, reason: str, detail: str, expected: str
) -> None:
    assert expected in messages.message_for(InvalidReferenceError(reason, detail))


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (SignatureError("bad-signature"), "qr-forged"),
        (SignatureError("unknown-key"), "qr-unknown-issuer"),
        (PayloadError("expired"), "qr-expired"),
        (PayloadError("unrecognized"), "qr-not-a-request"),
    ],
)
def test_qr_payload_errors(qapp: QApplication, error: Exception, code: str) -> None:
    assert messages.code_of(error) == code
    assert messages.message_for(error) == messages.sentence(code)


@pytest.mark.parametrize(
    ("code", "canonical"),
    [
        ("qr-bad-signature", "qr-forged"),
        ("qr-unknown-key", "qr-unknown-issuer"),
        ("qr-unrecognized", "qr-not-a-request"),
        ("qr-expired", "qr-expired"),
    ],
)
def test_service_qr_codes_read_as_the_canonical_sentence(
    qapp: QApplication, code: str, canonical: str
) -> None:
    error = errors.InputError(code=code)
    assert messages.message_for(error) == messages.sentence(canonical)


def test_login_reads_unauthenticated_as_a_wrong_password(qapp: QApplication) -> None:
    error = errors.ServerError("unauthenticated", 401)
    assert "Matricule ou mot de passe incorrect" in messages.message_for(error, during="login")
    assert "session" in messages.message_for(error)


def test_titles_name_the_distinct_cases(qapp: QApplication) -> None:
    assert messages.title_for("unknown-reference") == "Référence inconnue"
    assert messages.title_for("expired") == "Demande expirée"
    assert messages.title_for("reference-too-long") == "Saisie à vérifier"
    assert messages.title_for("qr-forged") == "Code QR refusé"
    assert messages.title_for("whatever") == "Échec"


def test_excepthook_logs_and_shows_a_generic_dialog(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    previous = messages.install_excepthook()
    try:
        with caplog.at_level(logging.CRITICAL):
            try:
                raise ValueError("a bug")
            except ValueError as error:
                sys.excepthook(type(error), error, error.__traceback__)
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
        assert boxes, "no dialog shown"
        assert boxes[-1].text() == messages.sentence("internal")
        assert "Traceback" not in boxes[-1].text()
        assert "uncaught ValueError" in caplog.text
        for box in boxes:
            box.close()
            box.deleteLater()
    finally:
        sys.excepthook = previous


def _subclasses(cls: type) -> list[type]:
    return [cls, *(sub for direct in cls.__subclasses__() for sub in _subclasses(direct))]


def test_every_problem_type_the_backend_defines_reads_as_its_own_sentence(
    qapp: QApplication,
) -> None:
    from backend.errors import AppError

    for module in ("backend.api.app", "backend.cli"):  # every module defining a problem type
        importlib.import_module(module)

    generic = messages.sentence("internal")
    # 5xx problems are the server's own failures: the generic sentence fits them.
    codes = {cls.code for cls in _subclasses(AppError) if getattr(cls, "status", 500) < 500}
    unexplained = [
        code for code in codes if messages.message_for(errors.ServerError(code, 400)) == generic
    ]
    assert unexplained == []


def test_every_problem_code_of_the_wire_reads_as_its_own_sentence(qapp: QApplication) -> None:
    # Including the codes the framework answers by status (a 405, a 415...), which no
    # backend class names: `backend.api.problems` maps them from the same enum.
    generic = messages.sentence("internal")
    unexplained = [
        code.value
        for code in ProblemCode
        if code is not ProblemCode.INTERNAL
        and messages.message_for(errors.ServerError(code.value, 400)) == generic
    ]
    assert unexplained == []
