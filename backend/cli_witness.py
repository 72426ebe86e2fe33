"""`guichet-backend journal witness export|verify FILE` (see backend.witness)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from backend import witness
from backend.context import Backend
from backend.services import journal
from backend.verify import verify_all


def witness_export(args: argparse.Namespace, backend: Backend) -> int:
    journal.sign_grown(backend)  # the witness then covers the unsigned tail too
    print(f"{witness.export(backend, Path(args.file))} checkpoints written to {args.file}")
    return 0


def witness_verify(args: argparse.Namespace, backend: Backend) -> int:
    """The witness's checkpoints against the database, then every chain as `verify` does."""
    results = witness.check(backend, Path(args.file))
    for chain, message in results.items():
        print(f"{chain}: {message}")
    chains = verify_all(backend)
    for chain, message in chains.items():
        if not message.startswith("ok"):
            print(f"{chain}: {message}")
    everything = [*results.values(), *chains.values()]
    return 0 if all(message.startswith("ok") for message in everything) else 1


def add_commands(journal_commands: Any) -> None:
    parser = journal_commands.add_parser("witness", help="checkpoints kept outside the database")
    commands = parser.add_subparsers(dest="witness_command", required=True)
    for name, handler, help_text in (
        ("export", witness_export, "write the latest checkpoint of every chain to FILE"),
        ("verify", witness_verify, "check that the database still extends FILE"),
    ):
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("file", metavar="FILE")
        sub.set_defaults(handler=handler)
