"""Logging to a rotating file in the log directory, through a filter that keeps personal
data out.

Code is asked to log references and ids only; the filter is the safety net for what slips
through (an exception message quoting a server answer, a name in a third-party log line):
it redacts signed tokens, bearer tokens, dates (birth dates look like any date), e-mail
addresses and, for a while, every identity string a lookup displayed (`forget_later`).
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import threading
from collections import OrderedDict

from desktop.services.paths import Paths, make_private_dir

_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"
_MAX_BYTES = 2 * 1024 * 1024
_BACKUPS = 5
_REMEMBERED = 2000  # identity strings kept for redaction: a busy day's worth of lookups

_PATTERNS = [
    # JWS compact (MPR1: payloads, validations, checkpoints) and any JWT-like token.
    re.compile(r"[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
    re.compile(r"(?i)(bearer|token|password|nonce|authorization)(\W{1,3})\S+"),
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b(?!T)"),  # dates alone; RFC 3339 times stay readable
    re.compile(r"\b\d{2}/\d{2}/\d{4}\b"),
    re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"),
]
REDACTED = "[redacted]"


class PersonalDataFilter(logging.Filter):
    """Rewrites each record's message (and traceback) with personal data redacted."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._words: OrderedDict[str, None] = OrderedDict()

    def forget_later(self, *values: str | None) -> None:
        """Remembers identity strings (names, places) so any later mention is redacted."""
        with self._lock:
            for value in values:
                if value and len(value.strip()) >= 2:
                    self._words[value.strip()] = None
                    self._words.move_to_end(value.strip())
            while len(self._words) > _REMEMBERED:
                self._words.popitem(last=False)

    def redact(self, text: str) -> str:
        for pattern in _PATTERNS:
            text = pattern.sub(_replacement, text)
        with self._lock:
            words = list(self._words)
        for word in words:
            if word in text:
                text = text.replace(word, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def _replacement(match: re.Match[str]) -> str:
    # Keep the keyword of "token=…" so the line still says what was there.
    if match.re.groups >= 2:
        return f"{match.group(1)}{match.group(2)}{REDACTED}"
    return REDACTED


_FILTER = PersonalDataFilter()


def personal_data_filter() -> PersonalDataFilter:
    """The process-wide filter, so that services can register identity strings with it."""
    return _FILTER


def setup_logging(paths: Paths, level: str = "INFO") -> logging.Handler:
    """Installs the rotating file handler on the root logger; returns it (for tests)."""
    make_private_dir(paths.log_dir)
    handler = logging.handlers.RotatingFileHandler(
        paths.log_file, maxBytes=_MAX_BYTES, backupCount=_BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(_FORMAT))
    # On the handler, not on loggers: a filter on a logger does not see records propagated
    # from its children, and every library's records must pass through it.
    handler.addFilter(_FILTER)
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level.upper())
    paths.log_file.chmod(0o600)
    return handler
