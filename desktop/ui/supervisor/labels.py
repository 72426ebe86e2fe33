"""French words for the journal's codes, in one place so the table, the CSV and the PDF say
the same thing. Keyed by the wire enums the backend writes (procuration.wire): a test fails
when the backend can write a word that has none here. A code no enum holds (a newer
backend) is shown inside a French phrase rather than hidden."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from desktop.services.anomalies import Anomaly, Rule
from desktop.ui.i18n import QT_TRANSLATE_NOOP
from procuration.models import RefusalReason, RequestStatus
from procuration.wire import JournalKind, JournalOutcome, ProblemCode


def _tr(text: str) -> str:
    return QCoreApplication.translate("supervisor", text)


ACTIONS: dict[JournalKind, str] = {
    JournalKind.REQUEST_CREATED: QT_TRANSLATE_NOOP("supervisor", "Demande déposée"),
    JournalKind.REQUEST_LOOKUP: QT_TRANSLATE_NOOP("supervisor", "Consultation"),
    JournalKind.REQUEST_LOOKUP_UNKNOWN: QT_TRANSLATE_NOOP(
        "supervisor", "Consultation (référence inconnue)"
    ),
    JournalKind.REQUEST_EXPIRED: QT_TRANSLATE_NOOP("supervisor", "Demandes expirées"),
    JournalKind.VALIDATION_VALIDATED: QT_TRANSLATE_NOOP("supervisor", "Validation"),
    JournalKind.VALIDATION_REFUSED: QT_TRANSLATE_NOOP("supervisor", "Refus"),
    JournalKind.VALIDATION_REJECTED: QT_TRANSLATE_NOOP(
        "supervisor", "Validation rejetée par le serveur"
    ),
    JournalKind.VALIDATION_ONLINE: QT_TRANSLATE_NOOP(
        "supervisor", "Établie en ligne (identité certifiée)"
    ),
    JournalKind.RESILIATION_CREATED: QT_TRANSLATE_NOOP("supervisor", "Résiliation demandée"),
    JournalKind.RESILIATION_VALIDATED: QT_TRANSLATE_NOOP("supervisor", "Résiliation validée"),
    JournalKind.RESILIATION_REFUSED: QT_TRANSLATE_NOOP("supervisor", "Résiliation refusée"),
    JournalKind.REGISTER_ESTABLISHED: QT_TRANSLATE_NOOP("supervisor", "Procuration établie"),
    JournalKind.REGISTER_INVALID: QT_TRANSLATE_NOOP("supervisor", "Procuration invalide"),
    JournalKind.REGISTER_CANCELLED: QT_TRANSLATE_NOOP("supervisor", "Procuration résiliée"),
    JournalKind.COMMUNE_ACCEPTED: QT_TRANSLATE_NOOP("supervisor", "Acceptée par la commune"),
    JournalKind.COMMUNE_REFUSED: QT_TRANSLATE_NOOP("supervisor", "Refusée par la commune"),
    JournalKind.COMMUNE_CORRECTED: QT_TRANSLATE_NOOP(
        "supervisor", "Verdict automatique corrigé par la commune"
    ),
    JournalKind.COMMUNE_CONSULTED: QT_TRANSLATE_NOOP(
        "supervisor", "Consultation des procurations d'une commune"
    ),
    JournalKind.AUTH_LOGIN: QT_TRANSLATE_NOOP("supervisor", "Connexion"),
    JournalKind.AUTH_LOGIN_FAILED: QT_TRANSLATE_NOOP("supervisor", "Échec de connexion"),
    JournalKind.AUTH_LOGOUT: QT_TRANSLATE_NOOP("supervisor", "Déconnexion"),
    JournalKind.AUTH_SESSION_EXPIRED: QT_TRANSLATE_NOOP("supervisor", "Session expirée"),
    JournalKind.DEVICE_ENROLLED: QT_TRANSLATE_NOOP("supervisor", "Poste enrôlé"),
    JournalKind.DEVICE_REVOKED: QT_TRANSLATE_NOOP("supervisor", "Poste révoqué"),
    JournalKind.OFFICER_ADDED: QT_TRANSLATE_NOOP("supervisor", "Agent ajouté"),
    JournalKind.OFFICER_HABILITATED: QT_TRANSLATE_NOOP("supervisor", "Agent habilité"),
    JournalKind.ELECTION_ADDED: QT_TRANSLATE_NOOP("supervisor", "Élection ajoutée au calendrier"),
    JournalKind.PURGE: QT_TRANSLATE_NOOP("supervisor", "Purge des données échues"),
}

# An entry's outcome (desktop.services.anomalies): one of four vocabularies. Two codes are
# in two of them (`expired`, `identity-mismatch`): their words here fit both readings, the
# Action column telling a refusal from a rejection.
OUTCOMES: dict[JournalOutcome, str] = {
    JournalOutcome.VALIDATED: QT_TRANSLATE_NOOP("supervisor", "validée"),
    JournalOutcome.REFUSED: QT_TRANSLATE_NOOP("supervisor", "refusée"),
    JournalOutcome.UNKNOWN_REFERENCE: QT_TRANSLATE_NOOP("supervisor", "référence inconnue"),
    JournalOutcome.REJECTED: QT_TRANSLATE_NOOP("supervisor", "rejetée"),
    JournalOutcome.NONE: "",
}
REFUSAL_REASONS: dict[RefusalReason, str] = {
    RefusalReason.IDENTITY_MISMATCH: QT_TRANSLATE_NOOP("supervisor", "identité différente"),
    RefusalReason.DOCUMENT_UNACCEPTABLE: QT_TRANSLATE_NOOP("supervisor", "document non recevable"),
    RefusalReason.NOT_THE_MANDANT: QT_TRANSLATE_NOOP("supervisor", "pas le mandant"),
    RefusalReason.OTHER: QT_TRANSLATE_NOOP("supervisor", "autre motif"),
}
# The request's status when it was consulted.
STATUSES: dict[RequestStatus, str] = {
    RequestStatus.SUBMITTED: QT_TRANSLATE_NOOP("supervisor", "en attente de validation"),
    RequestStatus.EXPIRED: QT_TRANSLATE_NOOP("supervisor", "demande expirée"),
    RequestStatus.REFUSED_BY_OFFICER: QT_TRANSLATE_NOOP("supervisor", "refusée au guichet"),
    RequestStatus.TRANSMITTED: QT_TRANSLATE_NOOP("supervisor", "déjà validée"),
    RequestStatus.ESTABLISHED: QT_TRANSLATE_NOOP("supervisor", "procuration établie"),
    RequestStatus.INVALID: QT_TRANSLATE_NOOP("supervisor", "procuration invalide"),
    RequestStatus.ACCEPTED_BY_COMMUNE: QT_TRANSLATE_NOOP("supervisor", "acceptée par la commune"),
    RequestStatus.REFUSED_BY_COMMUNE: QT_TRANSLATE_NOOP("supervisor", "refusée par la commune"),
    RequestStatus.CANCELLED: QT_TRANSLATE_NOOP("supervisor", "annulée"),
}
# Why the server rejected a validation (the problem it answered).
REJECTIONS: dict[ProblemCode, str] = {
    ProblemCode.BAD_REQUEST: QT_TRANSLATE_NOOP("supervisor", "requête incorrecte"),
    ProblemCode.VALIDATION: QT_TRANSLATE_NOOP("supervisor", "données non conformes"),
    ProblemCode.UNAUTHENTICATED: QT_TRANSLATE_NOOP("supervisor", "session inconnue"),
    ProblemCode.FORBIDDEN: QT_TRANSLATE_NOOP("supervisor", "action non autorisée"),
    ProblemCode.NOT_FOUND: QT_TRANSLATE_NOOP("supervisor", "introuvable"),
    ProblemCode.METHOD_NOT_ALLOWED: QT_TRANSLATE_NOOP("supervisor", "requête incorrecte"),
    ProblemCode.NOT_ACCEPTABLE: QT_TRANSLATE_NOOP("supervisor", "requête incorrecte"),
    ProblemCode.UNSUPPORTED_MEDIA_TYPE: QT_TRANSLATE_NOOP("supervisor", "requête incorrecte"),
    ProblemCode.CONFLICT: QT_TRANSLATE_NOOP("supervisor", "conflit"),
    ProblemCode.PAYLOAD_TOO_LARGE: QT_TRANSLATE_NOOP("supervisor", "envoi trop volumineux"),
    ProblemCode.RATE_LIMITED: QT_TRANSLATE_NOOP("supervisor", "trop de consultations"),
    ProblemCode.HTTP: QT_TRANSLATE_NOOP("supervisor", "erreur du serveur"),
    ProblemCode.STORAGE: QT_TRANSLATE_NOOP("supervisor", "base de données indisponible"),
    ProblemCode.INTERNAL: QT_TRANSLATE_NOOP("supervisor", "erreur du serveur"),
    ProblemCode.UNKNOWN_REFERENCE: QT_TRANSLATE_NOOP("supervisor", "référence inconnue"),
    ProblemCode.EXPIRED: QT_TRANSLATE_NOOP("supervisor", "demande expirée"),
    ProblemCode.ALREADY_VALIDATED: QT_TRANSLATE_NOOP("supervisor", "déjà validée"),
    ProblemCode.INVALID_STATE: QT_TRANSLATE_NOOP("supervisor", "état de la demande incompatible"),
    ProblemCode.NOT_HABILITATED: QT_TRANSLATE_NOOP("supervisor", "agent non habilité"),
    ProblemCode.IDEMPOTENCY_CONFLICT: QT_TRANSLATE_NOOP(
        "supervisor", "identifiant de validation réutilisé"
    ),
    ProblemCode.IN_FLIGHT: QT_TRANSLATE_NOOP("supervisor", "déjà en cours de traitement"),
    ProblemCode.NOT_PROCESSED: QT_TRANSLATE_NOOP("supervisor", "non traitée"),
    ProblemCode.WRONG_CONTEXT: QT_TRANSLATE_NOOP("supervisor", "document signé d'un autre type"),
    ProblemCode.BAD_SIGNATURE: QT_TRANSLATE_NOOP("supervisor", "signature invalide"),
    ProblemCode.UNKNOWN_KEY: QT_TRANSLATE_NOOP("supervisor", "poste non enrôlé"),
    ProblemCode.REVOKED_KEY: QT_TRANSLATE_NOOP("supervisor", "poste révoqué"),
    ProblemCode.WRONG_OFFICER_KEY: QT_TRANSLATE_NOOP("supervisor", "clé d'un autre agent"),
    ProblemCode.WRONG_STATION: QT_TRANSLATE_NOOP("supervisor", "unité d'un autre agent"),
    ProblemCode.CLOCK_SKEW: QT_TRANSLATE_NOOP("supervisor", "horloge du poste décalée"),
    ProblemCode.TOO_OLD: QT_TRANSLATE_NOOP("supervisor", "faite il y a plus de 72 heures"),
    ProblemCode.BACKDATED: QT_TRANSLATE_NOOP("supervisor", "datée d'avant la demande"),
    ProblemCode.REPLAY: QT_TRANSLATE_NOOP("supervisor", "envoi répété"),
    ProblemCode.IDENTITY_MISMATCH: QT_TRANSLATE_NOOP("supervisor", "identité différente"),
    ProblemCode.SCOPE: QT_TRANSLATE_NOOP("supervisor", "portée non permise"),
}
# One lookup table (a code in two vocabularies takes the word of the later one).
_OUTCOME_WORDS: dict[str, str] = {
    code.value: word
    for words in (REJECTIONS, STATUSES, REFUSAL_REASONS, OUTCOMES)  # the last one wins
    for code, word in words.items()
}


_ACTION_WORDS = {kind.value: word for kind, word in ACTIONS.items()}


def action_label(kind: str) -> str:
    word = _ACTION_WORDS.get(kind)
    if word is None:
        return _tr("Événement non reconnu ({code})").format(code=kind)
    return _tr(word)


def outcome_label(outcome: str) -> str:
    word = _OUTCOME_WORDS.get(outcome)
    if word is None:
        return _tr("résultat non reconnu ({code})").format(code=outcome)
    return _tr(word) if word else ""


def rule_label(rule: str) -> str:
    labels = {
        Rule.SNOOPING: _tr("Consultations sans validation"),
        Rule.OUT_OF_HOURS: _tr("Validation hors horaires"),
        Rule.REPEATED_REFERENCE: _tr("Référence consultée plusieurs fois"),
        Rule.REFUSAL_BURST: _tr("Série de refus"),
        Rule.LOOKUP_BURST: _tr("Consultations sans suite"),
    }
    return labels.get(Rule(rule), rule) if rule in set(Rule) else rule


def anomaly_text(anomaly: Anomaly, officer: Callable[[str], str] = str) -> str:
    """One sentence naming the rule, what was seen and the threshold in force; `officer`
    names a matricule."""
    when = anomaly.at.strftime("%H:%M")
    if anomaly.rule is Rule.SNOOPING:
        detail = _tr("{officer} : {count} consultations, aucune validation (seuil {threshold})")
    elif anomaly.rule is Rule.OUT_OF_HOURS:
        detail = _tr("{officer} a validé {reference} à {when}")
    elif anomaly.rule is Rule.REPEATED_REFERENCE:
        detail = _tr("{reference} consultée {count} fois par {officer} (seuil {threshold})")
    elif anomaly.rule is Rule.LOOKUP_BURST:
        detail = _tr(
            "{officer} : {count} consultations sans validation ni refus à partir de {when}"
            " (seuil {threshold})"
        )
    else:
        detail = _tr("{count} refus à partir de {when} par {officer} (seuil {threshold})")
    text = detail.format(
        officer=", ".join(map(officer, (anomaly.officer or "").split(", "))),
        count=anomaly.count,
        threshold=anomaly.threshold,
        reference=anomaly.reference or "",
        when=when,
    )
    return f"{rule_label(anomaly.rule)} — {text}"


INTEGRITY_REASONS = {
    "edited": "entrée modifiée",
    "sequence": "entrée manquante, ajoutée ou déplacée",
    "broken-link": "chaînage rompu",
    "rewritten": "journal réécrit après signature",
    "truncated": "journal tronqué",
    "rolled-back": "journal revenu en arrière",
    "forked": "journal divergent (réécrit depuis la dernière vérification)",
    "unknown-key": "point de contrôle signé par une clé inconnue",
    "bad-signature": "signature du point de contrôle invalide",
    "unverifiable": "vérification impossible (point de contrôle ou clés de signature"
    " indisponibles) : réessayez",
}


def integrity_reason(reason: str) -> str:
    return _tr(INTEGRITY_REASONS.get(reason, "vérification impossible ({reason})")).format(
        reason=reason
    )
