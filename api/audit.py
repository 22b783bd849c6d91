"""The audit log: one JSON object per line, appended, never rewritten.

Every read of risk results, every query and every status change (keys
created or revoked, later alert status changes) is recorded with the time,
the key id (never the key), the role, the endpoint, the parameters and the
number of rows returned.
"""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

_MAX_PARAM_CHARS = 4000
_LINE_BREAKS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


class AuditLog:
    """Appends records to ``path`` with ``O_APPEND`` (one ``write`` per record)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._fd: int | None = None

    def record(
        self,
        *,
        action: str,
        key_id: str | None,
        role: str | None,
        endpoint: str,
        params: dict[str, Any] | None = None,
        rows: int | None = None,
        outcome: str = "ok",
        request_id: str | None = None,
        **extra: Any,
    ) -> None:
        entry: dict[str, Any] = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "action": action,
            "key_id": key_id,
            "role": role,
            "endpoint": endpoint,
            "params": _bounded(params or {}),
            "rows": rows,
            "outcome": outcome,
            "request_id": request_id,
            **extra,
        }
        line = json.dumps(entry, ensure_ascii=False, sort_keys=True, default=str)
        # Readable Chinese, but nothing a line reader could split a record on.
        line = line.translate(_LINE_BREAKS) + "\n"
        data = line.encode("utf-8")
        with self._lock:
            if self._fd is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            os.write(self._fd, data)

    def close(self) -> None:
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None


def _bounded(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters as recorded: long values (a 10,000-key batch) are summarised."""
    out: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, list) and len(value) > 20:
            out[name] = {"count": len(value), "first": value[:20]}
            continue
        text = json.dumps(value, ensure_ascii=False, default=str)
        out[name] = value if len(text) <= _MAX_PARAM_CHARS else text[:_MAX_PARAM_CHARS] + "…"
    return out
