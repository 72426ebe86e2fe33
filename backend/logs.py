"""The server's log format, the same in the parent and in every worker process."""

from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(process)d %(name)s %(message)s"


def configure(level: int) -> None:
    logging.basicConfig(level=level, format=FORMAT)
