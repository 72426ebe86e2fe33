"""Prints where the demo backend listens and the demo credentials, from its demo.json."""

import json
import sys
from pathlib import Path


def main() -> None:
    demo = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    print(f"Backend de démonstration : {sys.argv[2]}")
    print("Comptes de démonstration (matricule / mot de passe / rôle) :")
    for officer in demo["officers"]:
        print(f"  {officer['matricule']:<12} {officer['password']:<22} {officer['role']}")
    print("Références à valider : " + " ".join(demo["references"]))
    for pending in demo.get("resiliations", []):
        print(
            f"Résiliation à valider : {pending['reference']} "
            f"(met fin à la procuration {pending['cancels']})"
        )
    server = sys.argv[2]
    print(f"Portail des électeurs : {server}/portail/")
    print("  Identités de démonstration (FranceConnect — démonstration) :")
    for voter in demo.get("voters", []):
        certified = (
            "identité certifiée, sans guichet" if voter["certified"] else "passage au guichet"
        )
        print(f"    {voter['sub']:<16} {voter['name']:<24} {certified}")
    print(f"Portail des communes : {server}/commune/")
    for officer in demo["officers"]:
        if officer.get("totp_secret"):
            print(
                f"  {officer['matricule']:<12} {officer['password']:<22} "
                f"clé TOTP {officer['totp_secret']}"
            )
            print(
                '    code du moment : .venv/bin/python -c "import pyotp; '
                f"print(pyotp.TOTP('{officer['totp_secret']}').now())\""
            )


if __name__ == "__main__":
    main()
