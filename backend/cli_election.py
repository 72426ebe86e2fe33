"""`guichet-backend election add|list`: the election calendar (an admin edits it)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from pydantic import ValidationError

from backend.cli_input import problem_lines
from backend.context import Backend
from backend.errors import AppError
from backend.services import elections
from procuration.elections import Election


def election_add(args: argparse.Namespace, backend: Backend) -> int:
    rounds = [{"round": 1, "polling_day": args.round1}]
    if args.round2:
        rounds.append({"round": 2, "polling_day": args.round2})
    try:
        election = Election.model_validate({"id": args.id, "label": args.label, "rounds": rounds})
    except ValidationError as exc:
        raise AppError(f"invalid election:\n{problem_lines(exc)}") from None
    elections.add_election(backend, election)
    print(election.id)
    return 0


def election_list(_args: argparse.Namespace, backend: Backend) -> int:
    """One JSON line per election, as GET /v1/elections answers."""
    for election in elections.list_elections(backend):
        print(json.dumps(election.model_dump(mode="json"), ensure_ascii=False))
    return 0


def add_commands(commands: Any) -> None:
    election = commands.add_parser("election", help="the election calendar")
    sub = election.add_subparsers(dest="election_command", required=True)
    add = sub.add_parser("add", help="add an election and its polling days")
    add.add_argument("--id", required=True, help="e.g. presidentielle-2027")
    add.add_argument("--label", required=True, help="e.g. 'Élection présidentielle 2027'")
    add.add_argument("--round1", required=True, metavar="YYYY-MM-DD")
    add.add_argument("--round2", metavar="YYYY-MM-DD", help="second round, if any")
    add.set_defaults(handler=election_add)
    listing = sub.add_parser("list", help="the calendar, one JSON line per election")
    listing.set_defaults(handler=election_list)
