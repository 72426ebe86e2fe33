"""Prepared statements raise the driver's errors as SQLAlchemy's, without the parameters:
the retry of a lost race, the 503 answer and the batch's per-item report depend on it."""

from __future__ import annotations

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from backend.context import Backend
from backend.storage.engine import transaction
from backend.storage.prepared import Db, Prepared
from backend.storage.tables import Base

_FLAG = Prepared(insert(Base.metadata.tables["flags"]), columns=["name", "value"])


def test_a_unique_violation_is_an_integrity_error_without_its_values(backend: Backend) -> None:
    with pytest.raises(IntegrityError) as raised, transaction(backend.sessions) as session:
        db = Db.of(session)
        db.run(_FLAG, name="twice", value="Élodie DUPONT-MOREAU")
        db.run(_FLAG, name="twice", value="Élodie DUPONT-MOREAU")
    assert "DUPONT-MOREAU" not in str(raised.value)
