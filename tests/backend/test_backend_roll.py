"""Electoral roll lookups: one folding rule (case, accents, spaces) and an indexed equality."""

from __future__ import annotations

from backend_helpers import MANDANT, MANDATAIRE, World, query_plan
from sqlalchemy import text

from backend.services import admin, register
from backend.storage import register as register_store
from backend.storage.names import fold, name_key
from backend.storage.prepared import reading


def test_fold_ignores_case_accents_and_spacing() -> None:
    assert fold("  Élodie   MARIE ") == fold("elodie marie") == "elodie marie"
    assert fold("N'DIAYE") == fold("n'diaye")
    assert fold("STRAẞE") == fold("strasse")
    assert name_key("A B", "C", "2000-01-01") != name_key("A", "B C", "2000-01-01")


def test_accented_and_case_variants_are_found(world: World) -> None:
    admin.add_electors(
        world.backend,
        [
            {
                "insee": "13055",
                "birth_name": "Lefèvre",
                "first_names": "Zoé",
                "birth_date": "1990-02-03",
            }
        ],
    )
    with reading(world.backend.engine) as db:
        for name, first in (
            ("LEFEVRE", "ZOE"),
            ("LEFÈVRE", "ZOÉ"),
            ("lefèvre", "zoé"),
            ("Lefevre ", " Zoe"),
        ):
            assert register._elector(db, "13055", name, first, "1990-02-03") is not None
            assert register._elector(db, None, name, first, "1990-02-03") is not None
        assert register._elector(db, "75056", "LEFEVRE", "ZOE", "1990-02-03") is None
        assert register._elector(db, "13055", "LEFEVRE", "ZOE", "1990-02-04") is None
        # The test world's roll, stored with accents, found in capitals without them.
        assert register._elector(
            db, MANDANT.insee, MANDANT.birth_name, "ELODIE MARIE", MANDANT.birth_date
        )
        assert register._elector(
            db, None, MANDATAIRE.birth_name.lower(), "JEAN-BAPTISTE", MANDATAIRE.birth_date
        )


def test_roll_lookup_uses_the_index(world: World) -> None:
    key = name_key(MANDANT.birth_name, MANDANT.first_names, MANDANT.birth_date)
    with world.backend.readers() as session, session.begin():
        connection = session.connection()
        for statement, params in (
            (register_store._ELECTOR_IN, {"key": key, "insee": MANDANT.insee}),
            (register_store._ELECTOR_ANYWHERE, {"key": key}),
        ):
            plan = query_plan(connection, statement, params)
            assert "ix_electors_name_key" in plan, plan
            assert "SCAN electors" not in plan and "Seq Scan" not in plan, plan


def test_migration_0002_fills_the_key_of_existing_lines(db_url: str) -> None:
    from importlib import resources

    from alembic import command
    from alembic.config import Config

    from backend.storage.engine import make_engine, migrate

    engine = make_engine(db_url)
    try:
        config = Config(str(resources.files("backend.migrations") / "alembic.ini"))
        config.set_main_option("script_location", str(resources.files("backend.migrations")))
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0001")
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO electors (insee, birth_name, first_names, birth_date,"
                    " proxies_france, proxies_abroad)"
                    " VALUES ('75056', 'Lefèvre', 'Zoé', '1990-02-03', 0, 0)"
                )
            )
        migrate(engine)
        with engine.begin() as connection:
            stored = connection.execute(text("SELECT name_key FROM electors")).scalar_one()
        assert stored == name_key("LEFEVRE", "ZOE", "1990-02-03")
    finally:
        engine.dispose()
