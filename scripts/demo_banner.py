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


if __name__ == "__main__":
    main()
