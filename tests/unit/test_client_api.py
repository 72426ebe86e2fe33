"""The API client: every httpx failure and every problem document becomes a ClientError."""

from __future__ import annotations

import ssl
import subprocess
import sys

import httpx
import pytest

from desktop.services.api_client import ApiClient, ServerConfig
from desktop.services.errors import (
    ConfigurationError,
    NetworkError,
    ServerError,
    SessionExpiredError,
    TlsError,
)
from tests.support.fake_backend import problem


def client(handler: httpx.MockTransport) -> ApiClient:
    api = ApiClient(ServerConfig("http://127.0.0.1:9"), transport=handler)
    api.set_token("tok")
    return api


def raising(exc: Exception) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return httpx.MockTransport(handler)


def answering(response: httpx.Response) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: response)


def test_already_validated_carries_who_where_and_when() -> None:
    answer = problem(409, "already-validated", station="GN-69-002",
                     validated_at="2026-06-12T08:00:00Z", detail="free text")  # fmt: skip
    api = client(answering(answer))
    with pytest.raises(ServerError) as caught:
        api.lookup("7K3QZ9")
    error = caught.value
    assert (error.code, error.status, error.definitive) == ("already-validated", 409, True)
    assert error.context == {"station": "GN-69-002", "validated_at": "2026-06-12T08:00:00Z"}


def test_rate_limit_is_retryable_after_the_servers_delay() -> None:
    response = problem(429, "rate-limited")
    response.headers["Retry-After"] = "30"
    with pytest.raises(ServerError) as caught:
        client(answering(response)).lookup("7K3QZ9")
    assert caught.value.retry_after == 30 and not caught.value.definitive


def test_a_problem_without_our_urn_still_gets_a_code() -> None:
    with pytest.raises(ServerError) as caught:
        client(answering(httpx.Response(502, text="Bad gateway"))).trust()
    assert caught.value.code == "server" and not caught.value.definitive


def test_401_on_a_session_call_means_the_session_expired() -> None:
    with pytest.raises(SessionExpiredError):
        client(answering(problem(401, "unauthenticated"))).trust()


def test_401_at_login_is_a_wrong_password_not_an_expired_session() -> None:
    api = client(answering(problem(401, "unauthenticated")))
    with pytest.raises(ServerError) as caught:
        api.login({"matricule": "1", "password": "x", "kid": "k", "nonce": "n",
                   "nonce_signature": "s"})  # fmt: skip
    assert caught.value.code == "unauthenticated"


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (httpx.ConnectError("refused"), NetworkError),
        (httpx.ReadTimeout("slow"), NetworkError),
        (httpx.RemoteProtocolError("eof"), NetworkError),
    ],
)
def test_transport_failures_are_network_errors(exc: Exception, expected: type) -> None:
    with pytest.raises(expected):
        client(raising(exc)).lookup("7K3QZ9")


def test_a_certificate_from_another_ca_is_a_tls_error() -> None:
    cause = ssl.SSLCertVerificationError("certificate verify failed")
    error = httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED]")
    error.__cause__ = cause
    with pytest.raises(TlsError):
        client(raising(error)).lookup("7K3QZ9")


def test_health_is_false_when_unreachable() -> None:
    assert client(raising(httpx.ConnectError("refused"))).health() is False


def test_plain_http_is_refused_unless_loopback() -> None:
    for url in ("http://localhost:8000", "http://[::1]:8000", "https://127.0.0.1:8443"):
        ApiClient(ServerConfig(url)).close()
    with pytest.raises(ConfigurationError) as caught:
        ApiClient(ServerConfig("http://10.0.0.5:8000"))
    assert caught.value.code == "insecure-server"


def test_a_remote_server_without_its_ca_file_is_refused() -> None:
    with pytest.raises(ConfigurationError) as caught:
        ApiClient(ServerConfig("https://backend.example.org"))
    assert caught.value.code == "ca-file"


def test_a_missing_ca_file_is_a_configuration_error(tmp_path: object) -> None:
    with pytest.raises(ConfigurationError) as caught:
        ApiClient(ServerConfig("https://backend.example.org", "/nonexistent/ca.pem"))
    assert caught.value.code == "ca-file"


def test_validation_is_sent_as_jose_with_its_idempotency_key() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"status": "transmitted"})

    client(httpx.MockTransport(handler)).submit("vid-1", "a.b.c", timeout=1.0)
    assert seen[0].headers["Content-Type"] == "application/jose"
    assert seen[0].headers["Idempotency-Key"] == "vid-1"
    assert seen[0].content == b"a.b.c"


def test_batch_results_map_item_by_item() -> None:
    body = [
        {"status": 201, "body": {"validation_id": "v1"}},
        {"status": 409, "body": {"type": "urn:mpr:error:replay", "status": 409}},
        {"status": 503, "body": {"type": "urn:mpr:error:unavailable", "status": 503}},
    ]
    results = client(answering(httpx.Response(200, json=body))).submit_batch(
        ["a", "b", "c"], timeout=1.0
    )
    assert results[0] == {"validation_id": "v1"}
    assert isinstance(results[1], ServerError) and results[1].definitive
    assert isinstance(results[2], ServerError) and not results[2].definitive


def test_logout_answered_204_without_a_body_is_a_success() -> None:
    requests: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(f"{request.method} {request.url.path}")
        return httpx.Response(204)

    client(httpx.MockTransport(handler)).logout()  # the backend's answer: no exception

    assert requests == ["POST /v1/auth/logout"]


def test_httpx_is_not_imported_before_the_first_client_is_built() -> None:
    # The login window must not wait for httpx's import (bench/client_latency.py).
    code = (
        "import sys, desktop.services.counter, desktop.services.lookup\n"
        "assert 'httpx' not in sys.modules, 'httpx imported at start'\n"
        "from desktop.services.api_client import ApiClient, ServerConfig\n"
        "ApiClient(ServerConfig('http://127.0.0.1:9')).close()\n"
        "assert 'httpx' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
