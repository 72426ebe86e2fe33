"""Each test gets its own database: a SQLite file under tmp_path, and, when
MPR_TEST_POSTGRES_URL is set, a fresh PostgreSQL schema too (same tests, both engines)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from backend_helpers import ADMIN_TOKEN, Client, FakeClock, World, build_world
from sqlalchemy import create_engine, text

from backend.api.app import create_app
from backend.config import Settings
from backend.context import Backend, open_backend
from backend.services import auth

# Cheap argon2id parameters: the suite logs in hundreds of times.
auth.set_password_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
POSTGRES_URL = os.environ.get("MPR_TEST_POSTGRES_URL", "")


def _postgres_schema_url() -> Iterator[str]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgres",
            marks=[
                pytest.mark.postgres,
                pytest.mark.skipif(not POSTGRES_URL, reason="MPR_TEST_POSTGRES_URL not set"),
            ],
        ),
    ]
)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
    else:
        yield from _postgres_schema_url()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def backend(db_url: str, tmp_path: Path, clock: FakeClock) -> Iterator[Backend]:
    settings = Settings(
        data_dir=tmp_path / "data", db_url=db_url, admin_token_sha256=auth.token_hash(ADMIN_TOKEN)
    )
    opened = open_backend(settings, clock=clock)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def world(backend: Backend) -> World:
    return build_world(backend)


@pytest.fixture
def client(backend: Backend) -> Iterator[Client]:
    test_client = Client(create_app(backend, background=False))
    try:
        yield test_client
    finally:
        test_client.close()
