"""The one place that turns an error into what the officer reads: one French sentence that
says what to do. Also the last-resort `sys.excepthook` (logs, then a generic dialog; the
officer never sees a traceback).

Codes are `ClientError.code` (including `ServerError` codes, the last part of the problem
`type` URN), the reasons of the core's reference and QR errors, and a few login-only codes.
Log lines here hold codes only: never a name, a birth date or a token.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Mapping
from datetime import datetime
from types import TracebackType

from pydantic import ValidationError
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop.services.errors import ClientError, ServerError
from desktop.ui.i18n import QT_TRANSLATE_NOOP
from procuration import timeutil
from procuration.errors import InvalidReferenceError, PayloadError, SignatureError
from procuration.wire import AlreadyValidated, ProblemCode

logger = logging.getLogger(__name__)

_CONTEXT = "messages"
GENERIC = QT_TRANSLATE_NOOP(
    "messages",
    "Une erreur inattendue s'est produite. Recommencez ; si elle se répète, "
    "prévenez le support informatique.",
)

SENTENCES: dict[str, str] = {
    # The backend's problem types (docs/protocol.md).
    "unknown-reference": QT_TRANSLATE_NOOP(
        "messages",
        "Aucune demande ne porte cette référence. Vérifiez-la avec le mandant "
        "(courriel de confirmation) ou scannez son code QR.",
    ),
    "expired": QT_TRANSLATE_NOOP(
        "messages",
        "Cette demande a expiré (deux mois sans validation). Le mandant doit refaire "
        "une demande en ligne.",
    ),
    "already-validated": QT_TRANSLATE_NOOP(
        "messages",
        "Cette procuration a déjà été validée à un autre guichet : il n'y a rien à refaire.",
    ),
    "already-validated-by": QT_TRANSLATE_NOOP(
        "messages",
        "Cette procuration a déjà été validée par {officer} ({station}) le {day} à {time} : "
        "il n'y a rien à refaire.",
    ),
    "not-habilitated": QT_TRANSLATE_NOOP(
        "messages",
        "Votre habilitation ne couvre pas ce moment : vous ne pouvez pas valider. "
        "Adressez-vous à un officier habilité ou à votre chef de poste.",
    ),
    "bad-signature": QT_TRANSLATE_NOOP(
        "messages",
        "Le serveur refuse la signature de ce poste. Ne recommencez pas : prévenez le "
        "support informatique, le poste doit être réenrôlé.",
    ),
    "replay": QT_TRANSLATE_NOOP(
        "messages",
        "Le serveur a rejeté cet envoi comme une répétition. Recherchez à nouveau la "
        "référence pour voir son état avant de refaire quoi que ce soit.",
    ),
    "clock-skew": QT_TRANSLATE_NOOP(
        "messages",
        "L'horloge de ce PC est décalée. Faites corriger la date et l'heure, puis recommencez.",
    ),
    "idempotency-conflict": QT_TRANSLATE_NOOP(
        "messages",
        "Le serveur a déjà reçu une autre validation sous le même identifiant. Recherchez "
        "à nouveau la référence pour voir son état.",
    ),
    "rate-limited": QT_TRANSLATE_NOOP(
        "messages", "Trop de recherches en peu de temps. Patientez un instant puis recommencez."
    ),
    "rate-limited-for": QT_TRANSLATE_NOOP(
        "messages",
        "Trop de recherches en peu de temps. Patientez {seconds} secondes puis recommencez.",
    ),
    "payload-too-large": QT_TRANSLATE_NOOP(
        "messages", "L'envoi est trop volumineux pour le serveur. Prévenez le support informatique."
    ),
    "unauthenticated": QT_TRANSLATE_NOOP(
        "messages", "Le serveur ne reconnaît plus votre session. Reconnectez-vous."
    ),
    "forbidden": QT_TRANSLATE_NOOP(
        "messages",
        "Votre compte n'a pas le droit de faire cette action. Adressez-vous à votre chef de poste.",
    ),
    "identity-mismatch": QT_TRANSLATE_NOOP(
        "messages",
        "L'identité affichée ne correspond plus à la demande : recherchez de nouveau la "
        "référence et refaites la vérification.",
    ),
    "too-old": QT_TRANSLATE_NOOP(
        "messages",
        "Cette validation a été faite il y a plus de 72 heures et ne peut plus être "
        "transmise : faites revenir le mandant pour une nouvelle vérification.",
    ),
    "backdated": QT_TRANSLATE_NOOP(
        "messages",
        "L'heure de cette validation est antérieure à la demande : vérifiez l'heure de ce "
        "poste, puis recherchez de nouveau la référence et validez-la.",
    ),
    "wrong-officer-key": QT_TRANSLATE_NOOP(
        "messages",
        "Cette validation a été signée avec la clé d'un autre agent : reconnectez-vous "
        "avec votre propre matricule et recommencez.",
    ),
    "in-flight": QT_TRANSLATE_NOOP(
        "messages",
        "Cette validation est déjà en cours de traitement par le serveur : patientez, elle "
        "sera confirmée automatiquement.",
    ),
    "not-processed": QT_TRANSLATE_NOOP(
        "messages",
        "Le serveur n'a pas encore traité cette validation : elle reste en attente et "
        "repartira automatiquement.",
    ),
    "invalid-state": QT_TRANSLATE_NOOP(
        "messages",
        "La demande n'est plus dans un état qui permet cette action : recherchez de "
        "nouveau la référence pour voir son état actuel.",
    ),
    "conflict": QT_TRANSLATE_NOOP(
        "messages",
        "Le serveur a refusé l'action car la demande a changé entre-temps : recherchez de "
        "nouveau la référence.",
    ),
    "wrong-station": QT_TRANSLATE_NOOP(
        "messages",
        "Ce poste est configuré pour une autre unité que la vôtre : "
        "faites corriger la configuration par le support informatique.",
    ),
    "scope": QT_TRANSLATE_NOOP(
        "messages",
        "La portée de la procuration n'est pas permise (élection inconnue ou passée, période "
        "mal datée ou de plus d'un an, mandant désigné comme mandataire) : faites corriger "
        "la demande par le mandant.",
    ),
    "bad-request": QT_TRANSLATE_NOOP(
        "messages",
        "Le serveur ne comprend pas la demande de ce poste : la version du poste ne "
        "correspond peut-être plus à celle du serveur. Prévenez le support informatique.",
    ),
    "validation": QT_TRANSLATE_NOOP(
        "messages",
        "Le serveur a refusé des données mal formées. Recommencez ; si cela se répète, "
        "prévenez le support informatique.",
    ),
    # The client's own errors (desktop.services.errors).
    "network": QT_TRANSLATE_NOOP(
        "messages",
        "Le serveur ne répond pas. Vérifiez le réseau ; les validations déjà faites "
        "attendent et partiront d'elles-mêmes.",
    ),
    "tls": QT_TRANSLATE_NOOP(
        "messages",
        "Le certificat du serveur n'est pas celui attendu. N'allez pas plus loin et "
        "prévenez le support informatique.",
    ),
    "session-expired": QT_TRANSLATE_NOOP(
        "messages", "Votre session a expiré. Reconnectez-vous avec votre mot de passe."
    ),
    "vault-unavailable": QT_TRANSLATE_NOOP(
        "messages",
        "Ce PC n'a pas de coffre-fort de secrets utilisable : la clé du poste ne peut "
        "pas y être protégée, l'enrôlement est donc refusé. Faites activer le trousseau "
        "du système par le support informatique.",
    ),
    "not-enrolled": QT_TRANSLATE_NOOP(
        "messages",
        "Ce PC n'est pas enrôlé. Demandez un code d'enrôlement au support informatique.",
    ),
    "offline": QT_TRANSLATE_NOOP(
        "messages",
        "Hors ligne : une référence tapée ne peut pas être recherchée. Scannez le code QR "
        "du mandant ou attendez le retour du réseau.",
    ),
    "trust-stale": QT_TRANSLATE_NOOP(
        "messages",
        "La liste de confiance a plus de 48 heures : ce code QR ne peut pas être vérifié "
        "hors ligne. Reconnectez le PC au réseau.",
    ),
    "storage": QT_TRANSLATE_NOOP(
        "messages",
        "Impossible d'enregistrer sur ce PC (disque plein ou droits). Ne validez plus "
        "et prévenez le support informatique.",
    ),
    "device-revoked": QT_TRANSLATE_NOOP(
        "messages",
        "Ce PC a été révoqué et ne peut plus servir au guichet. Prévenez le support informatique.",
    ),
    # Typed or scanned input.
    "reference-empty": QT_TRANSLATE_NOOP(
        "messages", "Tapez ou scannez la référence du mandant (6 caractères)."
    ),
    "reference-too-short": QT_TRANSLATE_NOOP(
        "messages", "Une référence a 6 caractères : vérifiez la saisie avec le mandant."
    ),
    "reference-too-long": QT_TRANSLATE_NOOP(
        "messages", "Une référence n'a que 6 caractères : vérifiez la saisie avec le mandant."
    ),
    "reference-bad-character": QT_TRANSLATE_NOOP(
        "messages",
        "« {characters} » ne figure dans aucune référence : vérifiez la saisie avec le mandant.",
    ),
    "qr-forged": QT_TRANSLATE_NOOP(
        "messages",
        "Ce code QR n'est pas authentique. Ne validez pas ; demandez sa référence au mandant.",
    ),
    "qr-expired": QT_TRANSLATE_NOOP(
        "messages", "Ce code QR a expiré. Tapez la référence du mandant à la place."
    ),
    "qr-unknown-issuer": QT_TRANSLATE_NOOP(
        "messages",
        "Ce code QR vient d'un émetteur inconnu de ce poste. Tapez la référence, ou "
        "reconnectez le PC pour mettre à jour la liste de confiance.",
    ),
    "qr-not-a-request": QT_TRANSLATE_NOOP(
        "messages",
        "Ce code n'est pas une demande de procuration. Demandez sa référence au mandant.",
    ),
    # Login and unlock: the same codes read differently before a session exists.
    "login:unauthenticated": QT_TRANSLATE_NOOP(
        "messages", "Matricule ou mot de passe incorrect. Vérifiez la saisie et recommencez."
    ),
    "login:not-habilitated": QT_TRANSLATE_NOOP(
        "messages",
        "Votre habilitation a expiré : vous ne pouvez pas vous connecter au guichet. "
        "Adressez-vous à votre chef de poste.",
    ),
    "login:network": QT_TRANSLATE_NOOP(
        "messages",
        "Le serveur ne répond pas : connexion impossible. Vérifiez le réseau ou prévenez "
        "le support informatique.",
    ),
    "unlock:unauthenticated": QT_TRANSLATE_NOOP("messages", "Mot de passe incorrect. Recommencez."),
    # Shared PCs and offline sessions (desktop/services/offline.py, docs/decisions.md).
    "not-enrolled-officer": QT_TRANSLATE_NOOP(
        "messages",
        "Ce poste n'est pas encore enrôlé pour vous : cliquez sur «\u00a0Enrôler ce poste pour "
        "moi\u00a0» et saisissez le code d'enrôlement remis par le support informatique.",
    ),
    "not-enrolled-or-password": QT_TRANSLATE_NOOP(
        "messages",
        "Mot de passe incorrect, ou ce poste n'est pas encore enrôlé pour vous : vérifiez "
        "la saisie, sinon cliquez sur «\u00a0Enrôler ce poste pour moi\u00a0».",
    ),
    "offline-unknown": QT_TRANSLATE_NOOP(
        "messages",
        "Le serveur ne répond pas et vous ne vous êtes pas connecté en ligne sur ce poste "
        "récemment : connexion hors ligne impossible, attendez le retour du réseau.",
    ),
    "offline-expired": QT_TRANSLATE_NOOP(
        "messages",
        "Le serveur ne répond pas et votre dernière connexion en ligne sur ce poste date de "
        "plus de 72 heures : connexion hors ligne impossible, attendez le retour du réseau.",
    ),
    "offline-session": QT_TRANSLATE_NOOP(
        "messages",
        "Une référence tapée ne peut pas être recherchée hors ligne : scannez le code QR "
        "du mandant, ou verrouillez puis déverrouillez le poste quand le réseau revient.",
    ),
    "timeout": QT_TRANSLATE_NOOP(
        "messages",
        "Le serveur met trop de temps à répondre. Recommencez dans un instant ; les "
        "validations déjà faites attendent et partiront d'elles-mêmes.",
    ),
    "trust-missing": QT_TRANSLATE_NOOP(
        "messages",
        "Ce PC n'a pas encore de liste de confiance : les codes QR ne peuvent pas être "
        "vérifiés hors ligne. Connectez-vous une fois en ligne.",
    ),
    "identity-digest-mismatch": QT_TRANSLATE_NOOP(
        "messages",
        "L'identité affichée ne correspond pas à celle garantie par le serveur : ne validez "
        "pas. Recherchez à nouveau la référence.",
    ),
    "not-signable": QT_TRANSLATE_NOOP(
        "messages",
        "Cette décision ne peut pas être signée (contrôles incomplets ou unité inconnue). "
        "Recherchez à nouveau la référence.",
    ),
    "configuration": QT_TRANSLATE_NOOP(
        "messages",
        "La configuration de ce poste est invalide. Prévenez le support informatique.",
    ),
    "insecure-server": QT_TRANSLATE_NOOP(
        "messages",
        "Une adresse en http:// n'est permise que sur ce PC : utilisez l'adresse https du serveur.",
    ),
    "ca-file": QT_TRANSLATE_NOOP(
        "messages",
        "Le fichier de l'autorité de certification du serveur manque, est introuvable ou "
        "illisible : choisissez le fichier fourni par le support informatique.",
    ),
    "internal": GENERIC,
}

# Codes the services emit that read like another one: `qr-<core reason>` and variants.
ALIASES = {
    "qr-bad-signature": "qr-forged",
    "qr-malformed": "qr-forged",
    "qr-algorithm": "qr-forged",
    "qr-payload": "qr-forged",
    "qr-unknown-key": "qr-unknown-issuer",
    "qr-not-yet-valid": "qr-expired",
    "qr-wrong-type": "qr-not-a-request",
    "qr-wrong-context": "qr-not-a-request",
    "qr-unrecognized": "qr-not-a-request",
    "qr-not-text": "qr-not-a-request",
    "qr-too-large": "qr-not-a-request",
    "qr-empty": "reference-empty",
    # The backend's finer rejection codes (docs/backend.md) that call for the same action.
    "revoked-key": "device-revoked",
    "unknown-key": "not-enrolled",
    "wrong-context": "validation",
    "not-found": "unknown-reference",
    # A request the server cannot route or read: the client and server disagree on the API.
    "method-not-allowed": "bad-request",
    "not-acceptable": "bad-request",
    "unsupported-media-type": "bad-request",
    "http": "bad-request",
}

# The core's payload/signature reasons, as the UI's stable codes.
_PAYLOAD_CODES = {
    "bad-signature": "qr-forged",
    "malformed": "qr-forged",
    "algorithm": "qr-forged",
    "payload": "qr-forged",
    "unknown-key": "qr-unknown-issuer",
    "expired": "qr-expired",
    "not-yet-valid": "qr-expired",
    "wrong-type": "qr-not-a-request",
    "wrong-context": "qr-not-a-request",
    "unrecognized": "qr-not-a-request",
    "not-text": "qr-not-a-request",
    "too-large": "qr-not-a-request",
    "empty": "reference-empty",
}


def code_of(error: BaseException) -> str:
    """The stable code the sentences are keyed on."""
    if isinstance(error, ClientError):
        return ALIASES.get(error.code, error.code)
    if isinstance(error, InvalidReferenceError):
        return f"reference-{error.reason}"
    if isinstance(error, PayloadError | SignatureError):
        return _PAYLOAD_CODES.get(error.reason, "qr-not-a-request")
    return "internal"


def sentence(code: str, *, during: str | None = None, **fields: str) -> str:
    """The sentence for `code`; `during` ("login", "unlock") selects a variant if any."""
    code = ALIASES.get(code, code)
    text = SENTENCES.get(f"{during}:{code}") if during else None
    if text is None:
        text = SENTENCES.get(code, GENERIC)
    translated = QCoreApplication.translate(_CONTEXT, text)
    try:
        return translated.format(**fields)
    except (KeyError, IndexError):
        logger.warning("sentence %r misses a field", code)
        return QCoreApplication.translate(_CONTEXT, GENERIC)


def message_for(error: BaseException, *, during: str | None = None) -> str:
    """One French sentence telling the officer what to do about `error`."""
    code = code_of(error)
    if code == "internal":
        return sentence("internal")
    if isinstance(error, ServerError):
        special = _server_sentence(error)
        if special is not None:
            return special
    if isinstance(error, InvalidReferenceError) and error.reason == "bad-character":
        return sentence(code, characters=" ".join(error.detail))
    return sentence(code, during=during)


def _server_sentence(error: ServerError) -> str | None:
    if error.code == ProblemCode.ALREADY_VALIDATED:
        return outcome_sentence(error.code, error.context)
    if error.code == ProblemCode.RATE_LIMITED and error.retry_after:
        return sentence("rate-limited-for", seconds=str(max(1, round(error.retry_after))))
    return None


def outcome_sentence(code: str, context: Mapping[str, str]) -> str:
    """The sentence for a decision the server refused for good (`SubmitOutcome.error_code`
    and `error_context`): who, where and when for `already-validated`."""
    if ALIASES.get(code, code) == ProblemCode.ALREADY_VALIDATED:
        try:
            who = AlreadyValidated.model_validate(context)
        except ValidationError:
            return sentence("already-validated")
        return already_validated_sentence(who.officer_name, who.station, who.validated_at)
    return sentence(code)


def already_validated_sentence(officer: str | None, station: str | None, at: str | None) -> str:
    """Who validated, where and when, in local time; the short form if the server is silent."""
    if not (officer and station and at):
        return sentence("already-validated")
    try:
        moment = timeutil.in_paris(timeutil.from_wire(at))
    except ValueError:
        return sentence("already-validated")
    return sentence(
        "already-validated-by",
        officer=officer,
        station=station,
        day=moment.strftime("%d/%m/%Y"),
        time=moment.strftime("%H:%M"),
    )


def local_time(moment: datetime) -> str:
    return timeutil.in_paris(moment).strftime("%H:%M")


_open_dialogs: list[QMessageBox] = []

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def install_excepthook(parent: Callable[[], QWidget | None] = lambda: None) -> ExceptHook:
    """Logs any uncaught exception with its traceback, then shows a generic dialog.

    Returns the previous hook so tests can restore it.
    """
    previous = sys.excepthook

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        logger.critical("uncaught %s", kind.__name__, exc_info=(kind, error, trace))
        if QApplication.instance() is None:
            return
        box = QMessageBox(parent())
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(QCoreApplication.translate(_CONTEXT, "Erreur"))
        box.setText(sentence("internal"))
        box.setAccessibleName(QCoreApplication.translate(_CONTEXT, "Erreur inattendue"))
        # Keep a reference until it closes: an unparented box would be collected at once.
        _open_dialogs.append(box)
        box.finished.connect(lambda _result: _open_dialogs.remove(box))
        box.open()

    sys.excepthook = hook
    return previous


TITLES: dict[str, str] = {
    "unknown-reference": QT_TRANSLATE_NOOP("messages", "Référence inconnue"),
    "expired": QT_TRANSLATE_NOOP("messages", "Demande expirée"),
    "already-validated": QT_TRANSLATE_NOOP("messages", "Déjà validée"),
    "not-habilitated": QT_TRANSLATE_NOOP("messages", "Validation impossible : non habilité"),
    "offline": QT_TRANSLATE_NOOP("messages", "Hors ligne"),
    "offline-session": QT_TRANSLATE_NOOP("messages", "Session hors ligne"),
    "network": QT_TRANSLATE_NOOP("messages", "Serveur injoignable"),
    "session-expired": QT_TRANSLATE_NOOP("messages", "Session expirée"),
    "unauthenticated": QT_TRANSLATE_NOOP("messages", "Session expirée"),
    "rate-limited": QT_TRANSLATE_NOOP("messages", "Patientez"),
    "trust-stale": QT_TRANSLATE_NOOP("messages", "Vérification hors ligne impossible"),
    "storage": QT_TRANSLATE_NOOP("messages", "Enregistrement impossible"),
}
_TITLE_PREFIXES = {
    "reference-": QT_TRANSLATE_NOOP("messages", "Saisie à vérifier"),
    "qr-": QT_TRANSLATE_NOOP("messages", "Code QR refusé"),
}
FAILURE_TITLE = QT_TRANSLATE_NOOP("messages", "Échec")


def title_for(error: BaseException | str) -> str:
    """The word a banner shows above the sentence ("Référence inconnue", "Échec")."""
    code = error if isinstance(error, str) else code_of(error)
    text = TITLES.get(code)
    if text is None:
        prefixed = [t for prefix, t in _TITLE_PREFIXES.items() if code.startswith(prefix)]
        text = prefixed[0] if prefixed else FAILURE_TITLE
    return QCoreApplication.translate(_CONTEXT, text)
