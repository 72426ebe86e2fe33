"""One error hierarchy for the backend; `api.problems` maps it to RFC 9457 responses.

Each failure a client can act on is a class here with its problem code
(`procuration.wire.ProblemCode`), HTTP status and title: `grep ReplayError` finds every
place a replay is refused.
"""

from __future__ import annotations

from typing import Any

from procuration.wire import ProblemCode


class AppError(Exception):
    """A failure a client can act on: `code` becomes `urn:mpr:error:<code>`."""

    code: ProblemCode = ProblemCode.INTERNAL
    status = 500
    title = "Internal error"

    def __init__(self, detail: str = "", **extensions: Any) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.extensions = extensions


class BadRequestError(AppError):
    code, status, title = ProblemCode.VALIDATION, 422, "Invalid request"


class UnauthenticatedError(AppError):
    code, status, title = ProblemCode.UNAUTHENTICATED, 401, "Authentication required"


class ForbiddenError(AppError):
    code, status, title = ProblemCode.FORBIDDEN, 403, "Not allowed"


class NotFoundError(AppError):
    code, status, title = ProblemCode.NOT_FOUND, 404, "Not found"


class ConflictError(AppError):
    code, status, title = ProblemCode.CONFLICT, 409, "Conflict"


class PayloadTooLargeError(AppError):
    code, status, title = ProblemCode.PAYLOAD_TOO_LARGE, 413, "Request body too large"


class RateLimitedError(AppError):
    code, status, title = ProblemCode.RATE_LIMITED, 429, "Too many requests"

    def __init__(self, retry_after: int) -> None:
        super().__init__("lookup rate limit reached", retry_after=retry_after)
        self.retry_after = retry_after


class UnknownReferenceError(AppError):
    code, status, title = ProblemCode.UNKNOWN_REFERENCE, 404, "Unknown reference"


class ExpiredError(AppError):
    code, status, title = ProblemCode.EXPIRED, 410, "Request expired"


class AlreadyValidatedError(AppError):
    """Extension members: `procuration.wire.AlreadyValidated` (station, validated_at,
    officer_name)."""

    code, status, title = ProblemCode.ALREADY_VALIDATED, 409, "Already validated"


class InvalidStateError(AppError):
    code, status, title = (
        ProblemCode.INVALID_STATE,
        409,
        "Not possible in the request's current state",
    )


class NotHabilitatedError(AppError):
    code, status, title = ProblemCode.NOT_HABILITATED, 403, "Officer not habilitated"


class IdempotencyConflictError(AppError):
    code, status, title = ProblemCode.IDEMPOTENCY_CONFLICT, 422, "Idempotency key reused"


class InFlightError(AppError):
    code, status, title = ProblemCode.IN_FLIGHT, 409, "Same validation still being processed"


class NotProcessedError(AppError):
    """A batch item left alone because an earlier item failed for a reason that may pass."""

    code, status, title = ProblemCode.NOT_PROCESSED, 425, "Not processed"


class RejectedError(AppError):
    """A signed validation the server refuses; each subclass names the rule it breaks."""

    code, status, title = ProblemCode.VALIDATION, 422, "Validation rejected"


class InvalidValidationError(RejectedError):
    """The payload breaks the schema, names an unknown station, or its decision, checks
    and refusal reason disagree."""


class WrongContextError(RejectedError):
    code, status = ProblemCode.WRONG_CONTEXT, 422


class BadSignatureError(RejectedError):
    code, status = ProblemCode.BAD_SIGNATURE, 400


class UnknownKeyError(RejectedError):
    code, status = ProblemCode.UNKNOWN_KEY, 403


class RevokedKeyError(RejectedError):
    code, status = ProblemCode.REVOKED_KEY, 403


class WrongOfficerKeyError(RejectedError):
    code, status = ProblemCode.WRONG_OFFICER_KEY, 403


class NotHabilitatedWhenSignedError(RejectedError):
    """The officer was not habilitated at the validation's `created_at`."""

    code, status = ProblemCode.NOT_HABILITATED, 403


class WrongStationError(RejectedError):
    code, status = ProblemCode.WRONG_STATION, 403


class ClockSkewError(RejectedError):
    code, status = ProblemCode.CLOCK_SKEW, 422


class TooOldError(RejectedError):
    code, status = ProblemCode.TOO_OLD, 422


class BackdatedError(RejectedError):
    """`created_at` earlier than the request's creation (docs/protocol.md v1.1 "Time")."""

    code, status = ProblemCode.BACKDATED, 422


class ReplayError(RejectedError):
    code, status = ProblemCode.REPLAY, 409


class IdentityMismatchError(RejectedError):
    code, status = ProblemCode.IDENTITY_MISMATCH, 422


class ScopeError(AppError):
    """A proxy's scope the law does not allow (docs/protocol.md v1.1); `field` says what to
    correct."""

    code, status, title = ProblemCode.SCOPE, 422, "Scope not allowed"
