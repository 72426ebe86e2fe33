"""The login form shown while the services are still being imported.

A cold start spends most of its time importing the services (pydantic and the wire
models, keyring, httpx, our widgets): `desktop.startup` shows this window first, with Qt's
widgets alone, then imports and builds everything else. The officer can type meanwhile;
when the real counter window is shown, what was typed moves into its login form (a
"Se connecter" pressed early is pressed again there) and this window closes. If the PC
turns out not to be enrolled, the enrolment wizard replaces it instead.

Only Qt and `desktop.ui.style` are imported here: anything heavier defeats the purpose
(`bench/client_latency.py` measures it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEventLoop
from PySide6.QtGui import QGuiApplication, QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QWidget,
)

from desktop.ui.login_card import lay_out_login
from desktop.ui.style import scale_font, set_property

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow
    from desktop.ui.shell import Shell

FIRST_PAINT_WAIT_MS = 300  # a window manager maps a window within a few ms


def window_size() -> tuple[int, int]:
    """The counter window's size (`Shell.show_window`), so that nothing jumps at the
    hand-over."""
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return 1280, 800
    free = screen.availableGeometry()
    return min(1280, free.width()), min(800, free.height())


class EarlyLoginWindow(QMainWindow):
    """The login page of `MainWindow` in look and keys, without any service behind it."""

    def __init__(self, title: str, matricule: str = "") -> None:
        super().__init__()
        self.setWindowTitle(title)
        self.painted = False
        self.submit_pending = False
        page = QWidget(self)
        self.matricule = QLineEdit(matricule, page)
        self.matricule.setAccessibleName(self.tr("Matricule"))
        self.password = QLineEdit(page)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Mot de passe"))
        self.submit_button = QPushButton(self.tr("Se connecter (Entrée)"), page)
        self.submit_button.setAccessibleName(self.tr("Se connecter"))
        set_property(self.submit_button, "primary", True)
        self.notice = QLabel("", page)
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)  # shown once "Se connecter" is pressed
        self._lay_out(page)
        self.setCentralWidget(page)
        self.resize(*window_size())
        self.matricule.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self._submit)
        self.submit_button.clicked.connect(self._submit)
        for field in (self.matricule, self.password):
            field.textChanged.connect(self._update_enabled)
        self._update_enabled()
        (self.password if matricule else self.matricule).setFocus()

    def _lay_out(self, page: QWidget) -> None:
        """The same card, texts and fonts as `LoginView`."""
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.submit_button)
        scale_font(self.submit_button, 1.2)
        lay_out_login(page, self.matricule, self.password, self.notice, buttons)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        self.painted = True
        super().paintEvent(event)

    def show_now(self) -> None:
        """Shows the window and returns once it is painted (or after a short wait)."""
        self.show()
        app = QCoreApplication.instance()
        timer = QElapsedTimer()
        timer.start()
        while app is not None and not self.painted and timer.elapsed() < FIRST_PAINT_WAIT_MS:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)

    def _ready(self) -> bool:
        return bool(self.matricule.text().strip() and self.password.text())

    def _update_enabled(self) -> None:
        self.submit_button.setEnabled(self._ready() and not self.submit_pending)

    def _submit(self) -> None:
        if self._ready():
            self.submit_pending = True
            self.notice.setText(self.tr("Connexion dès que le poste est prêt…"))
            self.notice.setVisible(True)
            self._update_enabled()

    def follow(self, shell: Shell) -> None:
        """Hands over to the shell's counter window when it shows, or gives way to the
        enrolment wizard or to a quit."""
        shell.window_shown.connect(lambda: self.hand_over(shell.window))
        shell.wizard_shown.connect(self.close)
        shell.quit_requested.connect(self.close)

    def hand_over(self, window: MainWindow | None) -> None:
        """What was typed goes into the real login form, which takes this window's place."""
        if window is not None:
            window.setGeometry(self.geometry())
            login = window.login_view
            if self.matricule.text():
                login.matricule.setText(self.matricule.text())
            if self.password.text():
                login.password.setText(self.password.text())
            typing_in_password = self.password.hasFocus() or bool(login.matricule.text())
            (login.password if typing_in_password else login.matricule).setFocus()
            if self.submit_pending:
                login.submit_button.click()
        self.password.clear()
        self.close()
