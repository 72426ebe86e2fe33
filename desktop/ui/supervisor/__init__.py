"""The supervisor's view of the station's journal."""

from desktop.ui.supervisor.review_port import ReviewService
from desktop.ui.supervisor.view import SupervisorView

__all__ = ["ReviewService", "SupervisorView"]
