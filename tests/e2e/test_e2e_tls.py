"""HTTPS end to end: the backend serves a certificate from a test CA; the client trusts
that CA only (`--ca-file`), and refuses a server vouched for by any other CA."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.services.errors import TlsError
from desktop.services.ports import DeliveryState

from .conftest import CounterFactory
from .harness import (
    PASSWORD,
    STATION,
    VALID,
    BackendServer,
    free_port,
    officer_commands,
    places_commands,
    request_body,
    request_command,
    run_cli_batch,
    validate,
)


class TlsWorld:
    def __init__(self, server: BackendServer, codes: list[str], reference: str, other_ca: str):
        self.server, self.codes, self.reference, self.other_ca = server, codes, reference, other_ca


@pytest.fixture(scope="module")
def tls_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsWorld]:
    work = tmp_path_factory.mktemp("tls")
    data_dir = work / "backend"
    body = request_body()
    outputs = run_cli_batch(
        [
            ["tls-test-ca", "--out", str(work / "ca")],
            ["tls-test-ca", "--out", str(work / "other-ca")],
            *places_commands(data_dir, work, [body]),
            *officer_commands(
                data_dir, "OPJ101", "opj", station=STATION, habilitation=VALID, codes=2
            ),
            request_command(data_dir, work, body),
        ]
    )
    ca, other_ca = json.loads(outputs[0]), json.loads(outputs[1])
    server = BackendServer(data_dir, free_port(), work / "backend.log", tls=ca)
    server.start()
    try:
        yield TlsWorld(server, outputs[-3:-1], outputs[-1], other_ca["ca"])
    finally:
        server.stop()


def test_https_with_the_deployment_ca_works(
    tls_world: TlsWorld, new_counter: CounterFactory
) -> None:
    assert tls_world.server.tls is not None
    ca_file = tls_world.server.tls["ca"]
    counter = new_counter("tls")
    counter.enroll(tls_world.server.url, ca_file, tls_world.codes.pop(), "Guichet TLS")
    counter.login("OPJ101", PASSWORD)

    _, outcome = validate(counter, tls_world.reference)

    assert tls_world.server.url.startswith("https://")
    assert outcome.state is DeliveryState.TRANSMITTED
    assert counter.check_online()


def test_https_with_another_ca_is_refused_as_tls_error(
    tls_world: TlsWorld, new_counter: CounterFactory
) -> None:
    counter = new_counter("tls-other")
    code = tls_world.codes.pop()

    with pytest.raises(TlsError):
        counter.enroll(tls_world.server.url, tls_world.other_ca, code, "Guichet TLS")

    assert not counter.is_enrolled()
    assert Path(tls_world.other_ca).is_file()
