"""The counter: reference → identity beside the ID check → Valider / Refuser → result.

Every service call goes through the task runner; the action that started it is disabled
until it ends. After a result the field takes focus at once for the next person, and the
whole panel clears itself `clear_after` seconds later (or on Échap, a new search, a lock).
An identity left undecided is hidden after `hide_identity_after` seconds without input (an
unattended screen), and typing the next reference clears what the last one left.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.services.ports import (
    CounterService,
    DeliveryState,
    LookupResult,
    LookupSource,
    SubmitOutcome,
)
from desktop.ui import counter_words as words
from desktop.ui import formatting, messages
from desktop.ui.banner import Banner, BannerKind
from desktop.ui.check_panel import CheckPanel
from desktop.ui.identity_panel import IdentityPanel
from desktop.ui.reference_field import ReferenceField, is_payload
from desktop.ui.refusal_dialog import ReasonPicker, Refusal, RefusalDialog, ask_refusal_reason
from desktop.ui.resiliation_panel import ResiliationPanel
from desktop.ui.style import set_property
from desktop.ui.tasks import TaskRunner
from desktop.ui.timers import Clock, Countdown, IdleWatcher
from procuration import reference
from procuration.errors import InvalidReferenceError
from procuration.models import DocumentType, IdDocumentCheck, RequestStatus

logger = logging.getLogger(__name__)

LOOKUP = "lookup"
SUBMIT = "submit"


@dataclass(frozen=True)
class CounterOptions:
    clear_after: float = 30.0
    hide_identity_after: float = 60.0  # without input, an undecided identity is hidden
    clock: Clock | None = None  # None: time.monotonic
    today: Callable[[], date] = date.today
    pick_reason: ReasonPicker = ask_refusal_reason


class CounterView(QWidget):
    lookup_finished = Signal()
    submit_finished = Signal(object)  # SubmitOutcome, or None after an error
    pending_count_changed = Signal(int)
    cleared = Signal()
    receipt_requested = Signal(object)  # the SubmitOutcome of the validation on screen

    def __init__(
        self,
        service: CounterService,
        runner: TaskRunner,
        options: CounterOptions | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._options = options or CounterOptions()
        self._lookup: LookupResult | None = None
        self._refusing = False
        self._waiting: SubmitOutcome | None = None  # the decision shown "en attente d'envoi"
        self._searched = ""  # the typed reference being looked up (a scan's is unknown)
        self._receipt_for: SubmitOutcome | None = None  # the validation a receipt may be for
        self.field = ReferenceField(self)
        self.hint = QLabel(self)
        self.hint.setProperty("role", "hint")
        self.hint.setAccessibleName(self.tr("Aide à la saisie"))
        self.search_button = QPushButton(self.tr("Rechercher (Entrée)"), self)
        self.search_button.setAccessibleName(self.tr("Rechercher la référence"))
        self.clear_button = QPushButton(self.tr("Effacer (Échap)"), self)
        self.clear_button.setAccessibleName(self.tr("Effacer l'écran"))
        self.scanner_slot = QFrame(self)
        self.scanner_slot.setObjectName("scannerSlot")
        self.scanner_slot.setAccessibleName(self.tr("Lecture par caméra"))
        self.identity = IdentityPanel(self._options.today, self)
        self.resiliation = ResiliationPanel(self._options.today, self)
        self.checks = CheckPanel(self._options.pick_reason, self)
        self.banner = Banner(self, large=True)
        clock = self._options.clock or time.monotonic
        self.clear_countdown = Countdown(clock, parent=self)
        self.undecided_watch = IdleWatcher(self._options.hide_identity_after, clock, parent=self)
        self._build_layout()
        self._connect()

    def _build_layout(self) -> None:
        entry = QHBoxLayout()
        entry.addWidget(self.field, 1)
        entry.addWidget(self.search_button)
        entry.addWidget(self.clear_button)
        placeholder = QLabel(self.tr("Caméra : emplacement réservé"), self.scanner_slot)
        placeholder.setProperty("role", "hint")
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        slot_layout = QHBoxLayout(self.scanner_slot)
        slot_layout.addWidget(placeholder)
        grid = QGridLayout(self)
        grid.addLayout(entry, 0, 0, 1, 2)
        grid.addWidget(self.hint, 1, 0, 1, 2)
        grid.addWidget(self.banner, 2, 0, 1, 2)
        left = QVBoxLayout()  # a résiliation's panel, hidden for a proxy, above the identity
        left.addWidget(self.resiliation)
        left.addWidget(self.identity, 1)
        grid.addLayout(left, 3, 0)
        grid.addWidget(self.checks, 3, 1)
        grid.addWidget(self.scanner_slot, 4, 0, 1, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setRowStretch(3, 1)
        self.setTabOrder(self.field, self.search_button)
        self.setTabOrder(self.search_button, self.checks.document)
        self.setTabOrder(self.checks.document, self.checks.name_matches)
        self.setTabOrder(self.checks.name_matches, self.checks.birth_date_matches)
        self.setTabOrder(self.checks.birth_date_matches, self.checks.photo_matches)
        self.setTabOrder(self.checks.photo_matches, self.checks.validate_button)
        self.setTabOrder(self.checks.validate_button, self.checks.refuse_button)
        self.setTabOrder(self.checks.refuse_button, self.clear_button)

    def _connect(self) -> None:
        self.field.submitted.connect(self._on_field_submitted)
        self.field.hint_changed.connect(self._on_field_hint_changed)
        self.search_button.clicked.connect(self._on_search_button_clicked)
        self.clear_button.clicked.connect(self.clear)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self).activated.connect(self.clear)
        QShortcut(QKeySequence("Ctrl+P"), self).activated.connect(self.request_receipt)
        self.banner.action_triggered.connect(self.request_receipt)
        self.checks.validate_requested.connect(self._on_checks_validate_requested)
        self.checks.refuse_requested.connect(self._on_checks_refuse_requested)
        self.clear_countdown.expired.connect(self.clear)
        self.field.textEdited.connect(self._on_field_text_edited)
        self.undecided_watch.idle_timed_out.connect(self._on_undecided_watch_idle_timed_out)
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self.undecided_watch)

    def set_scanner_widget(self, widget: QWidget) -> None:
        """Embedding point for desktop/ui/scanner_widget.py: replaces the placeholder.

        Connect the scanner's "code read" signal to `submit_text`.
        """
        layout = self.scanner_slot.layout()
        assert layout is not None
        while layout.count():
            item = layout.takeAt(0)
            old = item.widget() if item is not None else None
            if old is not None:
                old.deleteLater()
        layout.addWidget(widget)
        # Identity and camera preview share the height: a preview too small to aim with
        # is no preview (the identity needs about ten lines, never more).
        grid = self.layout()
        if isinstance(grid, QGridLayout):
            grid.setRowStretch(4, 1)

    # --- Lookup ---------------------------------------------------------------------

    @Slot(str)
    def submit_text(self, text: str) -> None:
        """Looks up a typed reference or a scanned payload (also the scanner's entry)."""
        if self._runner.is_running(LOOKUP) or self._runner.is_running(SUBMIT):
            return
        if not is_payload(text):
            try:
                text = reference.parse(text)
            except InvalidReferenceError as error:
                self._show_input_problem(error)
                return
        self.clear(keep_field=True)
        self._searched = "" if is_payload(text) else text
        self._set_busy(True)
        self.hint.setText(self.tr("Recherche…"))
        self._runner.run(
            LOOKUP,
            lambda: self._service.lookup(text),
            self._on_lookup_succeeded,
            self._on_lookup_failed,
        )

    def show_scan_problem(self) -> None:
        """A camera read that cannot be a reference nor a payload (binary data)."""
        self.banner.show_message(
            BannerKind.WARNING, messages.title_for("qr-unrecognized"),
            messages.sentence("qr-unrecognized"),
        )  # fmt: skip

    def _show_input_problem(self, error: InvalidReferenceError) -> None:
        self._set_hint(messages.message_for(error), True)
        self.field.setFocus()

    @Slot(str)
    def _on_field_submitted(self, text: str) -> None:
        self.submit_text(text)

    @Slot()
    def _on_search_button_clicked(self) -> None:
        self.submit_text(self.field.value())

    @Slot(str, bool)
    def _on_field_hint_changed(self, text: str, invalid: bool) -> None:
        self._set_hint(text, invalid)

    def _set_hint(self, text: str, invalid: bool) -> None:
        self.hint.setText(text)
        set_property(self.hint, "invalid", invalid)
        set_property(self.field, "invalid", invalid)

    def _on_lookup_succeeded(self, lookup: LookupResult) -> None:
        self._set_busy(False)
        self.field.clear()
        self._set_hint("", False)
        request = lookup.response
        logger.info("looked up %s: %s", request.reference, request.status or "unknown (offline)")
        self.resiliation.show_lookup(lookup)
        # Offline, the signed QR code vouches for the identity but not the request's state:
        # the officer may still decide, and the server settles the state on delivery.
        if request.status is RequestStatus.SUBMITTED or request.status is None:
            self._lookup = lookup
            self.identity.show_lookup(lookup)
            self.checks.set_active(True)
            self.checks.document.setFocus()
            self.undecided_watch.resume()
        else:
            self._show_not_validatable(lookup)
        self.lookup_finished.emit()

    def _show_not_validatable(self, lookup: LookupResult) -> None:
        response = lookup.response
        assert response.status is not None  # unknown states are validatable (see above)
        if response.status is RequestStatus.EXPIRED:
            code = "expired"
            text = messages.sentence(code)
        elif response.validated is not None:
            code = "already-validated"
            done = response.validated
            text = messages.already_validated_sentence(done.officer_name, done.station, done.at)
        else:
            code = "not-validatable"
            text = self.tr("Cette demande ne peut pas être validée (état : %1).").replace(
                "%1", formatting.status_word(response.status)
            )
        # The title names the reference: the field is already empty for the next one.
        self.banner.show_message(
            BannerKind.WARNING, words.naming(messages.title_for(code), response.reference), text
        )
        self.field.setFocus()

    def _on_lookup_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self._set_hint("", False)
        # Nothing went wrong when the request is simply done or over: a warning, not a failure.
        settled = messages.code_of(error) in {"already-validated", "expired"}
        kind = BannerKind.WARNING if settled else BannerKind.FAILED
        title = messages.title_for(error)
        if settled and self._searched:
            title = words.naming(title, self._searched)
        self.banner.show_message(kind, title, messages.message_for(error))
        self.field.selectAll()
        self.field.setFocus()
        self.lookup_finished.emit()

    # --- Validate / refuse ------------------------------------------------------------

    @Slot(object)
    def _on_checks_validate_requested(self, check: IdDocumentCheck) -> None:
        lookup = self._lookup
        if lookup is None or self._runner.is_running(SUBMIT):
            return
        self._refusing = False
        self._start_submit(lambda: self._service.validate(lookup, check))

    @Slot(object, object)
    def _on_checks_refuse_requested(self, document: DocumentType, refusal: Refusal) -> None:
        lookup = self._lookup
        if lookup is None or self._runner.is_running(SUBMIT):
            return
        self._refusing = True
        self._start_submit(
            lambda: self._service.refuse(lookup, document, refusal.reason, note=refusal.note)
        )

    def _start_submit(self, call: Callable[[], SubmitOutcome]) -> None:
        self.undecided_watch.suspend()
        self.checks.set_active(False)
        self._set_busy(True)
        self.banner.show_message(BannerKind.INFO, self.tr("Signature et envoi…"))
        self._runner.run(SUBMIT, call, self._on_submit_succeeded, self._on_submit_failed)

    def _on_submit_succeeded(self, outcome: SubmitOutcome) -> None:
        logger.info("submitted %s: %s", outcome.reference, outcome.state.value)
        self._show_outcome(outcome)
        self.pending_count_changed.emit(outcome.pending_count)
        self._after_result()
        self.submit_finished.emit(outcome)

    def _show_outcome(self, outcome: SubmitOutcome) -> None:
        kind, title, text = words.outcome(outcome, refusing=self._refusing)
        self.banner.show_message(kind, title, text)
        self.identity.set_status(words.status_after(outcome, title))
        self._waiting = outcome if outcome.state is DeliveryState.PENDING else None
        self._offer_receipt(outcome)

    def _offer_receipt(self, outcome: SubmitOutcome) -> None:
        """A validation transmitted or waiting gets a receipt for the voter; a refusal none."""
        ok = not self._refusing and outcome.state is not DeliveryState.FAILED
        self._receipt_for = outcome if ok else None
        if ok:
            self.banner.show_action(self.tr("Récépissé (Ctrl+P)"), self.tr("Imprimer le récépissé"))

    @Slot()
    def request_receipt(self) -> None:
        if self._receipt_for is not None:
            self.receipt_requested.emit(self._receipt_for)

    def show_deliveries(self, outcomes: list[SubmitOutcome]) -> None:
        """The outbox delivered in the background: if the decision still on screen was
        "en attente d'envoi", the banner now says what became of it."""
        waiting = self._waiting
        if waiting is None:
            return
        for outcome in outcomes:
            if outcome.validation_id == waiting.validation_id:
                self._show_outcome(outcome)

    def _on_submit_failed(self, error: BaseException) -> None:
        self.banner.show_message(
            BannerKind.FAILED, messages.title_for(error), messages.message_for(error)
        )
        self._after_result()
        self.submit_finished.emit(None)

    def _after_result(self) -> None:
        self._set_busy(False)
        self._lookup = None
        self.checks.set_active(False)
        self.clear_countdown.start(self._options.clear_after)
        self.field.setFocus()

    # --- Clearing ---------------------------------------------------------------------

    @Slot()
    def clear(self, keep_field: bool = False) -> None:
        """Removes every personal datum from the screen; the field takes focus."""
        self._runner.cancel(LOOKUP)
        self._set_busy(False)
        self.clear_countdown.stop()
        self.undecided_watch.suspend()
        # A refusal dialog left open must not outlive the identity it was about (the
        # hiding after a minute, the lock, Échap): it closes as a cancellation.
        for dialog in self.findChildren(RefusalDialog):
            dialog.reject()
        self._receipt_for = None
        self._lookup = None
        self._waiting = None
        self.identity.clear()
        self.resiliation.clear()
        self.checks.set_active(False)
        self.banner.clear()
        if not keep_field:
            self.field.clear()
            self._set_hint("", False)
        self.field.setFocus()
        self.cleared.emit()

    @Slot(str)
    def _on_field_text_edited(self, _text: str) -> None:
        """The next reference is being typed: what the last lookup left goes at once."""
        if self.field.isReadOnly():
            return
        self.banner.clear()
        if self._lookup is None and self.identity.is_showing():
            self.clear_countdown.stop()
            self._waiting = None
            self.identity.clear()

    @Slot()
    def _on_undecided_watch_idle_timed_out(self) -> None:
        """Nobody touched the counter for a while with an identity undecided: hide it,
        say why, and keep the way back one key away (the reference stays in the field)."""
        lookup = self._lookup
        if lookup is None:
            return
        reference_text = lookup.response.reference
        logger.info("identity of %s hidden: no decision", reference_text)
        self.clear()
        scanned = lookup.source is LookupSource.SIGNED_QR
        if not scanned:  # offline, a typed reference cannot be looked up again
            self.field.setText(reference_text)
            self._set_hint(*self.field.hint())
        title, text = words.identity_hidden(
            reference_text, self._options.hide_identity_after, scanned=scanned
        )
        self.banner.show_message(BannerKind.INFO, title, text)
        self.field.selectAll()

    def is_deciding(self) -> bool:
        """A lookup runs or its identity awaits Valider/Refuser: a scan must not replace it."""
        return self._lookup is not None or self._runner.is_running(LOOKUP)

    def has_personal_data(self) -> bool:
        return self._lookup is not None or self.identity.is_showing()

    def _set_busy(self, busy: bool) -> None:
        self.field.setReadOnly(busy)
        self.search_button.setEnabled(not busy)
