"""One error hierarchy for the backend; `api.problems` maps it to RFC 9457 responses."""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    """A failure a client can act on: `code` becomes `urn:mpr:error:<code>`."""

    code = "internal"
    status = 500
    title = "Internal error"

    def __init__(self, detail: str = "", **extensions: Any) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.extensions = extensions


def _error(code: str, status: int, title: str) -> type[AppError]:
    return type(
        "".join(part.title() for part in code.split("-")) + "Error",
        (AppError,),
        {"code": code, "status": status, "title": title},
    )


class BadRequestError(AppError):
    code, status, title = "validation", 422, "Invalid request"


class UnauthenticatedError(AppError):
    code, status, title = "unauthenticated", 401, "Authentication required"


class ForbiddenError(AppError):
    code, status, title = "forbidden", 403, "Not allowed"


class NotFoundError(AppError):
    code, status, title = "not-found", 404, "Not found"


class ConflictError(AppError):
    code, status, title = "conflict", 409, "Conflict"


class RateLimitedError(AppError):
    code, status, title = "rate-limited", 429, "Too many requests"

    def __init__(self, retry_after: int) -> None:
        super().__init__("lookup rate limit reached", retry_after=retry_after)
        self.retry_after = retry_after


class RejectedError(AppError):
    """A signed validation the server refuses; `code` names the rule it breaks."""

    def __init__(self, code: str, status: int, detail: str, **extensions: Any) -> None:
        super().__init__(detail, **extensions)
        self.code = code
        self.status = status
        self.title = "Validation rejected"


UnknownReferenceError = _error("unknown-reference", 404, "Unknown reference")
ExpiredError = _error("expired", 410, "Request expired")
AlreadyValidatedError = _error("already-validated", 409, "Already validated")
IdempotencyConflictError = _error("idempotency-conflict", 422, "Idempotency key reused")
InFlightError = _error("in-flight", 409, "Same validation still being processed")
PayloadTooLargeError = _error("payload-too-large", 413, "Request body too large")
NotHabilitatedError = _error("not-habilitated", 403, "Officer not habilitated")
# A batch item left alone because an earlier item failed for a reason that may pass.
NotProcessedError = _error("not-processed", 425, "Not processed")
# A proxy's scope the law does not allow (PROTOCOL.md v1.1); `field` says what to correct.
ScopeError = _error("scope", 422, "Scope not allowed")
InvalidStateError = _error("invalid-state", 409, "Not possible in the request's current state")
