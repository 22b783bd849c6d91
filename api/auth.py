"""API keys, roles and the permission matrix.

A key is ``rgk_<id>_<secret>``: ``id`` (10 hex digits) names the record, the
secret is 256 random bits. Only the SHA-256 of the whole key is stored, in a
JSON file under the data directory (never in the graph, which analysts can
query). The file is re-read when it changes, so ``riskgraph keys create`` and
``revoke`` take effect without a restart.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from riskgraph.api.errors import KeyStoreError
from riskgraph.errors import NotFound, Unauthenticated


class Role(StrEnum):
    """Who holds a key."""

    investigator = "investigator"
    analyst = "analyst"
    service = "service"
    admin = "admin"


class Permission(StrEnum):
    """What a role may do."""

    enterprises_read = "enterprises:read"
    """Search enterprises; read profiles, officers, investors, violations."""
    persons_unmasked = "persons:unmasked"
    """See person names and ``pid`` in clear (others see 张** and no pid)."""
    scores_read = "scores:read"
    """Read one enterprise's risk class, probabilities and history."""
    scores_bulk = "scores:bulk"
    """Batch look-ups and the full export of scores."""
    graph_read = "graph:read"
    """Graph traversals and named queries."""
    cypher_run = "cypher:run"
    """Ad-hoc read-only Cypher."""
    keys_manage = "keys:manage"
    """Create, list and revoke API keys."""
    metrics_read = "metrics:read"
    """Prometheus metrics (request counts and latencies, no data)."""
    clusters_read = "clusters:read"
    """Risk clusters: the ranking, and one cluster's members and links."""
    alerts_read = "alerts:read"
    """Early-warning alerts and their case history."""
    alerts_manage = "alerts:manage"
    """Change an alert's case status (in progress, confirmed, dismissed, reopened)."""
    inspections_read = "inspections:read"
    """Read random inspection plans (双随机) and their selections."""
    inspections_plan = "inspections:plan"
    """Draw and store a new inspection plan."""
    stats_read = "stats:read"
    """Aggregate statistics: the risk map, class distributions by region and industry."""
    model_read = "model:read"
    """The current risk model: version, selected candidate, metrics."""
    explanations_read = "explanations:read"
    """Why the model put one enterprise in its class (features and neighbours)."""
    lists_read = "lists:read"
    """The managed whitelist (白名单) and sandbox (沙盒): entries and a firm's history."""
    lists_manage = "lists:manage"
    """Add firms to the managed lists, take them off, run the exit sweep."""
    repairs_read = "repairs:read"
    """Credit repair (信用修复) applications, their queue and monthly counts."""
    repairs_apply = "repairs:apply"
    """Record a credit repair application for a firm."""
    repairs_review = "repairs:review"
    """Give the review opinion on a credit repair application."""
    repairs_decide = "repairs:decide"
    """Approve or reject a reviewed credit repair application (not one's own)."""


P = Permission
_CASEWORK = frozenset(
    {
        P.clusters_read,
        P.alerts_read,
        P.alerts_manage,
        P.inspections_read,
        P.stats_read,
        P.model_read,
        P.explanations_read,
    }
)
"""What investigators and analysts both do with risk results beyond single scores."""
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.investigator: _CASEWORK
    | {P.enterprises_read, P.scores_read, P.graph_read, P.metrics_read},
    Role.analyst: _CASEWORK
    | {
        P.enterprises_read,
        P.persons_unmasked,
        P.scores_read,
        P.scores_bulk,
        P.graph_read,
        P.cypher_run,
        P.metrics_read,
        P.inspections_plan,
    },
    Role.service: frozenset({P.scores_read, P.scores_bulk, P.metrics_read}),
    Role.admin: frozenset(Permission),
}
"""The permission matrix (docs/api.md shows it as a table)."""

# Supervision (issue 18): both casework roles read the lists and the repair queue, enter
# and review applications; analysts (and admins) change the lists and decide repairs.
PERMISSIONS[Role.investigator] |= {P.lists_read, P.repairs_read, P.repairs_apply, P.repairs_review}
PERMISSIONS[Role.analyst] |= {
    P.lists_read,
    P.lists_manage,
    P.repairs_read,
    P.repairs_apply,
    P.repairs_review,
    P.repairs_decide,
}

