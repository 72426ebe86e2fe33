"""kill -9 of a serving backend in the middle of a stream of validations: after a restart,
every acknowledged validation is there exactly once and the journal verifies."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from backend_helpers import MANDANT, PASSWORD, STATION, create_request
from sqlalchemy import func, select

from backend.config import Settings
from backend.context import open_backend
from backend.services import admin, auth
from backend.storage.engine import transaction
from backend.storage.tables import Validation
from procuration import jws, keys, timeutil
from procuration.login import sign_nonce
from procuration.models import VALIDATION_TYP, Role

pytestmark = pytest.mark.slow
CLI = [str(Path(sys.executable).parent / "guichet-backend")]
REQUESTS = 60


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(data_dir: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [*CLI, "serve", "--data-dir", str(data_dir), "--port", str(port)]
    with log.open("ab") as out:
        # Its own process group: the crash below takes the server and its workers at once,
        # as a power cut or systemd's kill of the service's cgroup would.
        server = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    for _ in range(200):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.05)
        assert server.poll() is None, log.read_text()
    raise AssertionError("the backend did not answer /health")


def _wait_until_free(port: int) -> None:
    """Until no killed worker holds the listening socket any more."""
    for _ in range(200):
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                time.sleep(0.05)
                continue
            return
    raise AssertionError(f"port {port} still taken after the kill")


@pytest.fixture
def seeded(tmp_path: Path) -> Iterator[tuple[Path, str, list[str]]]:
    """A data directory with one habilitated OPJ, an enrolment code and live requests."""
    data_dir = tmp_path / "data"
    backend = open_backend(Settings(data_dir=data_dir))
    try:
        admin.add_station(backend, STATION, "Commissariat")
        admin.add_commune(backend, "75056", "Paris")
        admin.add_commune(backend, "92050", "Nanterre")
        admin.add_officer(
            backend, admin.NewOfficer("OPJ001", "Claire", "Capitaine", Role.OPJ, PASSWORD, STATION)
        )
        admin.habilitate(backend, "OPJ001", "2000-01-01", "2099-12-31", "TJ")
        code = auth.issue_enrolment_code(backend, "OPJ001", 60)
        references = [create_request(backend) for _ in range(REQUESTS)]
    finally:
        backend.close()
    yield data_dir, code, references


class Stream:
    """An outbox that sends signed validations one after the other until the server dies."""

    def __init__(self, url: str, code: str) -> None:
        self.client = httpx.Client(base_url=url, timeout=10)
        self.key = keys.generate_private_key()
        kid = self.client.post(
            "/v1/devices/enroll",
            json={"code": code, "public_jwk": keys.public_jwk(self.key), "label": "crash"},
        ).json()["kid"]
        nonce = self.client.post("/v1/auth/challenge", json={"kid": kid}).json()["nonce"]
        login = self.client.post(
            "/v1/auth/login",
            json={
                "matricule": "OPJ001",
                "password": PASSWORD,
                "kid": kid,
                "nonce": nonce,
                "nonce_signature": sign_nonce(nonce, kid, self.key),
            },
        )
        assert login.status_code == 200, login.text
        self.headers = {"Authorization": f"Bearer {login.json()['token']}"}
        self.acknowledged: dict[str, dict[str, str]] = {}

    def token(self, reference: str, seq: int) -> tuple[str, str]:
        validation_id = f"00000000-0000-4000-8000-{seq:012d}"
        body = {
            "ctx": "maprocuration/validation/v1",
            "validation_id": validation_id,
            "reference": reference,
            "decision": "validated",
            "refusal_reason": None,
            "id_document": {
                "type": "cni",
                "name_matches": True,
                "birth_date_matches": True,
                "photo_matches": True,
            },
            "officer": "OPJ001",
            "station": STATION,
            "device_seq": seq,
            "created_at": timeutil.to_wire(timeutil.now()),
            "identity_digest": MANDANT.digest(),
        }
        return validation_id, jws.sign(body, self.key, VALIDATION_TYP)

    def send(self, validation_id: str, token: str) -> httpx.Response:
        headers = {
            **self.headers,
            "Content-Type": "application/jose",
            "Idempotency-Key": validation_id,
        }
        return self.client.post("/v1/validations", content=token, headers=headers)

    def run(self, tokens: list[tuple[str, str]]) -> None:
        for validation_id, token in tokens:
            try:
                answer = self.send(validation_id, token)
            except httpx.TransportError:
                return  # the server died: the rest stays in the outbox
            assert answer.status_code == 201, answer.text
            self.acknowledged[validation_id] = answer.json()


def test_kill_9_loses_no_acknowledged_validation(
    seeded: tuple[Path, str, list[str]], tmp_path: Path
) -> None:
    data_dir, code, references = seeded
    port = _free_port()
    log = tmp_path / "server.log"
    server = _serve(data_dir, port, log)
    stream = Stream(f"http://127.0.0.1:{port}", code)
    tokens = [stream.token(ref, seq) for seq, ref in enumerate(references, start=1)]
    sender = threading.Thread(target=stream.run, args=(tokens,))
    sender.start()
    while len(stream.acknowledged) < REQUESTS // 3 and sender.is_alive():
        time.sleep(0.005)
    os.killpg(server.pid, signal.SIGKILL)
    server.wait(10)
    _wait_until_free(port)
    sender.join(10)
    acknowledged = dict(stream.acknowledged)
    assert REQUESTS // 3 <= len(acknowledged) < REQUESTS, "the kill did not land mid-stream"

    server = _serve(data_dir, port, log)
    try:
        # The outbox resends what was not acknowledged, in order: nothing is refused (the one
        # in flight at the kill may have committed: its retry gets the stored answer).
        for validation_id, token in tokens[len(acknowledged) :]:
            assert stream.send(validation_id, token).status_code == 201
        # A retry of an acknowledged one answers exactly what was acknowledged.
        first_id, first_token = tokens[0]
        assert stream.send(first_id, first_token).json() == acknowledged[first_id]
    finally:
        stream.client.close()
        server.send_signal(signal.SIGTERM)
        server.wait(30)

    backend = open_backend(Settings(data_dir=data_dir))
    try:
        with transaction(backend.sessions) as session:
            counts = dict(
                session.execute(
                    select(Validation.validation_id, func.count()).group_by(
                        Validation.validation_id
                    )
                ).all()
            )
    finally:
        backend.close()
    assert all(counts.get(validation_id) == 1 for validation_id in acknowledged)
    assert len(counts) == REQUESTS
    verify = subprocess.run(
        [*CLI, "journal", "verify", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert f"{STATION}: ok" in verify.stdout
