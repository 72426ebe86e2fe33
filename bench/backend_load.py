"""Backend load benchmark: sustained signed validations per second and lookups per second.

.venv/bin/python -m bench.backend_load [--validations 4000] [--lookups 4000] [--threads 8]
    [--workers 0] [--driver http.client|httpx] [--postgres [--instances 2]]

Starts `guichet-backend serve` on SQLite (WAL, synchronous=FULL) in a subprocess on a free
port with a fresh data directory, seeded through the services (stations, one OPJ per
client thread, enrolment codes). A SEPARATE process then drives it over HTTP, one thread
and one kept-alive connection per counter: each thread enrols a device, logs in, creates its
requests and signs all its validations before the clock starts. Prints figures; asserts
nothing.

`--postgres` starts a throw-away PostgreSQL cluster instead (scripts/start-test-postgres.sh,
fsync ON, unlike the test suite's), and `--instances N` starts N `serve` processes on that one
database (N hosts behind a load balancer, here on the same cores), the counters spread over
them; the server CPU then includes PostgreSQL's processes.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from bench.backend_server import (
    ADMIN_TOKEN,
    MANDANT,
    PASSWORD,
    STATION,
    cpu_seconds,
    database_cpu,
    free_port,
    postgres_cluster,
    seed,
    server_cpu,
    start_server,
    stop_all,
)

# ---------------------------------------------------------------- the driving process


@dataclass
class Counter:
    """One officer at one PC: its key, its session, its requests and signed validations."""

    matricule: str
    client: httpx.Client
    lean: http.client.HTTPConnection | None = None
    key: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    references: list[str] = field(default_factory=list)
    tokens: list[tuple[str, str]] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)


def _login(counter: Counter, code: str) -> None:
    from procuration import keys
    from procuration.login import sign_nonce

    counter.key = keys.generate_private_key()
    jwk = keys.public_jwk(counter.key)
    kid = counter.client.post(
        "/v1/devices/enroll", json={"code": code, "public_jwk": jwk, "label": "bench"}
    ).json()["kid"]
    nonce = counter.client.post("/v1/auth/challenge", json={"kid": kid}).json()["nonce"]
    answer = counter.client.post(
        "/v1/auth/login",
        json={
            "matricule": counter.matricule,
            "password": PASSWORD,
            "kid": kid,
            "nonce": nonce,
            "nonce_signature": sign_nonce(nonce, kid, counter.key),
        },
    )
    answer.raise_for_status()
    counter.headers = {"Authorization": f"Bearer {answer.json()['token']}"}


def _create_requests(counter: Counter, count: int) -> None:
    today = datetime.now(ZoneInfo("Europe/Paris")).date()
    end = today + timedelta(days=364)
    body = {
        **MANDANT,
        "usage_name": None,
        "birth_place": "Lyon 3e",
        "sex": "F",
        "email": "bench@example.fr",
        "commune_insee": "75056",
        # A period may not start in the past (PROTOCOL.md v1.1): a year from today in Paris.
        "scope": {"kind": "period", "start": today.isoformat(), "end": end.isoformat()},
        "mandataire": {
            "birth_name": "N'DIAYE",
            "first_names": "Jean",
            "birth_date": "1979-11-30",
            "commune_insee": "75056",
        },
    }
    for _ in range(count):
        answer = counter.client.post(
            "/v1/requests", json=body, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}
        )
        answer.raise_for_status()
        counter.references.append(answer.json()["reference"])


def _sign_all(counter: Counter) -> None:
    from procuration import jws, timeutil
    from procuration.models import VALIDATION_TYP, identity_digest

    digest = identity_digest(**MANDANT)
    now = timeutil.to_wire(timeutil.now())
    for seq, reference in enumerate(counter.references, start=1):
        validation_id = str(uuid.uuid4())
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
            "officer": counter.matricule,
            "station": STATION,
            "device_seq": seq,
            "created_at": now,
            "identity_digest": digest,
        }
        counter.tokens.append((validation_id, jws.sign(body, counter.key, VALIDATION_TYP)))


def _send(
    counter: Counter, method: str, path: str, body: str | None, headers: dict[str, str]
) -> int:
    """One timed request; the status. Through the lean driver (http.client, one kept-alive
    connection per counter) unless --driver httpx: the driver shares the machine's two
    cores with the server, and httpx costs it about four times more CPU per request."""
    if counter.lean is None:
        return counter.client.request(method, path, content=body, headers=headers).status_code
    counter.lean.request(method, path, body=body, headers=headers)
    answer = counter.lean.getresponse()
    answer.read()
    return answer.status


def _validate_all(counter: Counter) -> None:
    for validation_id, token in counter.tokens:
        headers = {
            **counter.headers,
            "Content-Type": "application/jose",
            "Idempotency-Key": validation_id,
        }
        start = time.perf_counter()
        status = _send(counter, "POST", "/v1/validations", token, headers)
        counter.latencies.append(time.perf_counter() - start)
        counter.statuses[status] = counter.statuses.get(status, 0) + 1


def _lookup_all(counter: Counter, count: int, latencies: list[float]) -> None:
    for index in range(count):
        reference = counter.references[index % len(counter.references)]
        start = time.perf_counter()
        status = _send(counter, "GET", f"/v1/requests/{reference}", None, counter.headers)
        latencies.append(time.perf_counter() - start)
        if status != 200:
            raise SystemExit(f"lookup answered {status}")


def _in_threads(counters: list[Counter], work: Any, *args: Any) -> float:
    """Runs `work(counter, *args)` on one thread per counter; returns the wall time."""
    threads = [threading.Thread(target=work, args=(c, *args)) for c in counters]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start


def drive(
    urls: list[str],
    codes: list[tuple[str, str]],
    per_thread: int,
    lookups: int,
    server_pids: list[int],
    lean: bool,
    postmaster: int | None = None,
) -> dict[str, Any]:
    """Counter `i` talks to instance `i % len(urls)`."""
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    counters = []
    for index, (matricule, _) in enumerate(codes):
        url = urls[index % len(urls)]
        host, port = url.removeprefix("http://").split(":")
        counters.append(
            Counter(
                matricule,
                httpx.Client(base_url=url, timeout=60, limits=limits),
                http.client.HTTPConnection(host, int(port), timeout=60) if lean else None,
            )
        )
    for counter, (_, code) in zip(counters, codes, strict=True):
        _login(counter, code)
    created = _in_threads(counters, _create_requests, per_thread)
    for counter in counters:
        _sign_all(counter)
    cpu = [server_cpu(server_pids, postmaster), cpu_seconds(os.getpid())]
    database = database_cpu(postmaster)
    validating = _in_threads(counters, _validate_all)
    cpu += [server_cpu(server_pids, postmaster), cpu_seconds(os.getpid())]
    database = database_cpu(postmaster) - database
    lookup_latencies: list[float] = []
    looking = _in_threads(counters, _lookup_all, lookups // len(counters), lookup_latencies)
    cpu += [server_cpu(server_pids, postmaster)]
    statuses: dict[int, int] = {}
    for counter in counters:
        for status, count in counter.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
        counter.client.close()
        if counter.lean is not None:
            counter.lean.close()
    return {
        "created_per_s": per_thread * len(counters) / created,
        "validations": sum(len(c.latencies) for c in counters),
        "validating_s": validating,
        "latencies": sorted(x for c in counters for x in c.latencies),
        "statuses": statuses,
        "lookups": len(lookup_latencies),
        "looking_s": looking,
        "lookup_latencies": sorted(lookup_latencies),
        "server_cpu_validating": cpu[2] - cpu[0],
        "database_cpu_validating": database,
        "driver_cpu_validating": cpu[3] - cpu[1],
        "server_cpu_looking": cpu[4] - cpu[2],
    }


def _drive_into(queue: Any, *args: Any) -> None:
    queue.put(drive(*args))


# ---------------------------------------------------------------- report


def _percentile(values: list[float], fraction: float) -> float:
    return values[min(len(values) - 1, int(len(values) * fraction))] * 1000


def report(result: dict[str, Any], args: argparse.Namespace) -> None:
    threads = args.threads
    latencies, lookups = result["latencies"], result["lookup_latencies"]
    print(f"load before: {os.getloadavg()[0]:.2f} (1-min load average), {os.cpu_count()} CPUs")
    workers = args.workers or "auto"
    engine = f"PostgreSQL (fsync on), {args.instances} instance(s)" if args.postgres else "SQLite"
    print(f"server: {engine}, {workers} worker processes each")
    print(f"driver: {args.driver}, {threads} threads (counters)")
    print(f"requests created (untimed setup)   {result['created_per_s']:8.0f} /s")
    count = max(1, result["validations"])
    rate = result["validations"] / result["validating_s"]
    print(
        f"signed validations, {threads} threads   {rate:8.0f} /s "
        f"({result['validations']} in {result['validating_s']:.1f} s; "
        f"statuses {result['statuses']})"
    )
    print(
        f"  latency p50 {_percentile(latencies, 0.5):.1f} ms, "
        f"p99 {_percentile(latencies, 0.99):.1f} ms, max {latencies[-1] * 1000:.1f} ms"
    )
    database = result["database_cpu_validating"] / count * 1000
    print(
        f"  CPU per validation: server {result['server_cpu_validating'] / count * 1000:.2f} ms"
        + (f" (of which PostgreSQL {database:.2f} ms)" if args.postgres else "")
        + f", driver {result['driver_cpu_validating'] / count * 1000:.2f} ms"
    )
    print(
        f"lookups, {threads} threads              "
        f"{result['lookups'] / result['looking_s']:8.0f} /s "
        f"(p50 {_percentile(lookups, 0.5):.1f} ms, p99 {_percentile(lookups, 0.99):.1f} ms; "
        f"server CPU {result['server_cpu_looking'] / max(1, result['lookups']) * 1000:.2f} ms each)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--validations", type=int, default=4000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=0, help="server processes (0: auto)")
    parser.add_argument(
        "--driver", choices=["http.client", "httpx"], default="http.client",
        help="the client of the timed requests (setup always uses httpx)",
    )  # fmt: skip
    parser.add_argument("--lookups", type=int, default=4000)
    parser.add_argument("--postgres", action="store_true", help="a PostgreSQL cluster, fsync on")
    parser.add_argument("--instances", type=int, default=1, help="`serve` processes on one DB")
    args = parser.parse_args()
    if args.instances > 1 and not args.postgres:
        parser.error("--instances needs --postgres: instances share a database server")
    with tempfile.TemporaryDirectory(prefix="mpr-bench-") as tmp, contextlib.ExitStack() as stack:
        cluster = stack.enter_context(postgres_cluster()) if args.postgres else None
        db_url = cluster.url if cluster else None
        codes = seed(Path(tmp) / "data0", args.threads, db_url)
        servers: list[subprocess.Popen[bytes]] = []
        stack.callback(stop_all, servers)
        urls = []
        for number in range(args.instances):  # one after the other: each migrates first
            port = free_port()
            data_dir = Path(tmp) / f"data{number}"
            if number:  # instances of one service share its keys (issuer, journal)
                data_dir.mkdir(mode=0o700)
                shutil.copytree(Path(tmp) / "data0" / "keys", data_dir / "keys")
            log = Path(tmp) / f"server{number}.log"
            servers.append(start_server(data_dir, port, log, args.workers, db_url))
            urls.append(f"http://127.0.0.1:{port}")
        result = _drive_elsewhere(
            urls, codes, args.validations // args.threads, args.lookups,
            [server.pid for server in servers], args.driver == "http.client",
            cluster.postmaster if cluster else None,
        )  # fmt: skip
        report(result, args)
    return 0


def _drive_elsewhere(*args: Any) -> dict[str, Any]:
    """`drive(*args)` in a separate process: the driver's GIL is not the server's."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    driver = context.Process(target=_drive_into, args=(queue, *args))
    driver.start()
    result: dict[str, Any] = queue.get()
    driver.join()
    return result


if __name__ == "__main__":
    sys.exit(main())
