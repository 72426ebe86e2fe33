"""Typed settings: defaults, then `MPR_*` environment variables, then the command line."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MPR_", extra="ignore", frozen=True)

    data_dir: Path = Path("var/backend")
    # Empty means SQLite at data_dir/guichet.sqlite3.
    db_url: str = ""
    issuer_key_path: Path | None = None
    journal_key_path: Path | None = None
    lookup_rate_per_minute: int = 30
    # Request creations per minute, per caller and per client address (POST /v1/requests).
    request_rate_per_minute: int = 20
    # base64url SHA-256 of the admin API token (`guichet-backend admin-token` makes one);
    # empty: no admin token, only an admin officer's session creates requests over HTTP.
    admin_token_sha256: str = ""
    offline_allowance_hours: int = 72
    clock_skew_minutes: int = 5
    enrolment_ttl_minutes: int = 15
    nonce_ttl_seconds: int = 60
    session_idle_minutes: int = 15
    session_absolute_hours: int = 10
    request_lifetime_days: int = 61  # "2 months", counted generously in the mandant's favour
    retention_days: int = 366  # "1 year after the end of validity"
    # Short: the unsigned tail is what a database owner could rewrite unseen (docs/security.md).
    checkpoint_interval_seconds: int = 300
    max_body_bytes: int = 64 * 1024
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_sender: str = "ne-pas-repondre@maprocuration.example"
    server_url: str = "http://127.0.0.1:8000"
    # The portals (backend/web): the voter's identity provider (OpenID Connect discovery at
    # `oidc_issuer`/.well-known/openid-configuration; empty: the voter portal cannot log in),
    # and how long a web session lasts without a page being opened.
    oidc_issuer: str = ""
    oidc_client_id: str = "guichet-portail"
    oidc_client_secret: str = ""
    # The portals' public address as the voter's browser sees it (behind the reverse proxy,
    # e.g. https://maprocuration.example): the OIDC redirect address is built on it, never
    # on the request's Host header, which the client chooses. Empty: from the request (the
    # demo, on this machine).
    portal_url: str = ""
    web_session_minutes: int = 20
    # `serve` worker processes; 0: one per CPU, at most 4 (docs/backend.md, "Throughput").
    workers: int = 0

    def database_url(self) -> str:
        if self.db_url:
            return self.db_url
        return f"sqlite:///{self.data_dir / 'guichet.sqlite3'}"


def to_environment(settings: Settings) -> dict[str, str]:
    """The `MPR_*` variables that rebuild `settings` in another process (a `serve` worker):
    `Settings()` there gives the same values."""
    return {
        f"MPR_{name.upper()}": str(value)
        for name, value in settings.model_dump().items()
        if value is not None
    }
