"""The supervisor review's view of the backend: journal answers from the API client,
journal keys from the cached trust list (`journal_review.JournalApi`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from desktop.services.api_client import ApiClient
from desktop.services.trust import TrustStore
from procuration.wire import JournalPage


class JournalApiAdapter:
    def __init__(self, api: ApiClient, trust: TrustStore) -> None:
        self._api = api
        self._trust = trust

    def fetch_day(self, day: date, station: str) -> JournalPage:
        return self._api.fetch_day(day, station)

    def fetch_range(self, from_seq: int, to_seq: int, station: str) -> JournalPage:
        return self._api.fetch_range(from_seq, to_seq, station)

    def latest_checkpoint(self, station: str) -> str:
        return self._api.latest_checkpoint(station)

    def journal_keys(self) -> Mapping[str, Ed25519PublicKey]:
        # The login refreshed the trust list when it was older than an hour.
        return self._trust.journal_keys()
