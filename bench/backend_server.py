"""The server side of bench.backend_load: a seeded data directory, `guichet-backend serve`
started and stopped, a throw-away PostgreSQL cluster, and the CPU time of all of them read
from /proc (Linux; 0.0 elsewhere)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

STATION = "PN-75-001"
PASSWORD = "bench password 2026"
ADMIN_TOKEN = "bench admin token, not a secret"
MANDANT = {"birth_name": "DUPONT-MOREAU", "first_names": "Élodie Marie", "birth_date": "1984-03-09"}


def seed(data_dir: Path, officers: int, db_url: str | None = None) -> list[tuple[str, str]]:
    """(matricule, enrolment code) per officer, through the backend's services."""
    from backend.config import Settings
    from backend.context import open_backend
    from backend.services import admin, auth
    from procuration.models import Role

    backend = open_backend(Settings(data_dir=data_dir, db_url=db_url or ""))
    try:
        admin.add_station(backend, STATION, "Commissariat de benchmark")
        admin.add_commune(backend, "75056", "Paris")
        codes = []
        for number in range(officers):
            matricule = f"B{number:05d}"
            admin.add_officer(
                backend,
                admin.NewOfficer(
                    matricule, "Officier Bench", "Capitaine", Role.OPJ, PASSWORD, STATION
                ),
            )
            admin.habilitate(backend, matricule, "2000-01-01", "2099-12-31", "TJ bench")
            codes.append((matricule, auth.issue_enrolment_code(backend, matricule, 60)))
        return codes
    finally:
        backend.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Cluster:
    url: str
    postmaster: int  # its CPU, and its backends' (live or reaped), is the database's


@contextlib.contextmanager
def postgres_cluster() -> Iterator[Cluster]:
    """A throw-away PostgreSQL cluster with durable commits (fsync on). Its folder is
    directly under the temporary directory: the `postgres` user must reach it. Stopped and
    removed whatever happens, a failed start included."""
    script = Path(__file__).resolve().parent.parent / "scripts" / "start-test-postgres.sh"
    directory = tempfile.mkdtemp(prefix="mpr-bench-pg-")
    env = {**os.environ, "MPR_PG_DIR": directory, "MPR_PG_PORT": str(free_port())}
    env["MPR_PG_FSYNC"] = "on"
    try:
        line = subprocess.run(
            ["bash", str(script)], env=env, check=True, capture_output=True, text=True
        ).stdout
        postmaster = int((Path(directory) / "data" / "postmaster.pid").read_text().split()[0])
        yield Cluster(line.strip().split("=", 1)[1], postmaster)
    finally:
        subprocess.run(["bash", str(script), "--stop"], env=env, check=False)
        shutil.rmtree(directory, ignore_errors=True)


def database_cpu(postmaster: int | None) -> float:
    """CPU seconds of the bench's PostgreSQL (not another cluster on the machine): the
    postmaster's own and its reaped backends' (utime, stime, cutime, cstime), plus the live
    backends'. A backend that exits between two readings moves from one term to the other."""
    if postmaster is None:
        return 0.0
    own = process_cpu(postmaster, reaped=True)
    return own + sum(cpu_seconds(child) for child in children(postmaster))


def start_server(
    data_dir: Path, port: int, log: Path, workers: int, db_url: str | None = None
) -> subprocess.Popen[bytes]:
    from procuration.canonical import sha256_b64url

    env = {
        **os.environ,
        **({"MPR_DB_URL": db_url} if db_url else {}),
        "MPR_LOOKUP_RATE_PER_MINUTE": "100000000",
        "MPR_REQUEST_RATE_PER_MINUTE": "100000000",
        # Requests are created over HTTP with the admin API token (PROTOCOL.md v1.1).
        "MPR_ADMIN_TOKEN_SHA256": sha256_b64url(ADMIN_TOKEN.encode()),
    }
    command = [
        sys.executable, "-m", "backend.cli", "serve",
        "--data-dir", str(data_dir), "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers),
    ]  # fmt: skip
    with log.open("wb") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        if server.poll() is not None:
            raise SystemExit(f"the backend did not start: see {log}")
        time.sleep(0.1)
    stop_all([server])
    raise SystemExit("the backend did not answer /health")


def process_cpu(pid: int, *, reaped: bool = False) -> float:
    """utime + stime of `pid`; with `reaped`, its waited-for children's too (cutime, cstime)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = fields[11:15] if reaped else fields[11:13]
    return sum(int(value) for value in ticks) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if parent == pid:
                found.append(int(entry.name))
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` and its descendants (the server's worker
    processes) so far (Linux /proc; 0.0 elsewhere)."""
    return process_cpu(pid) + sum(cpu_seconds(child) for child in children(pid))


def server_cpu(server_pids: list[int], postmaster: int | None) -> float:
    """CPU seconds of the `serve` processes (workers included) and of PostgreSQL, if any."""
    return sum(cpu_seconds(pid) for pid in server_pids) + database_cpu(postmaster)


def stop_all(servers: list[subprocess.Popen[bytes]]) -> None:
    for server in servers:
        server.terminate()
    for server in servers:
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
