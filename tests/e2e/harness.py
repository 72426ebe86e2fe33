"""The real backend as a subprocess, seeded through its CLI, and real client objects.

Nothing here fakes the network: the client's `Counter` (built by `Counter.from_settings`,
with an in-memory keyring as its vault) talks HTTP(S) to `guichet-backend serve`.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import cv2
import httpx

from desktop.services.counter import Counter
from desktop.services.credentials import Vault
from desktop.services.ports import LookupResult, SubmitOutcome
from desktop.services.scanner.decode import QrDecoder
from desktop.services.settings import Settings
from procuration.keys import generate_private_key, kid_of, public_jwk
from procuration.login import sign_nonce
from procuration.models import DocumentType, IdDocumentCheck
from tests.support.fake_backend import MemoryKeyring

VENV_BIN = Path(sys.executable).parent
BACKEND_EXE = str(VENV_BIN / "guichet-backend")
CLI_BATCH = Path(__file__).with_name("cli_batch.py")
PASSWORD = "mot de passe du guichet"
STATION = "PN-75-001"
OTHER_STATION = "GN-92-050"
COMMUNE = "75056"
STATIONS = {STATION: "Commissariat Paris 1er", OTHER_STATION: "Brigade de Nanterre"}
COMMUNES = {COMMUNE: "Paris", "92050": "Nanterre"}
# A habilitation running from a month ago to a year ahead.
VALID = (date.today() - timedelta(days=30), date.today() + timedelta(days=365))
ALL_CHECKED = IdDocumentCheck(
    type=DocumentType.CNI, name_matches=True, birth_date_matches=True, photo_matches=True
)
_unique = itertools.count(1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_cli_batch(commands: Sequence[Sequence[str]]) -> list[str]:
    """Runs `guichet-backend` commands (see cli_batch.py); their stdout, stripped, in order."""
    done = subprocess.run(
        [sys.executable, str(CLI_BATCH)],
        input=json.dumps([list(c) for c in commands]),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    for argv, result in zip(commands, results, strict=True):
        assert result["rc"] == 0, f"{argv[:3]} failed: {done.stderr}"
    return [str(r["out"]).strip() for r in results]


def officer_commands(
    data_dir: Path,
    matricule: str,
    role: str,
    *,
    station: str | None = None,
    commune: str | None = None,
    habilitation: tuple[date, date] | None = None,
    codes: int = 0,
) -> list[list[str]]:
    base = ["--data-dir", str(data_dir)]
    add = [
        *base,
        "officer",
        "add",
        "--matricule",
        matricule,
        "--name",
        f"Agent {matricule}",
        "--grade",
        "Lieutenant",
        "--role",
        role,
        "--password",
        PASSWORD,
    ]
    if station:
        add += ["--station", station]
    if commune:
        add += ["--commune", commune]
    commands = [add]
    if habilitation:
        start, until = habilitation
        commands.append(
            [
                *base,
                "officer",
                "habilitate",
                "--matricule",
                matricule,
                "--from",
                start.isoformat(),
                "--until",
                until.isoformat(),
                "--judge",
                "TJ 2026/1",
            ]
        )
    for _ in range(codes):
        commands.append([*base, "enrolment-code", "--matricule", matricule, "--ttl-minutes", "120"])
    return commands


def _period_from_today() -> dict[str, str]:
    """A year from today in Paris: a period may not start in the past (PROTOCOL.md v1.1)."""
    today = datetime.now(ZoneInfo("Europe/Paris")).date()
    end = today + timedelta(days=364)
    return {"kind": "period", "start": today.isoformat(), "end": end.isoformat()}


def _letters(number: int) -> str:
    """A number as letters: civil-status names hold no digits (procuration.civil)."""
    word = ""
    while True:
        number, digit = divmod(number, 26)
        word = chr(ord("A") + digit) + word
        if number == 0:
            return word


def request_body(commune: str = COMMUNE) -> dict[str, Any]:
    """A fresh mandant and mandataire each time (a mandataire may hold few proxies)."""
    n = _letters(next(_unique))
    return {
        "birth_name": f"MARTIN-{n}",
        "usage_name": None,
        "first_names": "Élodie Marie",
        "birth_date": "1984-03-09",
        "birth_place": "Lyon 3e",
        "sex": "F",
        "email": f"mandant{n}@example.fr",
        "commune_insee": commune,
        "scope": _period_from_today(),
        "mandataire": {
            "birth_name": f"DURAND-{n}",
            "first_names": "Jean",
            "birth_date": "1979-11-30",
            "commune_insee": "92050",
        },
    }


def places_commands(
    data_dir: Path, work: Path, bodies: Sequence[dict[str, Any]]
) -> list[list[str]]:
    """Stations, communes and the electoral roll holding every mandant and mandataire (so
    that the register check establishes the proxies instead of voiding them)."""
    base = ["--data-dir", str(data_dir)]
    commands = [
        [*base, "station", "add", "--code", code, "--name", name] for code, name in STATIONS.items()
    ]
    commands += [
        [*base, "commune", "add", "--insee", insee, "--name", name]
        for insee, name in COMMUNES.items()
    ]
    roll = work / f"roll-{next(_unique)}.csv"
    lines = ["insee;birth_name;first_names;birth_date"]
    for body in bodies:
        for person, insee in (
            (body, body["commune_insee"]),
            (body["mandataire"], body["mandataire"]["commune_insee"]),
        ):
            lines.append(
                f"{insee};{person['birth_name']};{person['first_names']};{person['birth_date']}"
            )
    roll.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [*commands, [*base, "commune", "roll-import", "--csv", str(roll)]]


def request_command(data_dir: Path, work: Path, body: dict[str, Any]) -> list[str]:
    body_file = work / f"request-{next(_unique)}.json"
    body_file.write_text(json.dumps(body), encoding="utf-8")
    return ["--data-dir", str(data_dir), "request", "create", "--json", str(body_file)]


def qr_text_of(data_dir: Path, reference: str) -> str:
    """What a scanner reads from the QR code `request create` wrote (the mail's image)."""
    image = cv2.imread(str(data_dir / "qr" / f"{reference}.png"))
    assert image is not None, f"no QR image for {reference}"
    payloads = QrDecoder().decode(image)
    assert payloads and payloads[0].text, f"no QR code read for {reference}"
    return payloads[0].text


@dataclass
class BackendServer:
    """`guichet-backend serve` on a fixed port and data dir: stop/start keeps both."""

    data_dir: Path
    port: int
    log_file: Path
    tls: dict[str, str] | None = None
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, timeout: float = 30.0) -> None:
        command = [BACKEND_EXE, "serve", "--data-dir", str(self.data_dir), "--port", str(self.port)]
        if self.tls:
            command += ["--tls-cert", self.tls["cert"], "--tls-key", self.tls["key"]]
        with self.log_file.open("ab") as log:
            # Its own process group: a stuck server is killed with its worker processes.
            self.process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ},
                start_new_session=True,
            )
        try:
            self._wait_healthy(timeout)
        except BaseException:
            self.stop()
            raise

    def verify(self) -> ssl.SSLContext | bool:
        return ssl.create_default_context(cafile=self.tls["ca"]) if self.tls else True

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with httpx.Client(verify=self.verify(), timeout=1) as probe:
            while time.monotonic() < deadline:
                assert self.process is not None
                if self.process.poll() is not None:
                    raise RuntimeError(f"backend exited: {self.log_file.read_text()[-2000:]}")
                try:
                    if probe.get(f"{self.url}/health").status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                time.sleep(0.1)
        raise RuntimeError(f"backend not healthy in {timeout} s")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


