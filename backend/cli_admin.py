"""The administration sub-commands of `guichet-backend` (backend.cli adds them to its parser
and serves; nothing here imports it)."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from backend import cli_witness
from backend.cli_input import REQUEST_EXAMPLE, problem_lines
from backend.context import Backend
from backend.errors import AppError
from backend.mailer import qr_png, write_private
from backend.services import admin, auth, commune, journal, lifecycle, requests, resiliation
from backend.services.schemas import RequestCreate
from backend.verify import verify_all
from procuration.models import Role

CORRECTIONS = [correction.value for correction in commune.Correction]


def officer_add(args: argparse.Namespace, backend: Backend) -> int:
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else args.password
    if not password:
        raise AppError("give --password or --password-stdin")
    admin.add_officer(
        backend,
        admin.NewOfficer(
            args.matricule,
            args.name,
            args.grade,
            Role(args.role),
            password,
            args.station,
            args.commune,
        ),
    )
    print(args.matricule)
    return 0


def station_add(args: argparse.Namespace, backend: Backend) -> int:
    admin.add_station(backend, args.code, args.name)
    print(args.code)
    return 0


def commune_add(args: argparse.Namespace, backend: Backend) -> int:
    if not admin.INSEE.fullmatch(args.insee):
        raise AppError(f"not an INSEE code: {args.insee}")
    admin.add_commune(backend, args.insee, args.name, email=args.email)
    print(args.insee)
    return 0


def commune_proxies(args: argparse.Namespace, backend: Backend) -> int:
    """The commune's side, as its register: reference, status, reason, station, times."""
    officer = commune.officer_named(backend, args.as_matricule)
    items = commune.list_proxies(backend, officer, args.insee)
    writer = csv.writer(sys.stdout, delimiter=";", lineterminator="\n")
    writer.writerow(["reference", "status", "reason", "station", "validated_at", "decided_at"])
    for item in items:
        writer.writerow(
            [item[key] or "" for key in ("reference", "status", "reason", "station")]
            + [item["validated_at"] or "", item["decided_at"] or ""]
        )
    return 0


def commune_decide(args: argparse.Namespace, backend: Backend) -> int:
    officer = commune.officer_named(backend, args.as_matricule)
    accepted = args.decision == "accepted"
    print(commune.decide(backend, officer, args.reference.upper(), accepted, args.reason or ""))
    return 0


def commune_correct(args: argparse.Namespace, backend: Backend) -> int:
    officer = commune.officer_named(backend, args.as_matricule)
    correction = commune.Correction(args.reason)
    print(commune.correct(backend, officer, args.reference.upper(), correction))
    return 0


