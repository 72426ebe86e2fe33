"""Counter client latency: cold start, lookup and Valider→"Transmise", resident memory.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.client_latency [--runs 10] [--flows 40]

Prints figures beside their targets (issue 3); asserts nothing. Starts its own backend
(`guichet-backend serve`, temporary data dir, lookup rate limit lifted so that the bench
measures latency and not the limiter), seeded through the CLI (the e2e harness).

- Cold start: a fresh process per run (`desktop.startup.main`, the `guichet` command, on a
  PC already enrolled, demo vault), from spawn to the first paint of the login form (shown
  before the services are imported), and, in other runs, to the first paint of the counter
  window that takes its place once the services are built (login usable); beside them,
  the floor: a bare PySide6 `QWidget` process, measured the same way. Median of `--runs`.
  Run it with bytecode caching on, as on an installed PC (`env -u PYTHONDONTWRITEBYTECODE`;
  `PYTHONPYCACHEPREFIX=/tmp/…` keeps the caches out of the tree).
- Lookup and Valider: the real `MainWindow` over the real `Counter`, in this process,
  driven as the officer does (reference typed + Enter, three boxes ticked, Valider
  clicked); lookup is timed to `CounterView.lookup_finished` (identity panel filled),
  Valider to `submit_finished` with the banner saying "Transmise".
- RSS: this process (the client: Qt, widgets, services) after the flows; the backend is
  another process and is not counted.
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
logging.getLogger("desktop").setLevel(logging.ERROR)  # the demo vault's notice, once per run
ROOT = Path(__file__).resolve().parent.parent

PAINTED = "painted"
TARGET_START_RATIO = 2.0
TARGET_LOOKUP_P95_MS = 100.0
TARGET_SUBMIT_P95_MS = 150.0
TARGET_RSS_MB = 250.0


# -- child processes (cold start) ---------------------------------------------------------


def _paint_reporter(widget: Any) -> None:
    """Prints PAINTED at the widget's first paint event, then ends the process at once
    (teardown is not part of a cold start)."""
    from PySide6.QtCore import QEvent, QObject

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                print(PAINTED, flush=True)
                os._exit(0)
            return False

    widget._first_paint = FirstPaint(widget)
    widget.installEventFilter(widget._first_paint)


def child_bare() -> None:
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication([sys.argv[0]])
    window = QWidget()
    window.resize(1024, 700)
    _paint_reporter(window)
    window.show()
    app.exec()


def child_client(data_dir: str) -> None:
    """The login form's first paint: `desktop.startup` shows it before the services load."""
    import desktop.startup as startup_module
    from desktop.ui.early_login import EarlyLoginWindow

    class MeasuredLogin(EarlyLoginWindow):
        def __init__(self, *args: Any) -> None:
            super().__init__(*args)
            _paint_reporter(self)

    vars(startup_module)["EarlyLoginWindow"] = MeasuredLogin
    startup_module.main(_client_arguments(data_dir))


def child_client_ready(data_dir: str) -> None:
    """The counter window's first paint: services imported and built, login usable."""
    import desktop.app as app_module
    import desktop.startup as startup_module
    from desktop.ui.shell import Shell

    class MeasuredShell(Shell):
        def show_window(self) -> None:
            super().show_window()
            assert self.window is not None
            _paint_reporter(self.window)

        def show_wizard(self) -> None:  # the PC is enrolled: a wizard is a bench failure
            print("wizard", flush=True)
            os._exit(3)

    vars(app_module)["Shell"] = MeasuredShell  # what `main` builds, measured
    startup_module.main(_client_arguments(data_dir))


def _client_arguments(data_dir: str) -> list[str]:
    return ["--data-dir", data_dir, "--demo", "--matricule", "OPJ001"]


