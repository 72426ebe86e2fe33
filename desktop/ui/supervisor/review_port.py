"""What the supervisor view needs from outside besides the UI's task runner (desktop/ui/tasks.py):
the review service."""

from __future__ import annotations

from datetime import date
from typing import Protocol

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