def roll_import(args: argparse.Namespace, backend: Backend) -> int:
    """A `;`-separated CSV with a header: insee;birth_name;first_names;birth_date[;...]."""
    with Path(args.csv).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=";")
        missing = set(admin.ROLL_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise AppError(f"roll CSV lacks the columns {', '.join(sorted(missing))}")
        print(admin.add_electors(backend, reader))
    return 0


def officer_habilitate(args: argparse.Namespace, backend: Backend) -> int:
    admin.habilitate(backend, args.matricule, args.start, args.until, args.judge)
    return 0


def enrolment_code(args: argparse.Namespace, backend: Backend) -> int:
    print(auth.issue_enrolment_code(backend, args.matricule, args.ttl_minutes))
    return 0


def request_create(args: argparse.Namespace, backend: Backend) -> int:
    source = sys.stdin.read() if args.json == "-" else Path(args.json).read_text("utf-8")
    try:
        body = RequestCreate.model_validate_json(source)
    except ValidationError as exc:
        raise AppError(f"invalid request JSON (see --help):\n{problem_lines(exc)}") from None
    try:
        created = requests.create(backend, body)
    except AppError as exc:
        field = exc.extensions.get("field")
        if field is None:
            raise
        raise AppError(f"invalid request:\n{field}: {exc.detail}") from None
    qr_image = backend.settings.data_dir / "qr" / f"{created.reference}.png"
    write_private(qr_image, qr_png(created.qr))  # the QR carries the mandant's name
    print(created.reference)
    return 0


def request_resiliation(args: argparse.Namespace, backend: Backend) -> int:
    """What `POST /v1/proxies/{reference}/resiliation` does, with the QR image beside the
    mail, as `request create` writes it."""
    created = resiliation.request(backend, args.reference)
    qr_dir = backend.settings.data_dir / "qr"
    qr_dir.mkdir(parents=True, exist_ok=True)
    (qr_dir / f"{created.reference}.png").write_bytes(qr_png(created.qr))
    print(created.reference)
    return 0


def journal_verify(_args: argparse.Namespace, backend: Backend) -> int:
    results = verify_all(backend)
    for chain, message in results.items():
        print(f"{chain}: {message}")
    return 0 if all(message.startswith("ok") for message in results.values()) else 1


def purge(_args: argparse.Namespace, backend: Backend) -> int:
    expired, purged = lifecycle.run_all(backend)
    print(f"expired {expired}, purged {purged}")
    return 0


def device_revoke(args: argparse.Namespace, backend: Backend) -> int:
    admin.revoke_device(backend, args.kid)
    return 0


def checkpoint(_args: argparse.Namespace, backend: Backend) -> int:
    print(f"{journal.sign_grown(backend)} checkpoints signed")
    return 0


def _add(commands: Any, name: str, handler: Any, help_text: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(name, help=help_text)
    parser.set_defaults(handler=handler)
    return parser


def _station_and_commune(commands: Any) -> None:
    station = commands.add_parser("station", help="police and gendarmerie units")
    station_add_parser = _add(
        station.add_subparsers(dest="station_command", required=True),
        "add",
        station_add,
        "add a station (unit code and name)",
    )
    station_add_parser.add_argument("--code", required=True)
    station_add_parser.add_argument("--name", required=True)
    commune = commands.add_parser("commune", help="communes and their electoral roll")
    commune_commands = commune.add_subparsers(dest="commune_command", required=True)
    commune_add_parser = _add(commune_commands, "add", commune_add, "add a commune")
    commune_add_parser.add_argument("--insee", required=True)
    commune_add_parser.add_argument("--name", required=True)
    commune_add_parser.add_argument("--email", help="the mairie's address for notices")
    roll = _add(commune_commands, "roll-import", roll_import, "load electoral roll lines")
    roll.add_argument("--csv", required=True, help="insee;birth_name;first_names;birth_date")
    proxies = _add(commune_commands, "proxies", commune_proxies, "the proxies of a commune")
    proxies.add_argument("--insee", required=True)
    decide = _add(commune_commands, "decide", commune_decide, "accept or refuse a proxy")
    decide.add_argument("--reference", required=True)
    decide.add_argument("--decision", required=True, choices=["accepted", "refused"])
    decide.add_argument("--reason")
    correct = _add(
        commune_commands, "correct", commune_correct, "accept a proxy the roll check voided"
    )
    correct.add_argument("--reference", required=True)
    correct.add_argument("--reason", required=True, choices=CORRECTIONS)
    for parser in (proxies, decide, correct):
        parser.add_argument(
            "--as", dest="as_matricule", required=True, help="the commune or admin account"
        )


def add_commands(commands: Any) -> None:
    officer = commands.add_parser("officer", help="officers and habilitations")
    officer_commands = officer.add_subparsers(dest="officer_command", required=True)
    add = _add(officer_commands, "add", officer_add, "add an officer")
    for flag in ("--matricule", "--name", "--grade"):
        add.add_argument(flag, required=True)
    add.add_argument("--role", required=True, choices=[role.value for role in Role])
    add.add_argument("--station")
    add.add_argument("--commune", help="INSEE code, for the commune role")
    add.add_argument("--password")
    add.add_argument("--password-stdin", action="store_true")
    hab = _add(officer_commands, "habilitate", officer_habilitate, "record a habilitation")
    hab.add_argument("--matricule", required=True)
    hab.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
    hab.add_argument("--until", required=True, help="YYYY-MM-DD")
    hab.add_argument("--judge", required=True, help="designating judge's reference")
    _station_and_commune(commands)
    code = _add(commands, "enrolment-code", enrolment_code, "print a device enrolment code")
    code.add_argument("--matricule", required=True)
    code.add_argument("--ttl-minutes", type=int)
    request = commands.add_parser("request", help="proxy requests")
    request_commands = request.add_subparsers(dest="request_command", required=True)
    create = request_commands.add_parser(
        "create",
        help="create a request",
        description="Create a proxy request, as the online form does.",
        epilog=REQUEST_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    create.set_defaults(handler=request_create)
    create.add_argument("--json", required=True, help="request body as JSON file, or -")
    cancel = _add(
        request_commands, "resiliation", request_resiliation, "request a proxy's résiliation"
    )
    cancel.add_argument("--reference", required=True, help="the established proxy's reference")
    jour = commands.add_parser("journal", help="the tamper-evident journal")
    jour_commands = jour.add_subparsers(dest="journal_command", required=True)
    _add(jour_commands, "verify", journal_verify, "verify every chain and checkpoint")
    _add(jour_commands, "checkpoint", checkpoint, "sign checkpoints of grown chains")
    cli_witness.add_commands(jour_commands)
    _add(commands, "purge", purge, "expire old requests and purge past retention")
    device = commands.add_parser("device", help="enrolled devices")
    device_commands = device.add_subparsers(dest="device_command", required=True)
    _add(device_commands, "revoke", device_revoke, "revoke a device key").add_argument(
        "--kid", required=True, help="write --kid=VALUE: a kid may start with '-'"
    )
    tls = commands.add_parser("tls-test-ca", help="write a test CA and a localhost certificate")
    tls.add_argument("--out", required=True)
    tls.set_defaults(handler=None)
