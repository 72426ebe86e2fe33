"""`POST /v1/validations/batch`: an outbox flush, answered item by item, in order.

Items are processed one after the other, each as the single endpoint would. The batch
stops at the first item that fails for a reason that may pass (in flight elsewhere,
storage busy, rate, any 5xx): a later item from the same device would otherwise be
accepted with a higher `device_seq`, and the earlier one, once retried, would be refused
forever as `replay`. Every item after that one is answered 425 `not-processed` and can be
sent again as it is. Definitive rejections (other 4xx) do not stop the batch: resending
them would not change the answer.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy.exc import SQLAlchemyError

from backend.caller import Caller
from backend.context import Backend
from backend.errors import AppError, NotProcessedError
from backend.services import validations
from backend.services.validations import Outcome
from backend.storage.engine import StorageError
from procuration.wire import ProblemCode

log = logging.getLogger(__name__)
# 408 timeout, 425 too early, 429 rate: try again later, the same bytes may then pass.
_RETRYABLE_STATUSES = frozenset({408, 425, 429})
_RETRYABLE_CODES = frozenset({ProblemCode.IN_FLIGHT})

ItemResult = Outcome | AppError


def is_retryable(error: AppError) -> bool:
    """True when resending the same item later may get another answer."""
    return (
        error.status >= 500 or error.status in _RETRYABLE_STATUSES or error.code in _RETRYABLE_CODES
    )


def _submit_one(backend: Backend, caller: Caller, token: str) -> ItemResult:
    try:
        return validations.submit(backend, caller, token, None)
    except AppError as exc:
        return exc
    except SQLAlchemyError:
        # Reported on this item so that the answers of the items before it still arrive.
        log.exception("storage failure inside a batch")
        return StorageError("the database failed; send this validation again")


def submit_all(backend: Backend, caller: Caller, tokens: Sequence[str]) -> list[ItemResult]:
    """One result per token, in order; see the module's docstring for when it stops."""
    results: list[ItemResult] = []
    stopped_at: int | None = None
    for index, token in enumerate(tokens):
        if stopped_at is not None:
            results.append(
                NotProcessedError(
                    f"not processed: item {stopped_at} must be accepted first",
                    blocked_by=stopped_at,
                )
            )
            continue
        result = _submit_one(backend, caller, token)
        if isinstance(result, AppError) and is_retryable(result):
            stopped_at = index
        results.append(result)
    if stopped_at is not None:
        log.info("batch stopped at item %d of %d", stopped_at, len(tokens))
    return results
