"""The names the supervisor's review shows come from the profiles this PC holds."""

from __future__ import annotations

from datetime import UTC, datetime

from desktop.services.officer_names import known_names
from desktop.services.offline import OfflineProfile
from procuration.models import OfficerInfo, Role


def officer(matricule: str, name: str, grade: str, role: Role = Role.OPJ) -> OfficerInfo:
    return OfficerInfo(
        matricule=matricule,
        name=name,
        grade=grade,
        role=role,
        station="PN-75-001",
        habilitation_until=None,
    )


class Vault:
    def __init__(self, *officers: OfficerInfo) -> None:
        now = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
        self.profiles = {
            o.matricule: OfflineProfile.after_login(o, "secret", now).to_json() for o in officers
        }
        self.profiles["OPJ-9"] = "not json"

    def load_offline_profile(self, matricule: str) -> str | None:
        return self.profiles.get(matricule)


def test_enrolled_officers_with_a_profile_are_named_and_others_stay_matricules() -> None:
    chief = officer("OPJ-0001", "Martin", "Cne", Role.SUPERVISOR)
    vault = Vault(officer("OPJ-1001", "Petit", "Adj"))
    names = known_names(vault, ["OPJ-1001", None, "OPJ-1002", "OPJ-9"], chief)
    assert names == {"OPJ-0001": "Cne Martin", "OPJ-1001": "Adj Petit"}
