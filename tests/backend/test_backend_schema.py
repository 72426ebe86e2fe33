"""schemathesis against the app's own OpenAPI: no 5xx, and every answer conforms to the
documented schema (status codes, content types, bodies). Bounded: a few examples each."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from backend_helpers import Client, build_world, create_request, login
from hypothesis import HealthCheck, settings
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from backend.api.app import create_app
from backend.config import Settings
from backend.context import open_backend

# One database for the module: schemathesis collects operations at import time.
_DATA = Path(tempfile.mkdtemp(prefix="mpr-schema-"))
_BACKEND = open_backend(Settings(data_dir=_DATA / "data", lookup_rate_per_minute=100_000))
atexit.register(shutil.rmtree, _DATA, ignore_errors=True)
atexit.register(_BACKEND.close)
_WORLD = build_world(_BACKEND)
APP = create_app(_BACKEND, background=False)
_client = Client(APP)
try:
    create_request(_BACKEND)
    HEADERS = login(_client, _WORLD)
finally:
    _client.close()


@schemathesis.serializer("application/jose")
def _jose(_context: object, value: object) -> bytes:
    # A JWS compact serialization travels as its own ASCII text.
    return str(value).encode("utf-8")


schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_conforms_to_its_openapi(case: schemathesis.Case) -> None:
    # Left out: "schema-valid data must be accepted" (a well-formed JWK of another curve, a
    # scope without an end date are refused by rules no schema states), and "invalid data
    # must get one of the usual 4xx" (an over-long batch is cut off by the body limit: 413).
    case.call_and_validate(
        headers=HEADERS, excluded_checks=[positive_data_acceptance, negative_data_rejection]
    )
