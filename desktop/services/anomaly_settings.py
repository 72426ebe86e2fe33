"""The anomaly rules' thresholds the supervisor chose, kept in the data directory as JSON.

A missing or unreadable file means the defaults: a supervisor must always get a review, and
the settings dialog rewrites the file whole on the next save.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, fields
from datetime import time
from pathlib import Path
from typing import Any

from desktop.services.anomalies import AnomalyRules
from desktop.services.paths import write_private_file

logger = logging.getLogger(__name__)
FILE_NAME = "anomaly-rules.json"
_TIMES = ("opening", "closing")


def rules_to_json(rules: AnomalyRules) -> dict[str, Any]:
    data = asdict(rules)
    for name in _TIMES:
        data[name] = getattr(rules, name).strftime("%H:%M")
    return data


def rules_from_json(data: Any) -> AnomalyRules:
    """The rules in `data`; unknown keys are ignored, wrong values raise ValueError."""
    if not isinstance(data, dict):
        raise ValueError("not an object")
    values: dict[str, Any] = {}
    for item in fields(AnomalyRules):
        if item.name not in data:
            continue
        raw = data[item.name]
        if item.name in _TIMES:
            values[item.name] = time.fromisoformat(str(raw))
        elif type(raw) is int and raw >= 1:
            values[item.name] = raw
        else:
            raise ValueError(f"{item.name} must be a positive integer")
    return AnomalyRules(**values)


class RulesStore:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / FILE_NAME

    def load(self) -> AnomalyRules:
        try:
            return rules_from_json(json.loads(self.path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return AnomalyRules()
        except (OSError, ValueError) as exc:
            logger.warning("anomaly thresholds unreadable, defaults used: %s", exc)
            return AnomalyRules()

    def save(self, rules: AnomalyRules) -> None:
        """Raises StorageError when the file cannot be written."""
        text = json.dumps(rules_to_json(rules), indent=1, sort_keys=True)
        write_private_file(self.path, text.encode("utf-8"))