class RemoteOfficer:
    """A commune agent or supervisor using the API directly (their own client is not the
    counter's): a freshly enrolled key, a session, plain GETs."""

    def __init__(self, server: BackendServer, matricule: str, code: str) -> None:
        self._http = httpx.Client(base_url=server.url, verify=server.verify(), timeout=10)
        key = generate_private_key()
        kid = kid_of(key)
        enrolled = self._http.post(
            "/v1/devices/enroll",
            json={"code": code, "public_jwk": public_jwk(key), "label": f"PC {matricule}"},
        )
        assert enrolled.status_code in (200, 201), enrolled.text
        nonce = self._http.post("/v1/auth/challenge", json={"kid": kid}).json()["nonce"]
        answer = self._http.post(
            "/v1/auth/login",
            json={
                "matricule": matricule,
                "password": PASSWORD,
                "kid": kid,
                "nonce": nonce,
                "nonce_signature": sign_nonce(nonce, kid, key),
            },
        )
        assert answer.status_code == 200, answer.text
        self._http.headers["Authorization"] = f"Bearer {answer.json()['token']}"

    def get(self, path: str, **params: str) -> Any:
        response = self._http.get(path, params=params)
        assert response.status_code == 200, response.text
        return response.json()

    def close(self) -> None:
        self._http.close()


def make_counter(data_dir: Path, keyring: MemoryKeyring | None = None) -> Counter:
    """The client's service from its composition root, `Counter.from_settings`, with an
    in-memory keyring as its vault instead of the OS one."""
    return Counter.from_settings(Settings(data_dir=data_dir), Vault(keyring or MemoryKeyring()))


def validate(counter: Counter, text: str) -> tuple[LookupResult, SubmitOutcome]:
    lookup = counter.lookup(text)
    return lookup, counter.validate(lookup, ALL_CHECKED)
