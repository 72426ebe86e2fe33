"""The `guichet` entry point: the login form on screen first, the services after.

A first paint needs Qt's widgets, the style sheet and the translations, nothing else;
`desktop.app` (the composition root: settings, logging, services, shell) is imported only
once the early login form (`desktop.ui.early_login`) is painted, and hands the officer's
typing over to the real window. `--self-check` and `--help` go straight to `desktop.app`:
they show no window.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from desktop.ui.early_login import EarlyLoginWindow
from desktop.ui.qt_app import APP_NAME, start_application

_NO_WINDOW = frozenset({"--self-check", "-h", "--help"})


def _early_options(arguments: Sequence[str]) -> tuple[str, str]:
    """(window title, pre-filled matricule) from the command line alone: the settings
    file is read later, with the services, and the real window's title then applies."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--matricule", default="")
    parser.add_argument("--demo", nargs="?", const=True, default=None)
    known = parser.parse_known_args(list(arguments))[0]
    title = f"{APP_NAME} — DÉMONSTRATION" if known.demo else APP_NAME
    return title, known.matricule


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if _NO_WINDOW.intersection(arguments):
        from desktop.app import main as run

        return run(arguments)
    app = start_application(arguments)
    early = EarlyLoginWindow(*_early_options(arguments))
    early.show_now()
    from desktop.app import main as run  # the services: imported while the form is seen

    try:
        return run(arguments, early=early, qt_app=app)
    finally:
        early.close()


if __name__ == "__main__":
    sys.exit(main())
