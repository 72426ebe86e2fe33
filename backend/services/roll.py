"""What the electoral roll says of a person, for the voter portal's answer before sending
("cet électeur est inscrit à …"): the same folded key as the register checks."""

from __future__ import annotations

from backend.context import Backend
from backend.storage import roll as store
from backend.storage.engine import transaction
from backend.storage.names import name_key


def communes_of(backend: Backend, birth_name: str, first_names: str, birth_date: str) -> list[str]:
    """The names of the communes whose roll holds this person (none: not found)."""
    key = name_key(birth_name, first_names, birth_date)
    with transaction(backend.sessions) as session:
        return store.communes_with(session, key)


def commune_names(backend: Backend) -> dict[str, str]:
    """INSEE code -> name, for the portal's lists."""
    with transaction(backend.sessions) as session:
        return store.commune_names(session)
