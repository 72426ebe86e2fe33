"""The task runner: work off the GUI thread, results on it, stale results dropped."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from desktop.services.errors import NetworkError
from desktop.ui.tasks import TaskRunner


def test_success_is_delivered_on_the_gui_thread(qtbot: QtBot, runner: TaskRunner) -> None:
    seen: dict[str, object] = {}

    def call() -> int:
        seen["worker"] = threading.get_ident()
        return 42

    def done(value: int) -> None:
        seen["value"] = value
        seen["gui"] = threading.get_ident()

    with qtbot.waitSignal(runner.task_finished):
        runner.run("answer", call, done, lambda error: None)
    assert seen["value"] == 42
    assert seen["gui"] == threading.get_ident()
    assert seen["worker"] != seen["gui"]


def test_errors_are_delivered_to_on_error(qtbot: QtBot, runner: TaskRunner) -> None:
    errors: list[BaseException] = []

    def fail() -> None:
        raise NetworkError("down")

    with qtbot.waitSignal(runner.task_finished):
        runner.run("fail", fail, lambda _v: None, errors.append)
    assert isinstance(errors[0], NetworkError)
    assert not runner.is_running("fail")


def test_a_newer_task_with_the_same_key_makes_the_older_stale(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    release = threading.Event()
    results: list[str] = []

    def slow() -> str:
        release.wait(5)
        return "old"

    runner.run("lookup", slow, results.append, lambda error: None)
    with qtbot.waitSignal(runner.task_finished):
        runner.run("lookup", lambda: "new", results.append, lambda error: None)
    release.set()
    runner.wait_for_done()
    qtbot.wait(50)
    assert results == ["new"]


def test_cancel_drops_the_result(qtbot: QtBot, runner: TaskRunner) -> None:
    release = threading.Event()
    results: list[str] = []
    runner.run("lookup", lambda: release.wait(5) and "late", results.append, lambda e: None)
    assert runner.is_running("lookup")
    runner.cancel("lookup")
    assert not runner.is_running("lookup")
    release.set()
    runner.wait_for_done()
    qtbot.wait(50)
    assert results == []