KEY_PATTERN = re.compile(r"^rgk_([0-9a-f]{10})_([A-Za-z0-9_-]{43})$")
_DUMMY_HASH = hashlib.sha256(b"riskgraph-no-such-key").hexdigest()


@dataclass(frozen=True)
class Principal:
    """The caller of a request, as its key says."""

    key_id: str
    role: Role

    def can(self, permission: Permission) -> bool:
        return permission in PERMISSIONS[self.role]

    @property
    def actor(self) -> str:
        """Who acted, as the domain records it (``role:key_id``)."""
        return f"{self.role.value}:{self.key_id}"


@dataclass(frozen=True)
class KeyRecord:
    """One stored key: never the key itself, only its hash."""

    id: str
    role: Role
    sha256: str
    created_at: str
    label: str = ""
    revoked_at: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def public(self) -> dict[str, Any]:
        """The record without its hash."""
        data = asdict(self)
        data.pop("sha256")
        data["role"] = self.role.value
        return data


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class KeyStore:
    """The key file: hashed keys with their roles. Thread- and process-safe."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._records: dict[str, KeyRecord] = {}
        self._stamp: tuple[int, int] | None = None

    # -- reading ---------------------------------------------------------------

    def authenticate(self, presented: str) -> Principal:
        """The principal for a presented key; Unauthenticated if unknown or revoked."""
        match = KEY_PATTERN.match(presented)
        record = self._current().get(match.group(1)) if match else None
        # Compare against a dummy hash when there is no record, so that timing
        # does not tell whether a key id exists.
        expected = record.sha256 if record else _DUMMY_HASH
        valid = hmac.compare_digest(hash_key(presented), expected)
        if record is None or not valid or not record.active:
            raise Unauthenticated("invalid or revoked API key")
        return Principal(key_id=record.id, role=record.role)

    def list(self, *, include_revoked: bool = True) -> list[KeyRecord]:
        records = sorted(self._current().values(), key=lambda r: (r.created_at, r.id))
        return [r for r in records if include_revoked or r.active]

    def _current(self) -> dict[str, KeyRecord]:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise KeyStoreError(f"cannot read the key file {self.path}: {exc}") from exc
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if stamp != self._stamp:
                self._records = _load(self.path)
                self._stamp = stamp
            return self._records

    # -- writing ---------------------------------------------------------------

    def create(self, role: Role, label: str = "") -> tuple[str, KeyRecord]:
        """Make a new key; returns the key (shown once) and its record."""
        with self._locked() as records:
            key_id = secrets.token_hex(5)
            while key_id in records:
                key_id = secrets.token_hex(5)
            key = f"rgk_{key_id}_{secrets.token_urlsafe(32)}"
            record = KeyRecord(
                id=key_id, role=Role(role), sha256=hash_key(key), created_at=_now(), label=label
            )
            records[key_id] = record
        return key, record

    def revoke(self, key_id: str) -> KeyRecord:
        """Mark a key revoked (kept in the file for the audit trail)."""
        with self._locked() as records:
            record = records.get(key_id)
            if record is None:
                raise NotFound(f"no API key with id {key_id!r}")
            if record.active:
                record = replace(record, revoked_at=_now())
                records[key_id] = record
        return record

    @contextlib.contextmanager
    def _locked(self) -> Iterator[dict[str, KeyRecord]]:
        """Read-modify-write under an exclusive file lock, replaced atomically."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock_path = self.path.with_name(self.path.name + ".lock")
            with open(lock_path, "a", encoding="utf-8") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                records = _load(self.path) if self.path.exists() else {}
                yield records
                _save(self.path, records)
        except OSError as exc:
            raise KeyStoreError(f"cannot write the key file {self.path}: {exc}") from exc
        with self._lock:
            self._stamp = None


def _load(path: Path) -> dict[str, KeyRecord]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {
            item["id"]: KeyRecord(
                id=item["id"],
                role=Role(item["role"]),
                sha256=item["sha256"],
                created_at=item["created_at"],
                label=item.get("label", ""),
                revoked_at=item.get("revoked_at"),
            )
            for item in data["keys"]
        }
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise KeyStoreError(f"the key file {path} is unreadable: {exc}") from exc


def _save(path: Path, records: dict[str, KeyRecord]) -> None:
    payload = {"version": 1, "keys": [asdict(r) for r in records.values()]}
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(payload, handle, ensure_ascii=False, indent=1, default=str)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