def time_to_paint(arguments: list[str], root: Path = ROOT, timeout: float = 60.0) -> float:
    """Seconds from spawning the process to its first paint line. `root`: the checkout
    whose bench child (and code) runs, e.g. the previous commit's for a baseline."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.client_latency", *arguments],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    elapsed = time.perf_counter() - started
    process.stdout.close()
    process.wait(timeout=timeout)
    if line != PAINTED:
        raise RuntimeError(f"child {arguments} said {line!r}")
    return elapsed


# -- the in-process flow ------------------------------------------------------------------


def wait_for(signal: Any, trigger: Callable[[], None], timeout_s: float = 10.0) -> list[Any]:
    """Connects first, then triggers, then runs the event loop until `signal` fires."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    received: list[Any] = []

    def on_signal(*args: Any) -> None:
        received.extend(args)
        loop.quit()

    signal.connect(on_signal)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    try:
        trigger()
        if not received:
            loop.exec()
    finally:
        signal.disconnect(on_signal)
    return received


def run_flows(server_url: str, code: str, references: list[str], work: Path) -> dict[str, Any]:
    from PySide6.QtCore import QCoreApplication, QEvent, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from desktop.services.ports import DeliveryState
    from desktop.ui.main_window import MainWindow, WindowOptions
    from desktop.ui.tasks import TaskRunner
    from tests.e2e.harness import PASSWORD, make_counter

    qInstallMessageHandler(lambda *_: None)  # the offscreen plugin's size-hint notices
    app = QApplication.instance() or QApplication([sys.argv[0]])
    service = make_counter(work / "client")
    service.enroll(server_url, None, code, "Poste de mesure")
    runner = TaskRunner(parent=app)
    window = MainWindow(service, runner, WindowOptions(poll_interval_ms=3_600_000))
    window.show()
    login = window.login_view
    login.matricule.setText("OPJ001")
    login.password.setText(PASSWORD)
    assert wait_for(login.logged_in, login.submit_button.click, 30), "login failed"
    counter = window.counter
    lookups, submits = [], []
    for reference in references:
        counter.field.setText(reference)
        started = time.perf_counter()
        wait_for(counter.lookup_finished, lambda: counter.submit_text(counter.field.value()))
        lookups.append(time.perf_counter() - started)
        assert counter.identity.is_showing(), f"no identity shown for {reference}"
        for box in counter.checks.checkboxes():
            box.setChecked(True)
        started = time.perf_counter()
        (outcome,) = wait_for(counter.submit_finished, counter.checks.validate_button.click)
        submits.append(time.perf_counter() - started)
        assert outcome is not None and outcome.state is DeliveryState.TRANSMITTED, outcome
        assert counter.banner.title == "Transmise", counter.banner.title
        counter.clear()
        app.processEvents()
    rss = resident_mb()
    window.close()
    runner.wait_for_done()
    service.close()
    # Widgets deleted while the QApplication still exists: left to the interpreter's
    # final garbage collection, PySide6 may abort the process (none_dealloc).
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return {"lookups": lookups, "submits": submits, "rss_mb": rss}


def resident_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- setup, report ------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def seed(work: Path, data_dir: Path, flows: int) -> tuple[list[str], list[str]]:
    from tests.e2e.harness import (
        STATION,
        VALID,
        officer_commands,
        places_commands,
        request_body,
        request_command,
        run_cli_batch,
    )

    bodies = [request_body() for _ in range(flows)]
    commands = places_commands(data_dir, work, bodies)
    skip = len(commands)
    commands += officer_commands(
        data_dir, "OPJ001", "opj", station=STATION, habilitation=VALID, codes=2
    )
    commands += [request_command(data_dir, work, body) for body in bodies]
    outputs = run_cli_batch(commands)[skip:]
    return outputs[2:4], outputs[4:]


