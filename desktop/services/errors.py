"""The client's error hierarchy. Services raise these; `desktop.ui.messages` turns each one
into one French sentence telling the officer what to do. Only the API client catches httpx
exceptions, and it turns them into these."""

from __future__ import annotations


class ClientError(Exception):
    """Base of every error a service reports to the UI.

    `code` is stable and is what the UI maps to a sentence; `detail` is for logs only and
    must never hold personal data.
    """

    code = "internal"

    def __init__(self, detail: str = "", *, code: str | None = None) -> None:
        super().__init__(detail or (code or self.code))
        if code is not None:
            self.code = code
        self.detail = detail


class NetworkError(ClientError):
    """The backend cannot be reached (DNS, refused, timeout, TLS)."""

    code = "network"


class TlsError(NetworkError):
    """The server's certificate does not chain to the configured CA."""

    code = "tls"


class ServerError(ClientError):
    """The backend answered with a problem document (RFC 9457).

    `code` is the last part of the problem's `type` URN (`unknown-reference`, `expired`,
    `already-validated`, ...); `retry_after` comes from the header when present, and
    `context` carries non-personal fields the UI may show (station, time of a prior
    validation).
    """

    code = "server"

    def __init__(
        self,
        code: str,
        status: int,
        detail: str = "",
        *,
        retry_after: float | None = None,
        context: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail, code=code)
        self.status = status
        self.retry_after = retry_after
        self.context = context or {}

    @property
    def definitive(self) -> bool:
        """A 4xx other than 408/425/429 will fail again if resent unchanged."""
        return 400 <= self.status < 500 and self.status not in {408, 425, 429}


class SessionExpiredError(ClientError):
    code = "session-expired"


class VaultUnavailableError(ClientError):
    """No usable OS vault: the client refuses to keep secrets anywhere else (fail closed)."""

    code = "vault-unavailable"


class NotEnrolledError(ClientError):
    code = "not-enrolled"


class InputError(ClientError):
    """Typed or scanned input that cannot be used; `code` says why (reference-too-short...)."""

    code = "input"


class OfflineError(ClientError):
    """The action needs the backend and the client is offline (a typed reference lookup)."""

    code = "offline"


class TrustListError(ClientError):
    """The cached trust list is missing or older than allowed for offline checks."""

    code = "trust-stale"


class StorageError(ClientError):
    """The local outbox or data directory cannot be written (full disk, permissions)."""

    code = "storage"


# Added by the services (codes the UI maps too):


class ConfigurationError(ClientError):
    """Settings that cannot be used (bad file, bad value, plain http to a remote server).

    Codes: "configuration", "insecure-server" (http:// to a host other than loopback),
    "ca-file" (the CA file is missing or unreadable).
    """

    code = "configuration"


class IntegrityError(ClientError):
    """The client refuses to sign: what the officer was shown does not match what the
    server vouched for (`identity-digest-mismatch`), or the lookup cannot be signed
    (`not-signable`: no station, checks not all ticked for a validation)."""

    code = "identity-digest-mismatch"
