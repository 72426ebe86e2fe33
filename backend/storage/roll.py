"""The electoral roll's statements for the voter portal (backend/services/roll.py), run in
the caller's ORM session."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.storage.tables import CommuneRow, Elector


def communes_with(session: Session, key: str) -> list[str]:
    """The names of the communes whose roll holds the folded name key `key`, by name."""
    rows = session.execute(
        select(CommuneRow.name)
        .join(Elector, Elector.insee == CommuneRow.insee)
        .where(Elector.name_key == key)
        .order_by(CommuneRow.name)
    )
    return [name for (name,) in rows]


def commune_names(session: Session) -> dict[str, str]:
    """INSEE code -> name of every commune, in the order of the names."""
    rows = session.execute(select(CommuneRow.insee, CommuneRow.name).order_by(CommuneRow.name))
    return {insee: name for insee, name in rows}
