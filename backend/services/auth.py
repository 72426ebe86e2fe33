"""Officers, devices, enrolment codes, challenge-response login and sessions."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from backend.context import Backend
from backend.errors import (
    AppError,
    BadRequestError,
    ForbiddenError,
    NotFoundError,
    NotHabilitatedError,
    UnauthenticatedError,
)
from backend.services import login_throttle
from backend.services.checks import habilitated_at
from backend.storage import journal_store, nonces
from backend.storage.engine import transaction
from backend.storage.tables import Device, EnrolmentCode, Nonce, Officer, SessionRow
from procuration import keys as core_keys
from procuration import timeutil
from procuration.canonical import sha256_b64url
from procuration.login import nonce_signature_valid
from procuration.models import OfficerInfo, Role
from procuration.wire import JournalKind

log = logging.getLogger(__name__)
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verifying against this keeps a login for an unknown matricule as slow as a real one.
_DUMMY_HASH = _hasher.hash("not a password")


def set_password_hasher(hasher: PasswordHasher) -> None:
    """Swaps the argon2id parameters (tests use cheap ones; production keeps the defaults)."""
    global _hasher, _DUMMY_HASH  # noqa: PLW0603 - one process-wide hasher by design
    _hasher = hasher
    _DUMMY_HASH = hasher.hash("not a password")


def token_hash(token: str) -> str:
    return sha256_b64url(token.encode())


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_ok(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def officer_info(officer: Officer) -> OfficerInfo:
    return OfficerInfo(
        matricule=officer.matricule,
        name=officer.name,
        grade=officer.grade,
        role=Role(officer.role),
        station=officer.station,
        habilitation_until=officer.habilitation_until,
    )


def issue_enrolment_code(backend: Backend, matricule: str, ttl_minutes: int | None = None) -> str:
    """A fresh single-use code for enrolling one device of `matricule`."""
    code = "-".join(secrets.token_hex(2).upper() for _ in range(4))
    ttl = ttl_minutes if ttl_minutes is not None else backend.settings.enrolment_ttl_minutes
    now = backend.now()
    with transaction(backend.sessions) as session:
        officer = session.get(Officer, matricule)
        if officer is None:
            raise NotFoundError(f"unknown officer {matricule}")
        session.add(
            EnrolmentCode(
                code_hash=token_hash(code),
                matricule=matricule,
                expires_at=timeutil.to_wire(now + timedelta(minutes=ttl)),
            )
        )
    return code


def enroll(backend: Backend, code: str, public_jwk: dict[str, str], label: str) -> str:
    now = backend.now()
    try:
        public = core_keys.public_key_from_jwk(public_jwk)
    except (KeyError, ValueError) as exc:
        raise BadRequestError("public_jwk is not an Ed25519 OKP key") from exc
    kid = core_keys.kid_of(public)
    with transaction(backend.sessions) as session:
        row = session.get(EnrolmentCode, token_hash(code.strip().upper()), with_for_update=True)
        if row is None or row.used_at is not None or row.expires_at <= timeutil.to_wire(now):
            raise ForbiddenError("enrolment code unknown, already used or expired")
        if session.get(Device, kid) is not None:
            raise ForbiddenError("this key is already enrolled")
        row.used_at = timeutil.to_wire(now)
        session.add(
            Device(
                kid=kid,
                matricule=row.matricule,
                public_x=core_keys.public_jwk(public)["x"],
                label=label[:200],
                enrolled_at=timeutil.to_wire(now),
                last_seq=0,
            )
        )
        officer = session.get(Officer, row.matricule)
        station = officer.station if officer else None
        journal_store.append(
            session,
            at=now,
            kind=JournalKind.DEVICE_ENROLLED,
            station=station,
            actor=row.matricule,
            detail={"kid": kid},
        )
    log.info("device %s enrolled", kid)
    return kid


def challenge(backend: Backend, kid: str) -> tuple[str, datetime]:
    now = backend.now()
    expires = now + timedelta(seconds=backend.settings.nonce_ttl_seconds)
    nonce = secrets.token_urlsafe(32)
    with transaction(backend.sessions) as session:
        device = session.get(Device, kid)
        if device is None or device.revoked_at is not None:
            raise UnauthenticatedError("device not enrolled or revoked")
        nonces.drop_expired(session, timeutil.to_wire(now))
        session.add(Nonce(nonce=nonce, kid=kid, expires_at=timeutil.to_wire(expires)))
    return nonce, expires


@dataclass(frozen=True)
class LoginResult:
    token: str
    expires_at: datetime
    officer: OfficerInfo


def _fail_login(session: Session, backend: Backend, device: Device | None, why: str) -> None:
    station = None
    if device is not None:
        owner = session.get(Officer, device.matricule)
        station = owner.station if owner else None
    journal_store.append(
        session,
        at=backend.now(),
        kind=JournalKind.AUTH_LOGIN_FAILED,
        station=station,
        actor=device.matricule if device else None,
        detail={"kid": device.kid if device else None, "reason": why},
    )


def _check_login(
    session: Session,
    backend: Backend,
    *,
    matricule: str,
    password: str,
    kid: str,
    nonce: str,
    signature: str,
) -> tuple[Officer, Device]:
    """Raises the reason-free 401 (never say which factor failed) after journalling why."""
    now = timeutil.to_wire(backend.now())
    device = session.get(Device, kid)
    stored = nonces.consume(session, nonce)  # single use, whatever happens next
    officer = session.get(Officer, matricule)
    checks = [
        ("password", password_ok(officer.password_hash if officer else _DUMMY_HASH, password)),
        ("officer", officer is not None),
        ("nonce", stored is not None and stored.kid == kid and stored.expires_at > now),
        ("device", device is not None and device.revoked_at is None),
        ("device-owner", device is not None and device.matricule == matricule),
        ("proof", device is not None and _proof_ok(device, nonce, signature)),
    ]
    failed = next((name for name, ok in checks if not ok), None)
    if failed is not None or officer is None or device is None:
        _fail_login(session, backend, device, failed or "unknown")
        raise UnauthenticatedError("login refused")
    # The same rule as for a validation: the habilitation covers the moment, compared on
    # the Europe/Paris local day (at 00:30 in Paris it is already the next day there).
    if officer.role in (Role.OPJ, Role.APJ) and not habilitated_at(officer, now):
        _fail_login(session, backend, device, "not-habilitated")
        raise NotHabilitatedError(f"habilitation of {matricule} does not cover today")
    return officer, device


def _proof_ok(device: Device, nonce: str, signature: str) -> bool:
    public = core_keys.public_key_from_jwk({"kty": "OKP", "crv": "Ed25519", "x": device.public_x})
    return nonce_signature_valid(nonce, device.kid, signature, public)


def login(
    backend: Backend,
    *,
    matricule: str,
    password: str,
    kid: str,
    nonce: str,
    signature: str,
    address: str = "unknown",
) -> LoginResult:
    """`address`: the caller's network address, for the failed-login throttle."""
    now = backend.now()
    token = secrets.token_urlsafe(32)
    with backend.sessions() as session:
        with session.begin():
            # Before the password hash and the journal write: a throttled try costs little.
            login_throttle.check(session, now, matricule, address)
            try:
                officer, device = _check_login(
                    session,
                    backend,
                    matricule=matricule,
                    password=password,
                    kid=kid,
                    nonce=nonce,
                    signature=signature,
                )
            except AppError as exc:
                failure: AppError | None = exc
                if isinstance(exc, UnauthenticatedError):
                    login_throttle.record_failure(session, now, matricule, address)
            else:
                failure = None
                login_throttle.clear(session, matricule, address)
                session.add(
                    SessionRow(
                        token_hash=token_hash(token),
                        matricule=matricule,
                        kid=kid,
                        created_at=timeutil.to_wire(now),
                        last_seen=timeutil.to_wire(now),
                    )
                )
                journal_store.append(
                    session,
                    at=now,
                    kind=JournalKind.AUTH_LOGIN,
                    station=officer.station,
                    actor=matricule,
                    detail={"kid": device.kid},
                )
        # The failure is journalled by the committed transaction, then reported.
        if failure is not None:
            raise failure
    absolute = now + timedelta(hours=backend.settings.session_absolute_hours)
    return LoginResult(token, absolute, officer_info(officer))