def enrol_demo_pc(server_url: str, code: str, data_dir: Path) -> None:
    """A PC enrolled in demo mode (file vault): what the cold-start child opens."""
    from desktop.services.counter import Counter
    from desktop.services.credentials import Vault
    from desktop.services.settings import Settings

    settings = Settings(data_dir=data_dir, demo=True)
    vault = Vault.open(demo=True, demo_file=settings.paths().demo_vault_file)
    counter = Counter.from_settings(settings, vault)
    try:
        counter.enroll(server_url, None, code, "Poste de démarrage")
    finally:
        counter.close()


def report(name: str, value: str, target: str) -> None:
    print(f"  {name:<38} {value:>16}   target {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="cold starts of each kind")
    parser.add_argument("--flows", type=int, default=40, help="lookup + Valider rounds")
    parser.add_argument(
        "--baseline", type=Path, help="another checkout (the previous commit): its cold start"
    )
    args = parser.parse_args()
    from tests.e2e.harness import BackendServer, free_port

    os.environ["MPR_LOOKUP_RATE_PER_MINUTE"] = "100000"
    with tempfile.TemporaryDirectory(prefix="bench-client-") as tmp:
        work = Path(tmp)
        data_dir = work / "backend"
        codes, references = seed(work, data_dir, args.flows)
        server = BackendServer(data_dir, free_port(), work / "backend.log")
        server.start()
        try:
            enrol_demo_pc(server.url, codes[0], work / "demo-pc")
            bare, client, ready, baseline = [], [], [], []
            pc = str(work / "demo-pc")
            for _ in range(args.runs):  # interleaved: load changes hit all alike
                bare.append(time_to_paint(["--child", "bare"]))
                client.append(time_to_paint(["--child", "client", pc]))
                ready.append(time_to_paint(["--child", "client-ready", pc]))
                if args.baseline:
                    baseline.append(time_to_paint(["--child", "client", pc], args.baseline))
            flows = run_flows(server.url, codes[1], references, work)
        finally:
            server.stop()
    bare_ms, client_ms = statistics.median(bare) * 1000, statistics.median(client) * 1000
    ready_ms = statistics.median(ready) * 1000
    lookups = [s * 1000 for s in flows["lookups"]]
    submits = [s * 1000 for s in flows["submits"]]
    print(f"client latency ({args.runs} cold starts of each, {len(lookups)} flows)")
    print(f"  load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} (1, 5 min), "
          f"{os.cpu_count()} CPUs")  # fmt: skip
    report("bare PySide6 window, median", f"{bare_ms:.0f} ms", "(floor)")
    report("login window shown, median", f"{client_ms:.0f} ms",
           f"<= {TARGET_START_RATIO * bare_ms:.0f} ms (2x floor)")  # fmt: skip
    report("  ratio to the floor", f"{client_ms / bare_ms:.2f}x", f"<= {TARGET_START_RATIO}x")
    report("counter window ready (services), median", f"{ready_ms:.0f} ms", "")
    report("  ratio to the floor", f"{ready_ms / bare_ms:.2f}x", "")
    if baseline:
        baseline_ms = statistics.median(baseline) * 1000
        report("baseline: its login window, median", f"{baseline_ms:.0f} ms", str(args.baseline))
        report("  ratio to the floor", f"{baseline_ms / bare_ms:.2f}x", "")
    for name, values, target in (
        ("lookup -> identity shown", lookups, TARGET_LOOKUP_P95_MS),
        ("Valider -> Transmise", submits, TARGET_SUBMIT_P95_MS),
    ):
        report(f"{name} p50", f"{percentile(values, 0.5):.1f} ms", "")
        report(f"{name} p95", f"{percentile(values, 0.95):.1f} ms", f"<= {target:.0f} ms")
    report("client RSS after the flows", f"{flows['rss_mb']:.0f} MB", f"<= {TARGET_RSS_MB:.0f} MB")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        if sys.argv[2] == "bare":
            child_bare()
        elif sys.argv[2] == "client":
            child_client(sys.argv[3])
        else:
            child_client_ready(sys.argv[3])
    else:
        main()
