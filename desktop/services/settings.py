"""Typed settings, from (lowest to highest precedence) defaults, the settings file, the
environment (`MPR_*`) and the command line.

The settings file is TOML (`settings.toml` in the config directory, or `--config FILE`);
it is read, never written by the client: enrolment state lives in the data directory.

`--demo demo.json` (the file `guichet-backend demo` writes) switches the demo on and
supplies the server address (unless given otherwise), the enrolment code and the demo
officers: see `DemoConfig`.
"""

from __future__ import annotations

import argparse
import os
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from desktop.services.api_client import is_loopback_url
from desktop.services.errors import ConfigurationError
from desktop.services.paths import Paths
from procuration.models import Role

ENV_PREFIX = "MPR_"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    server: str | None = None  # default for the enrolment wizard; enrolment records the one used
    ca_file: Path | None = None
    data_dir: Path | None = None
    camera: str | None = None  # an index ("0") or a device path; the scanner interprets it
    demo: bool = False
    demo_file: Path | None = None  # demo.json of `guichet-backend demo`; implies `demo`
    # A shared counter: an unattended session locks itself after 2 minutes (issue 13).
    lock_after_s: int = Field(default=120, ge=30, le=3600)
    clear_after_s: int = Field(default=30, ge=5, le=600)
    # Hours after an online login on this PC during which the officer may log in offline
    # (desktop/services/offline.py); never beyond the server's 72 h for a signed validation.
    offline_allowance_h: int = Field(default=72, ge=1, le=72)
    connect_timeout_s: float = Field(default=3.0, gt=0, le=60)
    read_timeout_s: float = Field(default=10.0, gt=0, le=120)
    submit_timeout_s: float = Field(default=2.0, gt=0, le=60)
    log_level: str = "INFO"
    # Days an acknowledged validation's signed body stays in the outbox (desktop/services/
    # outbox.py): enough to show the week's work, short enough for the data to be gone.
    outbox_keep_days: int = Field(default=7, ge=1, le=90)

    def paths(self) -> Paths:
        return Paths.for_user(self.data_dir)


class DemoOfficer(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    matricule: str = Field(min_length=1)
    password: str  # printed for the person trying the demo; never pre-filled
    role: Role
    name: str = ""
    station: str | None = None


class DemoConfig(BaseModel):
    """What `guichet-backend demo` writes to demo.json (invented data only)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    server_url: str = Field(min_length=1)
    officers: list[DemoOfficer]
    enrolment_code: str = Field(min_length=1)  # the first officer's
    # One code per officer who may log in on a counter (matricule → code). Older demo
    # files have only `enrolment_code`; then the other officers cannot log in here.
    enrolment_codes: dict[str, str] = Field(default_factory=dict)
    references: list[str] = Field(default_factory=list)

    def codes_by_matricule(self) -> dict[str, str]:
        """Every officer's single-use enrolment code this file gives."""
        codes = dict(self.enrolment_codes)
        if self.officers:
            codes.setdefault(self.officers[0].matricule, self.enrolment_code)
        return codes

    def counter_officer(self) -> DemoOfficer | None:
        """The first officer who may validate (OPJ or APJ): the login is pre-filled with it."""
        return next((o for o in self.officers if o.role in (Role.OPJ, Role.APJ)), None)


def load_demo(path: Path) -> DemoConfig:
    """The demo configuration; ConfigurationError when missing or malformed."""
    try:
        return DemoConfig.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise ConfigurationError(f"demo file unreadable: {path}") from exc
    except ValidationError as exc:
        fields = ", ".join(".".join(map(str, e["loc"])) for e in exc.errors()) or "JSON"
        raise ConfigurationError(f"demo file {path} is not valid: {fields}") from exc


_ENV_NAMES = {
    "server": "SERVER",
    "ca_file": "CA_FILE",
    "data_dir": "DATA_DIR",
    "camera": "CAMERA",
    "demo": "DEMO",
    "lock_after_s": "LOCK_AFTER_S",
    "clear_after_s": "CLEAR_AFTER_S",
    "offline_allowance_h": "OFFLINE_ALLOWANCE_H",
    "log_level": "LOG_LEVEL",
    "outbox_keep_days": "OUTBOX_KEEP_DAYS",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="guichet", add_help=True)
    parser.add_argument("--server", help="backend URL (https://…; http:// only on loopback)")
    parser.add_argument("--ca-file", dest="ca_file", help="PEM file of the deployment's CA")
    parser.add_argument("--data-dir", dest="data_dir", help="relocates every file")
    parser.add_argument("--camera", help="camera index or device path")
    parser.add_argument(
        "--demo",
        nargs="?",
        const=True,
        default=None,
        metavar="DEMO_JSON",
        help="demonstration mode, optionally with the demo.json of `guichet-backend demo`",
    )
    parser.add_argument("--config", help="settings file (TOML) instead of the default one")
    return parser


def _from_command_line(argv: Sequence[str]) -> tuple[dict[str, Any], str | None]:
    # parse_known_args: Qt's own options (-platform, -style…) pass through to QApplication.
    namespace, _ = build_parser().parse_known_args(list(argv))
    values = {k: v for k, v in vars(namespace).items() if v is not None and k != "config"}
    if isinstance(values.get("demo"), str):
        values["demo_file"] = values["demo"]
        values["demo"] = True
    return values, namespace.config


def _from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field, suffix in _ENV_NAMES.items():
        raw = environ.get(ENV_PREFIX + suffix)
        if raw is None:
            continue
        if field == "demo":
            values[field] = _parse_bool(raw, ENV_PREFIX + suffix)
        else:
            values[field] = raw
    return values


def _parse_bool(raw: str, name: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigurationError(f"{name} is not a boolean")


def _from_file(path: Path, *, required: bool) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        if required:
            raise ConfigurationError(f"settings file not found: {path}") from None
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigurationError(f"unreadable settings file {path}: {exc}") from exc


def load_settings(argv: Sequence[str] = (), environ: Mapping[str, str] | None = None) -> Settings:
    """The effective settings; ConfigurationError says which value is wrong."""
    environ = os.environ if environ is None else environ
    cli, config_file = _from_command_line(argv)
    env = _from_environment(environ)
    # The data directory decides where the default settings file is, so it is resolved
    # from the two sources that do not depend on it first.
    data_dir = cli.get("data_dir", env.get("data_dir"))
    if config_file is not None:
        file_values = _from_file(Path(config_file), required=True)
    else:
        default = Paths.for_user(Path(data_dir) if data_dir else None).settings_file
        file_values = _from_file(default, required=False)
    merged = {**file_values, **env, **cli}
    if merged.get("demo_file"):
        merged["demo"] = True
        if not merged.get("server"):
            merged["server"] = load_demo(Path(merged["demo_file"])).server_url
    if merged.get("demo") and merged.get("server") and not is_loopback_url(merged["server"]):
        # The demo keeps its keys in a file: never next to a real, remote server.
        raise ConfigurationError("demo mode only with a server on this machine")
    try:
        return Settings.model_validate(merged)
    except ValidationError as exc:
        fields = ", ".join(str(e["loc"][0]) for e in exc.errors() if e["loc"])
        raise ConfigurationError(f"invalid settings: {fields}") from exc
