"""The supervisor's view of the station's journal."""

from desktop.ui.supervisor.view import ReviewService, SupervisorView

__all__ = ["ReviewService", "SupervisorView"]
