"""What the supervisor view needs from outside: the review service and a task runner."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Protocol

from desktop.services.anomalies import AnomalyRules
from desktop.services.journal_review import DayDownload, DayReview, IntegrityReport


class ReviewService(Protocol):
    station: str
    rules: AnomalyRules

    def today(self) -> date: ...

    def download_day(self, day: date) -> DayDownload: ...

    def summarise_day(self, download: DayDownload) -> DayReview: ...

    def verify_download(self, download: DayDownload) -> IntegrityReport: ...

    def reassess(self, review: DayReview) -> DayReview: ...

    def set_rules(self, rules: AnomalyRules) -> None: ...


# (work, on_success, on_error): the lead's task runner, which runs `work` off the GUI thread
# and calls back on it (desktop/ui/tasks.py, bound to a key by the caller).
TaskRunner = Callable[[Callable[[], Any], Callable[[Any], None], Callable[[Exception], None]], None]


def run_here(
    work: Callable[[], Any], done: Callable[[Any], None], failed: Callable[[Exception], None]
) -> None:
    """Runs `work` on the calling thread: tests, benchmarks and the screenshots."""
    try:
        result = work()
    except Exception as exc:
        failed(exc)
        return
    done(result)
