"""The core's error hierarchy: every failure the core can report is one of these."""

from __future__ import annotations


class ProcurationError(Exception):
    """Base of every error raised by the shared core."""


class InvalidReferenceError(ProcurationError):
    """Typed or scanned text that cannot be a request reference.

    `reason` is a stable code the UI maps to a sentence: "empty", "too-short",
    "too-long", "bad-character".
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class SignatureError(ProcurationError):
    """A JWS that cannot be trusted: malformed, wrong algorithm, unknown key, bad signature.

    `reason` is a stable code: "malformed", "algorithm", "unknown-key", "bad-signature",
    "wrong-type", "wrong-context", "payload".
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class PayloadError(ProcurationError):
    """A scanned payload that is neither a reference nor a valid signed request.

    `reason`: "empty", "too-large", "not-text", "unrecognized", "expired", "not-yet-valid",
    or one of SignatureError's reasons.
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class JournalError(ProcurationError):
    """A journal that fails verification; `seq` names the first bad entry when known."""

    def __init__(self, reason: str, seq: int | None = None, detail: str = "") -> None:
        where = f" at entry {seq}" if seq is not None else ""
        super().__init__(f"{reason}{where}: {detail}" if detail else f"{reason}{where}")
        self.reason = reason
        self.seq = seq
        self.detail = detail
