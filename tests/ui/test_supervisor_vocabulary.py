"""Every word the backend can write in a journal reads in French on the supervisor's
screens, CSV and PDF: the labels are keyed by the wire enums, and the outcome words are
derived from what the backend writes (tests/backend/test_backend_vocabulary.py checks the
backend writes nothing else)."""

from __future__ import annotations

import importlib
from datetime import date
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtWidgets import QApplication

from backend.errors import AppError
from desktop.services.anomalies import to_review_entries
from desktop.services.journal_review import PARIS
from desktop.ui.supervisor import labels
from desktop.ui.supervisor.labels import action_label, outcome_label
from procuration.models import RefusalReason, RequestStatus
from procuration.wire import JournalKind, JournalOutcome, ProblemCode
from tests.support.fake_journal import FakeJournalApi


def _journalled_rejection_codes() -> set[ProblemCode]:
    """The problem codes `validation.rejected` entries can carry: the code of every error
    class the backend journals when it rejects a validation."""
    validations = importlib.import_module("backend.services.validations")
    journalled: tuple[type[AppError], ...] = validations._JOURNALLED

    def family(cls: type[AppError]) -> list[type[AppError]]:
        return [cls, *(sub for direct in cls.__subclasses__() for sub in family(direct))]

    return {error.code for root in journalled for error in family(root)}


def _is_french(word: str, code: str) -> bool:
    return bool(word) and word != code and "non reconnu" not in word


@pytest.mark.parametrize("kind", list(JournalKind))
def test_every_journal_kind_has_a_french_action(qapp: QApplication, kind: JournalKind) -> None:
    assert _is_french(action_label(kind.value), kind.value)


def test_every_outcome_word_the_backend_writes_has_a_french_label(qapp: QApplication) -> None:
    words = {
        *(status.value for status in RequestStatus),  # a lookup's status
        *(reason.value for reason in RefusalReason),  # a refusal's reason
        *(code.value for code in _journalled_rejection_codes()),  # a rejection's problem
        *(outcome.value for outcome in JournalOutcome if outcome is not JournalOutcome.NONE),
    }
    unlabelled = sorted(word for word in words if not _is_french(outcome_label(word), word))
    assert unlabelled == []
    assert outcome_label(JournalOutcome.NONE.value) == ""


def test_each_vocabulary_is_labelled_whole(qapp: QApplication) -> None:
    """The tables are keyed by enum members: a member added to an enum needs its word."""
    assert set(labels.ACTIONS) == set(JournalKind)
    assert set(labels.OUTCOMES) == set(JournalOutcome)
    assert set(labels.REFUSAL_REASONS) == set(RefusalReason)
    assert set(labels.STATUSES) == set(RequestStatus)
    assert set(labels.REJECTIONS) == set(ProblemCode)


def test_a_word_no_enum_holds_is_shown_inside_a_french_phrase(qapp: QApplication) -> None:
    assert action_label("checkpoint.signed") == "Événement non reconnu (checkpoint.signed)"
    assert outcome_label("pending") == "résultat non reconnu (pending)"


def test_the_generated_journal_speaks_the_backends_words(qapp: Any) -> None:
    """The fake journal (tests, screenshots, benchmarks) uses the real vocabulary."""
    api = FakeJournalApi("PN-75-001", Ed25519PrivateKey.generate(), PARIS)
    day = date(2026, 11, 28)
    api.append_day(day, size=300, seed=3)
    entries = to_review_entries(api.entries, day, PARIS)
    assert {entry.kind for entry in entries} <= set(JournalKind)
    for entry in entries:
        assert _is_french(action_label(entry.kind), entry.kind)
        if entry.outcome:
            assert _is_french(outcome_label(entry.outcome), entry.outcome), entry.outcome
