"""What the counter's banner says after a decision or when it hides an identity (the
sentences live here so that `counter_view` stays about flow, not wording)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop.services.ports import DeliveryState, SubmitOutcome
from desktop.ui import messages
from desktop.ui.banner import BannerKind

# QCoreApplication.translate written out in each call: pyside6-lupdate finds only those.


def naming(title: str, reference: str) -> str:
    """The banner names the reference ("Déjà validée : 7K3QZ9"): the field no longer shows it."""
    return (
        QCoreApplication.translate("CounterView", "%1 : %2")
        .replace("%1", title)
        .replace("%2", reference)
    )


def outcome(outcome: SubmitOutcome, *, refusing: bool) -> tuple[BannerKind, str, str]:
    """Kind, title and sentence for what became of a decision."""
    if outcome.state is DeliveryState.TRANSMITTED:
        return (
            BannerKind.TRANSMITTED,
            QCoreApplication.translate("CounterView", "Refus transmis")
            if refusing
            else QCoreApplication.translate("CounterView", "Transmise"),
            QCoreApplication.translate(
                "CounterView", "La décision sur %1 est transmise. Personne suivante."
            ).replace("%1", outcome.reference),
        )
    if outcome.state is DeliveryState.PENDING:
        title = QCoreApplication.translate("CounterView", "En attente d'envoi (%1)").replace(
            "%1", str(outcome.pending_count)
        )
        text = QCoreApplication.translate(
            "CounterView",
            "Décision sur %1 enregistrée sur ce PC ; elle partira dès que le serveur "
            "répondra. Rien à refaire.",
        ).replace("%1", outcome.reference)
        return BannerKind.PENDING, title, text
    code = outcome.error_code or "internal"
    title = QCoreApplication.translate("CounterView", "%1 non transmise : %2").replace(
        "%1", outcome.reference
    )
    return (
        BannerKind.FAILED,
        title.replace("%2", messages.title_for(code)),
        messages.outcome_sentence(code, outcome.error_context),
    )


def status_after(outcome: SubmitOutcome, title: str) -> str:
    """The request's state under the identity: the banner's title, less the reference the
    panel already shows."""
    if outcome.state is not DeliveryState.FAILED:
        return title
    return QCoreApplication.translate("CounterView", "Non transmise : %1").replace(
        "%1", messages.title_for(outcome.error_code or "internal")
    )


def identity_hidden(reference: str, after_s: float, *, scanned: bool) -> tuple[str, str]:
    """Title and sentence once an undecided identity is hidden: why, and the way back."""
    if scanned:
        text = QCoreApplication.translate(
            "CounterView",
            "Aucune décision depuis %1 s : l'identité est masquée pour la protéger ; "
            "présentez de nouveau le code QR pour l'afficher.",
        )
    else:
        text = QCoreApplication.translate(
            "CounterView",
            "Aucune décision depuis %1 s : l'identité est masquée pour la protéger ; "
            "appuyez sur Entrée pour l'afficher de nouveau.",
        )
    title = QCoreApplication.translate("CounterView", "Identité masquée : %1").replace(
        "%1", reference
    )
    return title, text.replace("%1", str(round(after_s)))
