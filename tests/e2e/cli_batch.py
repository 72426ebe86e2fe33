"""Runs several `guichet-backend` commands in one process, for the e2e seed.

Each command goes through `backend.cli.main`, the function behind the console script, so
it is the CLI a deployment uses; one process instead of one per command saves ~2 s of
imports each (the e2e suite must stay under 90 s on two shared cores).

Stdin: a JSON list of argv lists. Stdout: a JSON list of {"rc", "out"}.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from typing import Any


def run(commands: list[list[str]]) -> list[dict[str, Any]]:
    from backend.cli import main

    results = []
    for argv in commands:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            rc = main(argv)
        results.append({"rc": rc, "out": out.getvalue()})
    return results


if __name__ == "__main__":
    json.dump(run(json.load(sys.stdin)), sys.stdout)
