"""The counter flow (`ports.CounterService`) over the API, the vault, the outbox and the
trust list. Synchronous and blocking: the UI calls it from its task runner."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Self

from desktop.services import lookup as lookup_rules
from desktop.services.api_client import ApiClient, ServerConfig, Timeouts, is_loopback_url
from desktop.services.clock import Clock, SystemClock
from desktop.services.credentials import Vault
from desktop.services.device import DeviceRecord, DeviceStore, Enrolment
from desktop.services.errors import (
    ClientError,
    ConfigurationError,
    IntegrityError,
    NetworkError,
    NotEnrolledError,
    ServerError,
    SessionExpiredError,
)
from desktop.services.logging_setup import personal_data_filter
from desktop.services.offline import (
    MAX_ALLOWANCE,
    OfflineProfile,
    allowance,
    check_offline_login,
)
from desktop.services.outbox import Outbox, OutboxItem, OutboxState, Signed
from desktop.services.paths import Paths
from desktop.services.ports import (
    DayItem,
    DeliveryState,
    LookupResult,
    RefusedDecision,
    SubmitOutcome,
)
from desktop.services.settings import Settings
from desktop.services.trust import TrustStore
from procuration import jws, timeutil
from procuration.keys import generate_private_key, public_jwk
from procuration.login import sign_nonce
from procuration.models import (
    Decision,
    DocumentType,
    IdDocumentCheck,
    OfficerInfo,
    RefusalReason,
    ValidationPayload,
)

log = logging.getLogger(__name__)

ApiFactory = Callable[[ServerConfig], ApiClient]
TRUST_REFRESH_AFTER = timedelta(hours=1)
_STATES = {
    OutboxState.PENDING: DeliveryState.PENDING,
    OutboxState.ACKNOWLEDGED: DeliveryState.TRANSMITTED,
    OutboxState.FAILED: DeliveryState.FAILED,
}


@dataclass(frozen=True)
class Session:
    kid: str
    officer: OfficerInfo
    offline: bool = False  # opened with the local verifier while the server was unreachable


class Counter:
    """The real `CounterService`. Build it with `Counter.from_settings` in `desktop.app`
    (the demo's enrolment at login is `desktop.services.demo_counter.DemoCounter`)."""

    def __init__(
        self, *, vault: Vault, outbox: Outbox, trust: TrustStore, devices: DeviceStore,
        api_factory: ApiFactory, clock: Clock, submit_timeout_s: float = 2.0,
        redact: Callable[..., None] | None = None, offline_allowance: timedelta = MAX_ALLOWANCE,
    ) -> None:  # fmt: skip
        self._vault = vault
        self._outbox = outbox
        self._trust = trust
        self._devices = devices
        self._api_factory = api_factory
        self._clock = clock
        self._submit_timeout = submit_timeout_s
        self._redact = redact or personal_data_filter().forget_later
        self._offline_allowance = offline_allowance
        self._api: ApiClient | None = None
        self._session: Session | None = None
        self._online: bool | None = None  # the last connection check; None before any
        self._flush_now = False  # the server just came back: next flush ignores the backoff

    @classmethod
    def from_settings(cls, settings: Settings, vault: Vault, clock: Clock | None = None) -> Self:
        """The composition root's counter; `vault` is `Vault.open(...)` in the client, an
        in-memory keyring in the end-to-end tests."""
        paths: Paths = settings.paths().ensure()
        clock = clock or SystemClock()
        timeouts = Timeouts(
            connect=settings.connect_timeout_s, read=settings.read_timeout_s,
            submit=settings.submit_timeout_s,
        )  # fmt: skip
        return cls(
            vault=vault,
            outbox=Outbox(paths.outbox_file, clock, keep_days=settings.outbox_keep_days),
            trust=TrustStore(paths.trust_file, clock),
            devices=DeviceStore(paths.device_file),
            api_factory=lambda server: ApiClient(server, timeouts=timeouts),
            clock=clock,
            submit_timeout_s=settings.submit_timeout_s,
            offline_allowance=allowance(settings.offline_allowance_h),
        )

    @property
    def is_demo(self) -> bool:
        return self._vault.is_demo

    @property
    def officer(self) -> OfficerInfo | None:
        return self._session.officer if self._session else None

    def offline_session(self) -> bool:
        """`ports.OfflineAware`: the session was opened offline (signed QR codes only)."""
        return self._session is not None and self._session.offline

    def close(self) -> None:
        if self._api is not None:
            self._api.close()
        self._outbox.close()

    # -- enrolment and sessions -----------------------------------------------------------

    def is_enrolled(self) -> bool:
        record = self._devices.load()
        return record is not None and any(
            self._vault.has_device_key(e.kid) for e in record.enrolments
        )

    def enrolled_server(self) -> tuple[str, str | None] | None:
        """`ports.EnrolledServer`: where a colleague's key is enrolled on this PC."""
        record = self._devices.load()
        return (record.server_url, record.ca_file) if record is not None else None

    def enroll(
        self, server_url: str, ca_file: str | None, code: str, label: str,
        *, owner: str | None = None,
    ) -> None:  # fmt: skip
        """Enrols a new device key with a single-use code; `owner` is the officer the code
        was issued to, when known (otherwise learnt at their first login)."""
        self._vault.check()  # fail closed before the single-use code is spent
        if self._vault.is_demo and not is_loopback_url(server_url):
            # The demo vault is a file: a real server's key must never land in it.
            raise ConfigurationError("demo mode only with a server on this machine")
        api = self._api_factory(ServerConfig(server_url, ca_file or None))
        key = generate_private_key()
        kid = self._vault.store_device_key(key)
        try:
            enrolled_kid = api.enroll(code.strip(), public_jwk(key), label)
        except ClientError:
            self._vault.delete_device_key(kid)
            raise
        if enrolled_kid != kid:
            raise ServerError("bad-response", 200, "server returned another key id")
        enrolment = Enrolment(
            kid=kid, label=label, enrolled_at=timeutil.to_wire(self._now()), matricule=owner
        )
        self._devices.add(api.server.url, ca_file or None, enrolment)
        self._replace_api(api)
        log.info("device enrolled as %s", kid)

    def login(self, matricule: str, password: str) -> OfficerInfo:
        """Online when the server answers; offline (`desktop.services.offline`) only when
        it cannot be reached, with this officer's own key and verifier on this PC."""
        record = self._record()
        candidates = [k for k in record.kids_for(matricule) if self._vault.has_device_key(k)]
        if not candidates:
            # Another officer's PC so far: this one must enrol here first (one key each).
            raise NotEnrolledError("no device key for this officer", code="not-enrolled-officer")
        own = any(e.matricule == matricule for e in record.enrolments)
        api = self._api_for(record)
        try:
            return self._login_online(api, candidates, matricule, password, own=own)
        except NetworkError:
            if not own:
                raise
            return self._login_offline(candidates[0], matricule, password)

    def _login_online(
        self, api: ApiClient, candidates: list[str], matricule: str, password: str,
        *, own: bool,
    ) -> OfficerInfo:  # fmt: skip
        for index, kid in enumerate(candidates):
            try:
                return self._login_with(api, kid, matricule, password)
            except ServerError as exc:
                if exc.code != "unauthenticated" or own:
                    raise
                if index < len(candidates) - 1:
                    continue  # a key of unknown owner may be another officer's: next one
                # The server never says which factor failed: either the password, or
                # none of these keys is this officer's.
                raise NotEnrolledError(
                    "no key of this officer accepted", code="not-enrolled-or-password"
                ) from exc
        raise NotEnrolledError("no usable device key")  # pragma: no cover (loop returns)

    def _login_offline(self, kid: str, matricule: str, password: str) -> OfficerInfo:
        stored = self._vault.load_offline_profile(matricule)
        profile = OfflineProfile.from_json(stored) if stored else None
        officer = check_offline_login(profile, password, self._now(), self._offline_allowance)
        self._session = Session(kid, officer, offline=True)
        log.info("offline login with device %s", kid)
        return officer

    def _login_with(self, api: ApiClient, kid: str, matricule: str, password: str) -> OfficerInfo:
        key = self._vault.load_device_key(kid)
        try:
            nonce = api.challenge(kid)
        except ServerError as exc:
            if exc.status == 401:
                raise ServerError("device-revoked", 401, "challenge refused") from exc
            raise
        result = api.login(
            {"matricule": matricule, "password": password, "kid": kid, "nonce": nonce,
             "nonce_signature": sign_nonce(nonce, kid, key)}
        )  # fmt: skip
        self._vault.store_session(kid, result.token)
        api.set_token(result.token)
        self._devices.set_owner(kid, matricule)
        self._session = Session(kid, result.officer)
        self._remember_for_offline(result.officer, password)
        self._flush_now = True  # a fresh session: what waited for one goes out at once
        log.info("login with device %s", kid)
        self._refresh_trust_if_old(api)
        return result.officer

    def _remember_for_offline(self, officer: OfficerInfo, password: str) -> None:
        profile = OfflineProfile.after_login(officer, password, self._now())
        try:
            self._vault.store_offline_profile(officer.matricule, profile.to_json())
        except ClientError as exc:  # the online session stands; only offline is lost
            log.warning("offline verifier not stored: %s", exc.code)

    def unlock(self, password: str) -> None:
        if self._session is None:
            raise SessionExpiredError("nobody to unlock")
        self.login(self._session.officer.matricule, password)

    def logout(self) -> None:
        session, self._session = self._session, None
        if self._api is not None:
            try:
                if self._api.has_token:
                    self._api.logout()
            except ClientError as exc:
                log.info("logout not confirmed by the server: %s", exc.code)
            self._api.set_token(None)
        if session is not None:
            self._vault.clear_session(session.kid)

    def resume_delivery(self) -> bool:
        """After a restart, lets the outbox send with the last session's token, before
        anyone logs in again (a crash must not hold validations back). True if resumed."""
        record = self._devices.load()
        if record is None:
            return False
        for enrolment in record.enrolments:
            token = self._vault.load_session(enrolment.kid)
            if token:
                self._api_for(record).set_token(token)
                return True
        return False

    def check_online(self) -> bool:
        record = self._devices.load()
        if record is None:
            return False
        api = self._api_for(record)
        online = api.health()
        if online and self._online is not True:
            # Back after an outage (or seen for the first time): what waits goes out at
            # once, not after the backoff the outage built up. Retry-After still holds.
            self._flush_now = True
        self._online = online
        if online and api.has_token:
            self._refresh_trust_if_old(api)
        return online

    # -- lookup ---------------------------------------------------------------------------

    def lookup(self, text: str) -> LookupResult:
        scanned = lookup_rules.classify(text)
        if self.offline_session():
            result = lookup_rules.lookup_offline(scanned, self._trust, self._now())
        else:
            api = self._api_for(self._record())
            result = lookup_rules.lookup(
                scanned, api, self._trust, self._now(), quick_timeout=self._submit_timeout
            )
        identity = result.response.identity
        self._redact(identity.birth_name, identity.usage_name, identity.first_names,
                     identity.birth_place)  # fmt: skip
        log.info("lookup %s (%s)", result.response.reference, result.source.value)
        return result

    # -- signing and delivery -------------------------------------------------------------

    def validate(self, lookup: LookupResult, check: IdDocumentCheck) -> SubmitOutcome:
        if not check.all_match:
            raise IntegrityError("a validation needs every check ticked", code="not-signable")
        return self._submit(lookup, Decision.VALIDATED, check, None, None)

    def refuse(
        self, lookup: LookupResult, document: DocumentType, reason: RefusalReason, note: str = ""
    ) -> SubmitOutcome:
        # The refusal carries the document type and the reason; the three checks are
        # recorded as not confirmed, since the officer stopped before confirming them.
        check = IdDocumentCheck(
            type=document, name_matches=False, birth_date_matches=False, photo_matches=False
        )
        return self._submit(lookup, Decision.REFUSED, check, reason, note.strip() or None)

    def _submit(
        self, lookup: LookupResult, decision: Decision, check: IdDocumentCheck,
        reason: RefusalReason | None, note: str | None,
    ) -> SubmitOutcome:  # fmt: skip
        session = self._require_session()
        station = session.officer.station
        if not station:
            raise IntegrityError("the officer has no station", code="not-signable")
        shown = lookup.response.identity.compared().digest()
        if shown != lookup.response.identity_digest:
            raise IntegrityError(f"digest differs for {lookup.response.reference}")
        key = self._vault.load_device_key(session.kid)
        # A résiliation is signed under its own typ and ctx (docs/protocol.md v1.1): the
        # server refuses a signature whose kind is not the reference's.
        kind = lookup.response.kind

        def sign(device_seq: int) -> Signed:
            payload = ValidationPayload(
                ctx=kind.ctx, validation_id=str(uuid.uuid4()),
                reference=lookup.response.reference,
                decision=decision, refusal_reason=reason, id_document=check,
                officer=session.officer.matricule, station=station, device_seq=device_seq,
                created_at=timeutil.to_wire(self._now()), identity_digest=shown,
            )  # fmt: skip
            token = jws.sign(payload.model_dump(mode="json"), key, kind.typ)
            return Signed(payload.validation_id, payload.reference, decision.value,
                          payload.officer, payload.created_at, token, note)  # fmt: skip

        item = self._outbox.add(session.kid, sign)
        log.info("%s %s %s stored as %s", kind.value, decision.value, item.reference,
                 item.validation_id)  # fmt: skip
        self._deliver(force=True, timeout=self._submit_timeout, wait_s=self._submit_timeout)
        return self._outcome(self._outbox.get(item.validation_id))

    def flush_outbox(self) -> list[SubmitOutcome]:
        if self._api is None or not self._api.has_token:
            return []  # keep a pending "flush now" for when a session exists
        force, self._flush_now = self._flush_now, False
        return [self._outcome(item) for item in self._deliver(force=force)]

    def seconds_until_retry(self) -> float | None:
        """How long the server asked the queue to wait (`ports.RetryAware`); None if not held."""
        held = self._outbox.held_until()
        if held is None:
            return None
        wait = held - self._clock.now().timestamp()
        return wait if wait > 0 else None

    def _deliver(
        self, *, force: bool, timeout: float | None = None, wait_s: float | None = None
    ) -> list[OutboxItem]:
        if self._api is None or not self._api.has_token:
            return []
        try:
            return self._outbox.deliver(self._api, force=force, timeout=timeout, wait_s=wait_s)
        except SessionExpiredError:
            if self._session is None or self._session.offline:
                # A resumed token, or the one an offline session kept from before the
                # outage, that no longer works: the next online login sends them.
                self._api.set_token(None)
                return []
            raise

    def pending_count(self) -> int:
        return self._outbox.pending_count()

    def refused_decisions(self) -> list[RefusedDecision]:
        """`ports.RefusalLedger`: read from the outbox, so the list survives a restart."""
        return [
            RefusedDecision(
                validation_id=r.item.validation_id,
                reference=r.item.reference,
                refused_at=timeutil.from_wire(r.refused_at),
                error_code=r.item.error_code or "internal",
                error_context=r.item.error_context,
            )
            for r in self._outbox.unseen_refusals()
        ]

    def acknowledge_refused(self, validation_ids: Sequence[str]) -> None:
        self._outbox.mark_refusals_seen(validation_ids)

    def today(self) -> list[DayItem]:
        session = self._require_session()
        local_now = timeutil.in_paris(self._now())
        midnight = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
        return [
            DayItem(i.reference, timeutil.from_wire(i.created_at), i.decision, _STATES[i.state])
            for i in self._outbox.items_since(midnight, session.officer.matricule)
        ]

    # -- helpers --------------------------------------------------------------------------

    def _now(self) -> datetime:
        return self._clock.now().replace(microsecond=0)

    def _record(self) -> DeviceRecord:
        record = self._devices.load()
        if record is None:
            raise NotEnrolledError("this PC is not enrolled")
        return record

    def _api_for(self, record: DeviceRecord) -> ApiClient:
        if self._api is None or self._api.server.url != record.server_url:
            self._replace_api(self._api_factory(ServerConfig(record.server_url, record.ca_file)))
        assert self._api is not None
        return self._api

    def _replace_api(self, api: ApiClient) -> None:
        if self._api is not None and self._api is not api:
            self._api.close()
        self._api = api

    def _require_session(self) -> Session:
        if self._session is None:
            raise SessionExpiredError("not logged in")
        return self._session

    def _refresh_trust_if_old(self, api: ApiClient) -> None:
        age = self._trust.age()
        if age is not None and age < TRUST_REFRESH_AFTER:
            return
        try:
            self._trust.refresh(api.trust)
        except ClientError as exc:
            log.warning("trust list not refreshed: %s", exc.code)

    def _outcome(self, item: OutboxItem) -> SubmitOutcome:
        return SubmitOutcome(
            validation_id=item.validation_id, reference=item.reference,
            state=_STATES[item.state], pending_count=self._outbox.pending_count(),
            error_code=item.error_code if item.state is OutboxState.FAILED else None,
            error_context=item.error_context if item.state is OutboxState.FAILED else {},
        )  # fmt: skip
