"""One rule for "this machine" (procuration/loopback.py), and both sides apply it."""

from __future__ import annotations

from argparse import Namespace

import pytest

from backend.cli import check_listening
from backend.errors import AppError
from desktop.services.api_client import check_server_url
from desktop.services.errors import ConfigurationError
from procuration.loopback import is_loopback_host

LOOPBACK = ["localhost", "LocalHost", "127.0.0.1", "127.1.2.3", "127.255.255.254", "::1",
            "[::1]", "0:0:0:0:0:0:0:1"]  # fmt: skip
NOT_LOOPBACK = [
    "",
    "0.0.0.0",  # every interface
    "::",
    "10.0.0.5",
    "128.0.0.1",
    "127.1",  # not a dotted quad: resolvers disagree
    "::ffff:127.0.0.1",  # IPv4-mapped: Python versions disagree
    "::1%lo",  # a zone: not the plain address
    "localhost.localdomain",  # /etc/hosts convention, not a guarantee
    "evil.localhost",
    "localhost.example.org",
    "backend.example.org",
]


@pytest.mark.parametrize("host", LOOPBACK)
def test_loopback_hosts(host: str) -> None:
    assert is_loopback_host(host)


@pytest.mark.parametrize("host", NOT_LOOPBACK)
def test_other_hosts(host: str) -> None:
    assert not is_loopback_host(host)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "::1", "localhost.localdomain",
                                  "127.1", "10.0.0.5", "0.0.0.0"])  # fmt: skip
def test_the_client_and_the_backend_agree(host: str) -> None:
    """Plain http from the client and serving in clear from the backend: the same hosts."""
    expected = is_loopback_host(host)
    try:
        check_server_url(f"http://{_url_host(host)}:8000")
        client_allows = True
    except ConfigurationError:
        client_allows = False
    try:
        check_listening(Namespace(host=host, tls_cert=None, tls_key=None))
        backend_allows = True
    except AppError:
        backend_allows = False
    assert client_allows == backend_allows == expected
