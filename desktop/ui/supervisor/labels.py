"""French words for the journal's codes, in one place so the table, the CSV and the PDF say
the same thing. Unknown codes are shown as they are rather than hidden."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop.services.anomalies import Anomaly, Rule


def _tr(text: str) -> str:
    return QCoreApplication.translate("supervisor", text)


def action_label(kind: str) -> str:
    labels = {
        "request.lookup": _tr("Consultation"),
        "request.lookup_unknown": _tr("Consultation (référence inconnue)"),
        "validation.validated": _tr("Validation"),
        "validation.refused": _tr("Refus"),
        "validation.rejected": _tr("Validation rejetée par le serveur"),
        "auth.login": _tr("Connexion"),
        "auth.login_failed": _tr("Échec de connexion"),
        "auth.logout": _tr("Déconnexion"),
        "auth.session_expired": _tr("Session expirée"),
        "device.enrolled": _tr("Poste enrôlé"),
        "device.revoked": _tr("Poste révoqué"),
        "officer.added": _tr("Agent ajouté"),
        "officer.habilitated": _tr("Agent habilité"),
        "checkpoint.signed": _tr("Point de contrôle signé"),
    }
    return labels.get(kind, kind)


def outcome_label(outcome: str) -> str:
    labels = {
        "validated": _tr("validée"),
        "refused": _tr("refusée"),
        "identity-mismatch": _tr("refus : identité différente"),
        "unacceptable-document": _tr("refus : document non recevable"),
        "not-the-mandant": _tr("refus : pas le mandant"),
        "pending": _tr("en attente"),
        "validated-elsewhere": _tr("déjà validée"),
        "unknown": _tr("référence inconnue"),
        "rejected": _tr("rejetée"),
        "": "",
    }
    return labels.get(outcome, outcome)


def rule_label(rule: str) -> str:
    labels = {
        Rule.SNOOPING: _tr("Consultations sans validation"),
        Rule.OUT_OF_HOURS: _tr("Validation hors horaires"),
        Rule.REPEATED_REFERENCE: _tr("Référence consultée plusieurs fois"),
        Rule.REFUSAL_BURST: _tr("Série de refus"),
    }
    return labels.get(Rule(rule), rule) if rule in set(Rule) else rule


def anomaly_text(anomaly: Anomaly) -> str:
    """One sentence naming the rule, what was seen and the threshold in force."""
    when = anomaly.at.strftime("%H:%M")
    if anomaly.rule is Rule.SNOOPING:
        detail = _tr("{officer} : {count} consultations, aucune validation (seuil {threshold})")
    elif anomaly.rule is Rule.OUT_OF_HOURS:
        detail = _tr("{officer} a validé {reference} à {when}")
    elif anomaly.rule is Rule.REPEATED_REFERENCE:
        detail = _tr("{reference} consultée {count} fois par {officer} (seuil {threshold})")
    else:
        detail = _tr("{count} refus à partir de {when} par {officer} (seuil {threshold})")
    text = detail.format(
        officer=anomaly.officer or "",
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
