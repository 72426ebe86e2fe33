"""The backend's HTTP API, as typed synchronous calls. The only module that imports httpx.

One shared `httpx.Client` (connection reuse matters at the counter: a new TLS handshake per
lookup would cost more than the lookup itself), explicit timeouts, TLS verified against the
deployment's CA only. Every httpx exception and every RFC 9457 problem becomes a
`ClientError` from `errors.py`.

httpx is imported when the first client is built, not with this module: it costs more to
import than Qt's widgets, and the login window must not wait for it (bench/client_latency.py).
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

import orjson
from pydantic import BaseModel, ValidationError

from desktop.services.errors import (
    ClientError,
    ConfigurationError,
    NetworkError,
    ServerError,
    SessionExpiredError,
    TlsError,
)
from procuration.loopback import is_loopback_host
from procuration.models import LookupResponse
from procuration.wire import (
    PROBLEM_PREFIX,
    Challenge,
    CheckpointBody,
    Enrolled,
    JournalPage,
    LoggedIn,
    ProblemCode,
    TrustList,
)

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

_PROBLEM_MEMBERS = {"type", "title", "status", "detail", "instance", "errors"}
# The code of an error status that came without a problem body of ours (a proxy's page).
_FALLBACK_CODES = {
    400: ProblemCode.VALIDATION,
    401: ProblemCode.UNAUTHENTICATED,
    403: ProblemCode.FORBIDDEN,
    404: ProblemCode.NOT_FOUND,
    409: ProblemCode.CONFLICT,
    413: ProblemCode.PAYLOAD_TOO_LARGE,
    422: ProblemCode.VALIDATION,
    429: ProblemCode.RATE_LIMITED,
}
_BodyModel = TypeVar("_BodyModel", bound=BaseModel)


@dataclass(frozen=True)
class ServerConfig:
    """Where the backend is and which CA vouches for it (None: the system's CAs)."""

    url: str
    ca_file: str | None = None


@dataclass(frozen=True)
class Timeouts:
    connect: float = 3.0
    read: float = 10.0
    submit: float = 2.0  # the synchronous send after Valider: the outbox takes over beyond


def check_server_url(url: str) -> str:
    """The URL without a trailing slash; plain http is refused unless the host is loopback."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if parts.scheme not in {"http", "https"} or not host:
        raise ConfigurationError("server URL must be http(s)://host[:port]")
    if parts.scheme == "http" and not is_loopback_host(host):
        raise ConfigurationError("plain http to a remote host", code="insecure-server")
    return url.strip().rstrip("/")


def is_loopback_url(url: str) -> bool:
    """Whether `url` names this machine: the only server a demo may talk to."""
    return is_loopback_host(urlsplit(url.strip()).hostname or "")


def tls_context(ca_file: str | None) -> ssl.SSLContext:
    """Verification always on; with a CA file, that CA is the only trust anchor."""
    if ca_file is None:
        return ssl.create_default_context()
    if not Path(ca_file).is_file():
        raise ConfigurationError(f"CA file not found: {ca_file}", code="ca-file")
    try:
        return ssl.create_default_context(cafile=ca_file)
    except (ssl.SSLError, OSError) as exc:
        raise ConfigurationError(f"unusable CA file: {exc}", code="ca-file") from exc


class ApiClient:
    def __init__(
        self,
        server: ServerConfig,
        *,
        timeouts: Timeouts = Timeouts(),
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        import httpx

        self.server = ServerConfig(check_server_url(server.url), server.ca_file)
        if server.ca_file is None and not is_loopback_url(self.server.url):
            # Pinned to the deployment's CA: any CA the PC trusts could otherwise stand in
            # for the backend and collect passwords and sessions.
            raise ConfigurationError("a remote server needs its CA file", code="ca-file")
        self.timeouts = timeouts
        self._token: str | None = None
        self._http = httpx.Client(
            base_url=self.server.url,
            timeout=httpx.Timeout(timeouts.read, connect=timeouts.connect),
            # Plain http is loopback only (checked above): no TLS context to build for it.
            verify=tls_context(server.ca_file) if self.server.url.startswith("https") else True,
            transport=transport,
            headers={"User-Agent": "guichet-maprocuration/0.1", "Accept": "application/json"},
            follow_redirects=False,
        )

    def set_token(self, token: str | None) -> None:
        self._token = token

    @property
    def has_token(self) -> bool:
        return self._token is not None

    def close(self) -> None:
        self._http.close()

    # -- endpoints ------------------------------------------------------------------------

    def health(self) -> bool:
        try:
            response = self._send("GET", "/health", session=False, timeout=self.timeouts.connect)
        except ClientError:
            return False
        return response.status_code == 200

    def enroll(self, code: str, public_jwk: Mapping[str, str], label: str) -> str:
        body = {"code": code, "public_jwk": dict(public_jwk), "label": label}
        answer = self._json("POST", "/v1/devices/enroll", json=body, session=False)
        return _read(Enrolled, answer, "enrolment answer").kid

    def challenge(self, kid: str) -> str:
        answer = self._json("POST", "/v1/auth/challenge", json={"kid": kid}, session=False)
        return _read(Challenge, answer, "challenge answer").nonce

    def login(self, fields: Mapping[str, str]) -> LoggedIn:
        """`fields`: matricule, password, kid, nonce, nonce_signature."""
        answer = self._json("POST", "/v1/auth/login", json=dict(fields), session=False)
        return _read(LoggedIn, answer, "login answer")

    def logout(self) -> None:
        # 204 No Content: there is no JSON to decode (`_json` would call it a bad response).
        self._send("POST", "/v1/auth/logout", json={})

    def trust(self) -> TrustList:
        return _read(TrustList, self._json("GET", "/v1/trust"), "trust list")

    def lookup(self, reference: str, *, timeout: float | None = None) -> LookupResponse:
        answer = self._json("GET", f"/v1/requests/{reference}", timeout=timeout)
        return _read(LookupResponse, answer, "lookup answer")

    def submit(self, validation_id: str, token: str, *, timeout: float | None) -> dict[str, Any]:
        headers = {"Content-Type": "application/jose", "Idempotency-Key": validation_id}
        return self._json(
            "POST", "/v1/validations", content=token.encode("ascii"), headers=headers,
            timeout=timeout,
        )  # fmt: skip

    def submit_batch(
        self, tokens: Sequence[str], *, timeout: float | None
    ) -> list[dict[str, Any] | ServerError]:
        """One result per token, in order: the stored response, or the item's problem."""
        answer = self._send("POST", "/v1/validations/batch", json=list(tokens), timeout=timeout)
        items = _decode(answer)
        if not isinstance(items, list) or len(items) != len(tokens):
            raise ServerError("bad-response", answer.status_code, "batch answer")
        return [_batch_item(item) for item in items]

    # -- supervisor journal (fits `journal_review.JournalApi` with a trust store) ----------

    def fetch_day(self, day: date, station: str) -> JournalPage:
        params = {"day": day.isoformat(), "station": station}
        return _read(JournalPage, self._json("GET", "/v1/journal", params=params), "journal")

    def fetch_range(self, from_seq: int, to_seq: int, station: str) -> JournalPage:
        params = {"from_seq": from_seq, "to_seq": to_seq, "station": station}
        return _read(JournalPage, self._json("GET", "/v1/journal", params=params), "journal")

    def latest_checkpoint(self, station: str) -> str:
        answer = self._json("GET", "/v1/journal/checkpoint", params={"station": station})
        return _read(CheckpointBody, answer, "checkpoint").checkpoint

    # -- plumbing -------------------------------------------------------------------------

    def _json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        response = self._send(method, path, **kwargs)
        body = _decode(response)
        if not isinstance(body, dict):
            raise ServerError("bad-response", response.status_code, f"{method} {path}")
        return body

    def _send(
        self, method: str, path: str, *, session: bool = True, timeout: float | None = None,
        headers: Mapping[str, str] | None = None, **kwargs: Any,
    ) -> httpx.Response:  # fmt: skip
        all_headers = dict(headers or {})
        if session:
            if self._token is None:
                raise SessionExpiredError("no session")
            all_headers["Authorization"] = f"Bearer {self._token}"
        if timeout is not None:
            import httpx

            kwargs["timeout"] = httpx.Timeout(timeout, connect=min(timeout, self.timeouts.connect))
        with _mapped_errors(method, path):
            response = self._http.request(method, path, headers=all_headers, **kwargs)
        if response.status_code >= 400:
            error = problem_error(response.status_code, _decode_or_none(response), response)
            if session and response.status_code == 401:
                raise SessionExpiredError(error.detail)
            raise error
        return response


@contextmanager
def _mapped_errors(method: str, path: str) -> Iterator[None]:
    import httpx

    where = f"{method} {path}"
    try:
        yield
    except httpx.TimeoutException as exc:
        raise NetworkError(f"timeout: {where}", code="timeout") from exc
    except httpx.ConnectError as exc:
        if _is_tls_failure(exc):
            raise TlsError(f"TLS verification failed: {where}") from exc
        raise NetworkError(f"cannot connect: {where}") from exc
    except httpx.InvalidURL as exc:
        raise ConfigurationError(f"invalid URL: {where}") from exc
    except httpx.HTTPError as exc:
        raise NetworkError(f"{type(exc).__name__}: {where}") from exc


def _is_tls_failure(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError) or "CERTIFICATE_VERIFY_FAILED" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _read(model: type[_BodyModel], answer: Mapping[str, Any], what: str) -> _BodyModel:
    """The answer as the wire model says it must be, or a ServerError("bad-response")."""
    try:
        return model.model_validate(answer)
    except ValidationError as exc:
        raise ServerError("bad-response", 200, what) from exc


def _decode(response: httpx.Response) -> Any:
    # orjson: a supervisor's day is ~35 MB of JSON, parsed in half the standard parser's time.
    try:
        return orjson.loads(response.content)
    except ValueError as exc:
        raise ServerError("bad-response", response.status_code, "not JSON") from exc


def _decode_or_none(response: httpx.Response) -> Any:
    try:
        return orjson.loads(response.content)
    except ValueError:
        return None


def problem_error(status: int, body: Any, response: httpx.Response | None = None) -> ServerError:
    """The ServerError for an RFC 9457 problem (or for a bare error status)."""
    problem = body if isinstance(body, dict) else {}
    kind = problem.get("type")
    if isinstance(kind, str) and kind.startswith(PROBLEM_PREFIX):
        # A code this client does not know yet (a newer backend) keeps its name: the
        # officer reads the generic sentence, the log names the code.
        code = str(ProblemCode.from_type(kind) or kind.removeprefix(PROBLEM_PREFIX))
    else:
        code = str(_FALLBACK_CODES.get(status, "server"))
    context = {
        str(k): str(v)
        for k, v in problem.items()
        if k not in _PROBLEM_MEMBERS and isinstance(v, str | int | bool)
    }
    retry_after = _retry_after(response.headers.get("Retry-After")) if response else None
    # The problem's free-text detail may quote personal data: logs get the code only.
    return ServerError(code, status, f"{status} {code}", retry_after=retry_after, context=context)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


def _batch_item(item: Any) -> dict[str, Any] | ServerError:
    if not isinstance(item, dict) or not isinstance(item.get("status"), int):
        return ServerError("bad-response", 200, "batch item")
    status, body = item["status"], item.get("body")
    if status < 400 and isinstance(body, dict):
        return body
    error = problem_error(status, body)
    retry = body.get("retry_after") if isinstance(body, dict) else None
    if isinstance(retry, int):
        error.retry_after = float(retry)
    return error
