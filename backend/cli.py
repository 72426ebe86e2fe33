"""`guichet-backend`: serve, demo and the administration commands.

Every command takes --data-dir and --db; an error is one line on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import secrets
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from backend import cli_admin, cli_election, logs
from backend.config import Settings, to_environment
from backend.context import Backend, open_backend
from backend.errors import AppError
from procuration.canonical import sha256_b64url
from procuration.loopback import is_loopback_host

Handler = Callable[[argparse.Namespace, Backend], int]


def settings_from(args: argparse.Namespace) -> Settings:
    overrides: dict[str, object] = {}
    if getattr(args, "data_dir", None):
        overrides["data_dir"] = Path(args.data_dir)
    if getattr(args, "db", None):
        overrides["db_url"] = args.db
    if getattr(args, "port", None) is not None:
        scheme = "https" if getattr(args, "tls_cert", None) else "http"
        overrides["server_url"] = f"{scheme}://{args.host}:{args.port}"
    return Settings(**overrides)  # type: ignore[arg-type]


def check_listening(args: argparse.Namespace) -> None:
    """Refuses, before anything is opened or logged, to serve in clear off loopback."""
    if bool(args.tls_cert) != bool(args.tls_key):
        raise AppError("give both --tls-cert and --tls-key")
    if not args.tls_cert and not is_loopback_host(args.host):
        raise AppError(f"refusing to listen on {args.host} without TLS (--tls-cert/--tls-key)")


MAX_AUTO_WORKERS = 4


def worker_count(asked: int) -> int:
    """`asked` worker processes, or one per CPU (at most 4) when 0: one process runs Python
    on one core at a time (the GIL), so a single process left the other core idle."""
    if asked > 0:
        return asked
    return max(1, min(os.cpu_count() or 1, MAX_AUTO_WORKERS))


def serve(args: argparse.Namespace, backend: Backend) -> int:
    """Serves with worker processes, each with its own connections and group writer (the
    database is migrated and the keys exist: this process did it in `open_backend`)."""
    import uvicorn

    from backend.api import slow_clients

    check_listening(args)
    workers = worker_count(args.workers if args.workers is not None else backend.settings.workers)
    os.environ.update(to_environment(backend.settings))
    print(f"listening on {backend.settings.server_url} ({workers} processes)", flush=True)
    uvicorn.run(
        "backend.api.app:worker_app",
        factory=True,
        workers=workers,
        host=args.host,
        port=args.port,
        ssl_certfile=args.tls_cert,
        ssl_keyfile=args.tls_key,
        log_level="warning",
        access_log=False,
        # Slow or half-sent requests, too many connections (docs/security.md, "Limits").
        http=slow_clients.ReadDeadlineProtocol,
        timeout_keep_alive=slow_clients.KEEP_ALIVE_SECONDS,
        limit_concurrency=slow_clients.MAX_CONCURRENCY,
    )
    return 0


def demo(args: argparse.Namespace, backend: Backend) -> int:
    from backend.demo.seed import seed_demo

    path = seed_demo(backend, args.seed)
    print(f"demo data: {path}", flush=True)
    return serve(args, backend)


def _common(parser: argparse.ArgumentParser) -> None:
    """--data-dir and --db on every level; SUPPRESS so a sub-level never resets a value."""
    parser.add_argument(
        "--data-dir", default=argparse.SUPPRESS, help="where the database, keys and mails live"
    )
    parser.add_argument(
        "--db", default=argparse.SUPPRESS, help="sqlite:///PATH or postgresql+psycopg://... URL"
    )
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _common(sub)


def _serving(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument(
        "--workers", type=int, help="worker processes (default: one per CPU, at most 4)"
    )


def admin_token() -> dict[str, str]:
    """A fresh admin API token (shown once) and its hash, the only form the server keeps
    (`MPR_ADMIN_TOKEN_SHA256`): the bearer that creates requests over HTTP for now."""
    token = secrets.token_urlsafe(32)
    return {"token": token, "MPR_ADMIN_TOKEN_SHA256": sha256_b64url(token.encode())}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="guichet-backend", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser("serve", help="serve the API")
    _serving(serve_parser)
    serve_parser.set_defaults(handler=serve)
    demo_parser = commands.add_parser("demo", help="seed demo data, write demo.json, serve")
    _serving(demo_parser)
    demo_parser.add_argument("--seed", type=int, default=2026)
    demo_parser.set_defaults(handler=demo)
    commands.add_parser(
        "admin-token", help="print a new admin API token and the MPR_ADMIN_TOKEN_SHA256 to set"
    )
    cli_admin.add_commands(commands)
    cli_election.add_commands(commands)
    _common(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    serving = args.command in ("serve", "demo")
    try:
        if serving:
            check_listening(args)
        # Administration commands print one line; only a server logs its activity.
        logs.configure(logging.INFO if serving else logging.WARNING)
        settings = settings_from(args)
        if args.command == "admin-token":
            print(json.dumps(admin_token()))
            return 0
        if args.command == "tls-test-ca":
            from backend.tls import make_test_ca

            paths = make_test_ca(Path(args.out))
            print(json.dumps({k: str(v) for k, v in paths.items()}))
            return 0
        backend = open_backend(settings)
        try:
            handler: Handler = args.handler
            return handler(args, backend)
        finally:
            backend.close()
    except (AppError, OSError, ValueError) as exc:
        print(f"guichet-backend: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
