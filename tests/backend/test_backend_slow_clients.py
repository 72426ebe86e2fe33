"""A half-sent request does not hold its connection: closed after the read deadline."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from backend.api.slow_clients import ReadDeadlineProtocol


class QuickDeadline(ReadDeadlineProtocol):
    read_seconds = 0.5


async def _hello(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Reads the whole body, as the API's routes do, then answers."""
    assert scope["type"] == "http"
    while (await receive()).get("more_body", False):
        pass
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


@pytest.fixture
def port() -> Iterator[int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        chosen = int(probe.getsockname()[1])
    config = uvicorn.Config(
        _hello, host="127.0.0.1", port=chosen, http=QuickDeadline, log_level="error", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    yield chosen
    server.should_exit = True
    thread.join(5)


def _closed_within(connection: socket.socket, seconds: float) -> bool:
    connection.settimeout(seconds)
    try:
        return connection.recv(1024) == b""
    except TimeoutError:
        return False


@pytest.mark.parametrize(
    "partial",
    [
        b"GET / HTTP/1.1\r\nHost: x\r\n",  # headers never finished
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{",  # body never finished
    ],
)
def test_a_half_sent_request_is_closed_after_the_deadline(port: int, partial: bytes) -> None:
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(partial)
        assert _closed_within(connection, 3.0)


def test_a_whole_request_is_answered(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        connection.settimeout(3.0)
        assert connection.recv(1024).startswith(b"HTTP/1.1 200")
