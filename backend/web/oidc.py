"""The voter portal's OpenID Connect client (authorization code flow with PKCE, S256), over
Authlib (its requests integration: its httpx one is deprecated in favour of another
package); the ID token is verified with joserfc (signature against the provider's published
keys, issuer, audience, expiry, nonce). The civil identity comes from its claims only."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import requests
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

SCOPE = "openid profile email birth"
TIMEOUT = 5.0  # seconds, each call to the provider


class LoginError(Exception):
    """The provider's answer cannot log anyone in (the reason is for the log, not a name)."""


@dataclass(frozen=True)
class Pending:
    """What the portal keeps between sending the browser away and its return."""

    state: str
    nonce: str
    verifier: str


class Provider:
    def __init__(self, issuer: str, client_id: str, client_secret: str) -> None:
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self._metadata: dict[str, Any] | None = None

    def _client(self, redirect_uri: str) -> OAuth2Session:
        return OAuth2Session(
            client_id=self.client_id,
            client_secret=self.client_secret,
            scope=SCOPE,
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
            # No secret: a public client, which PKCE alone protects (RFC 7636).
            token_endpoint_auth_method="client_secret_basic" if self.client_secret else "none",
        )

    def metadata(self) -> dict[str, Any]:
        """The provider's discovery document (blocking: call from a worker thread)."""
        if self._metadata is None:
            answer = requests.get(
                self.issuer + "/.well-known/openid-configuration", timeout=TIMEOUT
            )
            answer.raise_for_status()
            self._metadata = answer.json()
        return self._metadata

    def start(self, redirect_uri: str) -> tuple[str, Pending]:
        """The provider's authorization address to send the browser to."""
        pending = Pending(
            state=secrets.token_urlsafe(24),
            nonce=secrets.token_urlsafe(24),
            verifier=secrets.token_urlsafe(48),
        )
        endpoint = self.metadata()["authorization_endpoint"]
        with self._client(redirect_uri) as client:
            url, _state = client.create_authorization_url(
                endpoint, state=pending.state, nonce=pending.nonce, code_verifier=pending.verifier
            )
        return url, pending

    def finish(self, redirect_uri: str, code: str, pending: Pending) -> dict[str, Any]:
        """The verified ID token's claims for the code the browser brought back."""
        metadata = self.metadata()
        with self._client(redirect_uri) as client:
            try:
                token = client.fetch_token(
                    metadata["token_endpoint"],
                    code=code,
                    code_verifier=pending.verifier,
                    timeout=TIMEOUT,
                )
                keys = requests.get(metadata["jwks_uri"], timeout=TIMEOUT).json()
            except Exception as exc:  # Authlib raises its own errors and requests' ones
                raise LoginError(f"token endpoint refused the code: {type(exc).__name__}") from exc
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise LoginError("no ID token in the token response")
        return self._verified(id_token, keys, pending.nonce)

    def _verified(self, id_token: str, keys: dict[str, Any], nonce: str) -> dict[str, Any]:
        try:
            decoded = jwt.decode(id_token, KeySet.import_key_set(keys))  # type: ignore[arg-type]
            jwt.JWTClaimsRegistry(
                iss={"essential": True, "value": self.issuer},
                aud={"essential": True, "value": self.client_id},
                exp={"essential": True},
                nonce={"essential": True, "value": nonce},
                sub={"essential": True},
            ).validate(decoded.claims)
        except (JoseError, ValueError) as exc:
            raise LoginError(f"ID token refused: {type(exc).__name__}") from exc
        return dict(decoded.claims)
