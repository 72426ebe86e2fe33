"""The officers' names the supervisor's review shows beside their matricules.

The journal carries matricules only (no personal data in an append-only chain). The names
come from what this PC legitimately holds: the profile the backend returned at each
officer's last online login here (kept for the offline login, desktop.services.offline),
for every officer enrolled on the PC, and the supervisor's own. An officer who never logged
in on this PC stays a matricule. docs/decisions.md "Officers' names in the review".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from desktop.services.offline import OfflineProfile
from procuration.models import OfficerInfo


class ProfileVault(Protocol):
    def load_offline_profile(self, matricule: str) -> str | None: ...


def display_name(officer: OfficerInfo) -> str:
    return f"{officer.grade} {officer.name}".strip()


def known_names(
    vault: ProfileVault, matricules: Iterable[str | None], supervisor: OfficerInfo
) -> dict[str, str]:
    """matricule -> "grade name" of each enrolled officer whose profile this PC holds."""
    names = {supervisor.matricule: display_name(supervisor)}
    for matricule in {m for m in matricules if m}:
        stored = vault.load_offline_profile(matricule)
        profile = OfflineProfile.from_json(stored) if stored else None
        if profile is not None and profile.officer.matricule == matricule:
            names[matricule] = display_name(profile.officer)
    return names
