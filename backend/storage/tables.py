"""The schema. Times are RFC 3339 UTC strings (the wire format): they sort as text and mean
the same on SQLite and PostgreSQL. Personal columns are nullable so a purge can erase them
while the row, its reference and its audit trail stay."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Station(Base):
    __tablename__ = "stations"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))


class CommuneRow(Base):
    __tablename__ = "communes"
    insee: Mapped[str] = mapped_column(String(5), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Where the mairie is told of a résiliation (migration 0008); None: the portal only.
    email: Mapped[str | None] = mapped_column(String(320))


class Officer(Base):
    __tablename__ = "officers"
    matricule: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    grade: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(20))
    station: Mapped[str | None] = mapped_column(ForeignKey("stations.code"))
    commune_insee: Mapped[str | None] = mapped_column(String(5))
    password_hash: Mapped[str] = mapped_column(String(200))
    habilitation_from: Mapped[str | None] = mapped_column(String(10))
    habilitation_until: Mapped[str | None] = mapped_column(String(10))
    judge_reference: Mapped[str | None] = mapped_column(String(120))


class Device(Base):
    __tablename__ = "devices"
    kid: Mapped[str] = mapped_column(String(43), primary_key=True)
    matricule: Mapped[str] = mapped_column(ForeignKey("officers.matricule"), index=True)
    public_x: Mapped[str] = mapped_column(String(43))
    label: Mapped[str] = mapped_column(String(200))
    enrolled_at: Mapped[str] = mapped_column(String(20))
    revoked_at: Mapped[str | None] = mapped_column(String(20))
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)


class EnrolmentCode(Base):
    __tablename__ = "enrolment_codes"
    code_hash: Mapped[str] = mapped_column(String(43), primary_key=True)
    matricule: Mapped[str] = mapped_column(ForeignKey("officers.matricule"))
    expires_at: Mapped[str] = mapped_column(String(20))
    used_at: Mapped[str | None] = mapped_column(String(20))


class Nonce(Base):
    __tablename__ = "nonces"
    nonce: Mapped[str] = mapped_column(String(43), primary_key=True)
    kid: Mapped[str] = mapped_column(String(43))
    expires_at: Mapped[str] = mapped_column(String(20))


class SessionRow(Base):
    __tablename__ = "sessions"
    token_hash: Mapped[str] = mapped_column(String(43), primary_key=True)
    matricule: Mapped[str] = mapped_column(ForeignKey("officers.matricule"))
    kid: Mapped[str] = mapped_column(String(43))
    created_at: Mapped[str] = mapped_column(String(20))
    last_seen: Mapped[str] = mapped_column(String(20))
    ended_at: Mapped[str | None] = mapped_column(String(20))


class Elector(Base):
    """The embedded electoral roll; `proxies_*` count proxies held through other channels."""

    __tablename__ = "electors"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    insee: Mapped[str] = mapped_column(String(5))
    birth_name: Mapped[str] = mapped_column(String(200))
    first_names: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[str] = mapped_column(String(10))
    proxies_france: Mapped[int] = mapped_column(Integer, default=0)
    proxies_abroad: Mapped[int] = mapped_column(Integer, default=0)
    # backend.storage.names.name_key of the three identity columns: lookups are equalities.
    name_key: Mapped[str] = mapped_column(Text)
    __table_args__ = (Index("ix_electors_name_key", "name_key", "insee"),)


class ProxyRequest(Base):
    __tablename__ = "requests"
    reference: Mapped[str] = mapped_column(String(6), primary_key=True)
    status: Mapped[str] = mapped_column(String(24), index=True)
    status_reason: Mapped[str | None] = mapped_column(String(200))
    # `proxy` or `resiliation` (procuration.models.RequestKind, migration 0008); a
    # résiliation names the proxy it ends in `cancels`.
    kind: Mapped[str] = mapped_column(String(12), server_default="proxy", default="proxy")
    cancels: Mapped[str | None] = mapped_column(String(6), index=True)
    created_at: Mapped[str] = mapped_column(String(20))
    expires_at: Mapped[str] = mapped_column(String(20), index=True)
    commune_insee: Mapped[str] = mapped_column(String(5), index=True)
    scope_json: Mapped[str] = mapped_column(Text)
    # The scope as requested (procuration.elections.ScopeIn, PROTOCOL.md v1.1), resolved to
    # polling days against the current calendar; NULL for requests made before 0004.
    scope_spec: Mapped[str | None] = mapped_column(Text)
    last_day: Mapped[str] = mapped_column(String(10))
    email: Mapped[str | None] = mapped_column(String(320))
    birth_name: Mapped[str | None] = mapped_column(String(200))
    usage_name: Mapped[str | None] = mapped_column(String(200))
    first_names: Mapped[str | None] = mapped_column(String(200))
    birth_date: Mapped[str | None] = mapped_column(String(10))
    birth_place: Mapped[str | None] = mapped_column(String(200))
    sex: Mapped[str | None] = mapped_column(String(1))
    mandataire_birth_name: Mapped[str | None] = mapped_column(String(200))
    mandataire_first_names: Mapped[str | None] = mapped_column(String(200))
    mandataire_birth_date: Mapped[str | None] = mapped_column(String(10))
    mandataire_insee: Mapped[str | None] = mapped_column(String(5))
    mandataire_email: Mapped[str | None] = mapped_column(String(320))
    # backend.storage.names.person_key (digest of the roll's folded key): the L73 count
    # compares people as the roll does, without reading names.
    mandataire_key: Mapped[str | None] = mapped_column(String(43), index=True)
    validated_at: Mapped[str | None] = mapped_column(String(20))
    validated_station: Mapped[str | None] = mapped_column(String(40))
    validated_officer: Mapped[str | None] = mapped_column(String(40))
    decided_at: Mapped[str | None] = mapped_column(String(20))
    purged_at: Mapped[str | None] = mapped_column(String(20))


class ElectionRow(Base):
    """The election calendar (procuration.elections.Election), edited by an admin."""

    __tablename__ = "elections"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str] = mapped_column(String(200))


class ElectionRoundRow(Base):
    __tablename__ = "election_rounds"
    election_id: Mapped[str] = mapped_column(ForeignKey("elections.id"), primary_key=True)
    round: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    polling_day: Mapped[str] = mapped_column(String(10), index=True)


class Validation(Base):
    __tablename__ = "validations"
    validation_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reference: Mapped[str] = mapped_column(ForeignKey("requests.reference"), index=True)
    kid: Mapped[str] = mapped_column(String(43))
    officer: Mapped[str] = mapped_column(String(40), index=True)
    station: Mapped[str] = mapped_column(String(40))
    decision: Mapped[str] = mapped_column(String(12))
    refusal_reason: Mapped[str | None] = mapped_column(String(40))
    document_type: Mapped[str] = mapped_column(String(20))
    device_seq: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[str] = mapped_column(String(20))
    received_at: Mapped[str] = mapped_column(String(20))
    # The session that delivered it: its officer and device (migration 0007; NULL before).
    delivered_by: Mapped[str | None] = mapped_column(String(40))
    delivered_kid: Mapped[str | None] = mapped_column(String(43))
    body_hash: Mapped[str] = mapped_column(String(43))
    jws: Mapped[str | None] = mapped_column(Text)
    response_json: Mapped[str] = mapped_column(Text)
    __table_args__ = (
        # The last line of defence for "exactly one validation per reference".
        Index(
            "ux_validations_one_per_reference",
            "reference",
            unique=True,
            sqlite_where=text("decision = 'validated'"),
            postgresql_where=text("decision = 'validated'"),
        ),
    )


class ThrottleHit(Base):
    """One counted call of a throttled endpoint (request creation): `bucket` names the
    caller or a digest of the client address (migration 0007)."""

    __tablename__ = "throttle_hits"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    bucket: Mapped[str] = mapped_column(String(80))
    at: Mapped[str] = mapped_column(String(20))
    __table_args__ = (Index("ix_throttle_hits_bucket_at", "bucket", "at"),)


class JournalRow(Base):
    """Insert-only (triggers in the migration): one hash chain per station + `national`."""

    __tablename__ = "journal"
    chain: Mapped[str] = mapped_column(String(40), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str | None] = mapped_column(String(40))
    station: Mapped[str | None] = mapped_column(String(40))
    reference: Mapped[str | None] = mapped_column(String(40))
    detail_json: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(43))
    hash: Mapped[str] = mapped_column(String(43))
    __table_args__ = (
        Index("ix_journal_chain_at", "chain", "at"),
        # The lookup rate limit: an officer's entries of the last minute (migration 0003).
        Index("ix_journal_lookups", "chain", "actor", "kind", "at"),
    )


class Checkpoint(Base):
    __tablename__ = "checkpoints"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chain: Mapped[str] = mapped_column(String(40), index=True)
    size: Mapped[int] = mapped_column(Integer)
    head: Mapped[str] = mapped_column(String(43))
    at: Mapped[str] = mapped_column(String(20))
    jws: Mapped[str] = mapped_column(Text)


class Flag(Base):
    """Small key/value facts about the deployment (demo seeded, schema notes)."""

    __tablename__ = "flags"
    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class LoginFailure(Base):
    """One failed login, counted for the login throttle (backend/services/login_throttle.py)
    under a hashed key: (account, address) or address alone; never the matricule or the
    address in clear. Rows older than the throttle's window are deleted as they are met."""

    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(43))
    at: Mapped[str] = mapped_column(String(20))
    __table_args__ = (Index("ix_login_failures_key_at", "key", "at"),)
