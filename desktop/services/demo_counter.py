"""The demonstration's counter (`make run`, demo.json): every officer of the demo logs in
without an enrolment wizard.

A device key is enrolled to one officer, and a counter PC holds one key per officer. In the
demo, the PC is enrolled at start with the counter officer's code (the shell's automatic
enrolment); when another demo officer logs in for the first time on this PC, `DemoCounter`
spends that officer's single-use code from demo.json to enrol a key of theirs, silently,
then logs in. Built by `desktop.app` in demo mode only: `Counter.login`, the real login,
knows nothing of it. The vault's rules still hold (no vault, no enrolment).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Self

from desktop.services.clock import Clock
from desktop.services.counter import Counter
from desktop.services.credentials import Vault
from desktop.services.errors import ClientError, NotEnrolledError, ServerError
from desktop.services.settings import Settings
from procuration.models import OfficerInfo

log = logging.getLogger(__name__)

DEMO_LABEL = "Poste de démonstration"


class DemoCounter(Counter):
    """A `Counter` whose login enrols a demo officer's key first when this PC has none."""

    def __init__(self, *, enrolment_codes: Mapping[str, str] | None = None, **parts: Any) -> None:
        super().__init__(**parts)
        # matricule -> single-use code, each spent at most once (a refused one is dropped).
        self._enrolment_codes = dict(enrolment_codes or {})

    @classmethod
    def from_settings(
        cls, settings: Settings, vault: Vault, clock: Clock | None = None,
        *, enrolment_codes: Mapping[str, str] | None = None,
    ) -> Self:  # fmt: skip
        counter = super().from_settings(settings, vault, clock)
        counter._enrolment_codes.update(enrolment_codes or {})
        return counter

    def login(self, matricule: str, password: str) -> OfficerInfo:
        try:
            return super().login(matricule, password)
        except (NotEnrolledError, ServerError) as exc:
            code = self._code_for(matricule, exc)
            if code is None:
                raise
            self._enroll_officer(matricule, code, exc)
            return super().login(matricule, password)

    def _code_for(self, matricule: str, exc: ClientError) -> str | None:
        """The demo's code for an officer with no key of their own on this PC, refused as
        "not enrolled" or "unauthenticated" (a key without known owner was someone else's)."""
        if isinstance(exc, ServerError) and exc.code != "unauthenticated":
            return None
        record = self._devices.load()
        if record is not None and any(e.matricule == matricule for e in record.enrolments):
            return None
        return self._enrolment_codes.get(matricule)

    def _enroll_officer(self, matricule: str, code: str, login_error: ClientError) -> None:
        """Enrols a key for `matricule` with their demo code, silently; the vault's rules
        hold (VaultUnavailableError propagates). A refused code means the login's error."""
        record = self._record()
        try:
            self.enroll(record.server_url, record.ca_file, code, DEMO_LABEL, owner=matricule)
        except ServerError as exc:
            self._enrolment_codes.pop(matricule, None)  # spent or expired: not again
            log.info("demo enrolment refused: %s", exc.code)
            raise login_error from exc
        self._enrolment_codes.pop(matricule, None)
        log.info("demo: key enrolled for an officer at first login")
