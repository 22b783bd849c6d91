"""Masking of personal data by role.

Person names are shown as the first character followed by one ``*`` per
remaining character (张三丰 → 张**); ``pid`` (derived from the resident ID
number) is withheld, or replaced by a pseudonym where a graph answer needs an
id to link nodes. Roles with ``persons:unmasked`` see both in clear.

So that three masked 王* can be told apart, a masked person's display label carries
the number of firms the person is linked to and a short tag: ``王*·3家企业·#7f2a``
(:func:`masked_label`). The tag is a keyed hash (HMAC-SHA256) of the person's internal
key under a key derived from the server's pseudonym secret: stable across requests and
restarts, meaningless without the secret, and never computed from an ID number.

A pseudonym is the pid sealed with deterministic authenticated encryption (AES-SIV)
under a server secret: the caller may hand it back as a node reference (expand a person,
find paths through one) and the server opens it with :func:`resolve_pseudonym`;
the caller never learns the pid.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import logging
import os
import re
import secrets
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from riskgraph.errors import ConfigError


def mask_name(name: str | None) -> str | None:
    """张三丰 → 张**; one-character names become ``*``."""
    if not name:
        return name
    name = name.strip()
    if len(name) <= 1:
        return "*"
    return name[0] + "*" * (len(name) - 1)


TAG_CHARS = 4


def person_tag(pid: str) -> str:
    """A short stable tag of a person (hex of a keyed hash of the pid)."""
    return _get_codec().tag(pid)


def masked_label(name: str | None, pid: str | None, firms: int | None = None) -> str | None:
    """The masked name with the person's firm count and tag: ``王*·3家企业·#7f2a``
    (``王*·#7f2a`` where the count is not known; the bare mask without a pid)."""
    masked = mask_name(name)
    if masked is None or not pid:
        return masked
    count = "" if firms is None else f"·{firms}家企业"
    return f"{masked}{count}·#{person_tag(pid)}"


def person_view(
    pid: str | None, name: str | None, *, unmasked: bool, firms: int | None = None
) -> dict[str, Any]:
    """A person as a role may see it; ``ref`` names the person in graph and path
    requests: the pid where the role sees it, else its pseudonym; ``label`` is what to
    show (the masked name with firm count and tag where masked)."""
    if unmasked:
        return {
            "pid": pid,
            "name": name,
            "masked": False,
            "ref": pid,
            "label": name,
            "firms": firms,
        }
    return {
        "pid": None,
        "name": mask_name(name),
        "masked": True,
        "ref": pseudonym(pid) if pid else None,
        "label": masked_label(name, pid, firms),
        "firms": firms,
    }


# Pseudonyms: the pid under AES-SIV (RFC 5297, from ``cryptography``), deterministic
# authenticated encryption under a server secret, so the server can turn a pseudonym it
# issued back into the person while the caller learns nothing about the pid. Without a
# nonce AES-SIV is deterministic: equal pids give equal pseudonyms (graph answers link
# up, across restarts and workers that share the secret); its 128-bit synthetic IV is
# also the tag, so any altered or forged pseudonym fails to open (forgery chance
# 2^-128). The AES-SIV key is derived from the configured secret with HKDF-SHA256, so
# any secret of at least 16 bytes (the key file, the environment variable) serves.
PSEUDONYM_PREFIX = "person-"
PSEUDONYM_KEY_ENV = "RISKGRAPH_PSEUDONYM_KEY"
PSEUDONYM_KEY_FILE = "pseudonym.key"
_SIV_KEY_BYTES = 64  # AES-256-SIV: two 256-bit keys
_SIV_KEY_INFO = b"riskgraph/pseudonym/aes-siv/v1"
_TAG_KEY_INFO = b"riskgraph/person-tag/hmac-sha256/v1"
_TAG_BYTES = 16
_MAX_TOKEN = 400
_HEX_PID = re.compile(r"[0-9a-f]{32}")
_TOKEN = re.compile(r"person-[A-Za-z0-9_-]{22,400}")
_PERSON_FIELDS = frozenset({"pid", "name"})
_key_lock = threading.Lock()
_codec: _PseudonymCodec | None = None

log = logging.getLogger(__name__)


class _PseudonymCodec:
    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ConfigError(f"{PSEUDONYM_KEY_ENV} needs at least 16 bytes of key material")
        key = HKDF(
            algorithm=hashes.SHA256(), length=_SIV_KEY_BYTES, salt=None, info=_SIV_KEY_INFO
        ).derive(secret)
        self._siv = AESSIV(key)
        self._tag_key = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=_TAG_KEY_INFO
        ).derive(secret)

    def tag(self, pid: str) -> str:
        digest = hmac.new(self._tag_key, pid.encode("utf-8"), hashlib.sha256).hexdigest()
        return digest[:TAG_CHARS]

    def encode(self, pid: str) -> str:
        # Real pids are 32 hex digits (ingest.privacy.person_key): packed as 16 bytes.
        if _HEX_PID.fullmatch(pid):
            body = b"\x01" + bytes.fromhex(pid)
        else:
            body = b"\x00" + pid.encode("utf-8")
        sealed = self._siv.encrypt(body, None)  # synthetic IV (the tag) || ciphertext
        text = base64.urlsafe_b64encode(sealed).rstrip(b"=").decode("ascii")
        return PSEUDONYM_PREFIX + text

    def decode(self, token: str) -> str | None:
        if not _TOKEN.fullmatch(token):
            return None
        text = token[len(PSEUDONYM_PREFIX) :]
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        except (ValueError, binascii.Error):
            return None
        if len(raw) <= _TAG_BYTES:
            return None
        try:
            body = self._siv.decrypt(raw, None)
        except (InvalidTag, ValueError):
            return None
        try:
            if body[0] == 1 and len(body) == 17:
                return body[1:].hex()
            if body[0] == 0:
                return body[1:].decode("utf-8")
        except UnicodeDecodeError:  # pragma: no cover - the tag vouches for the body
            return None
        return None


def set_pseudonym_key(secret: bytes) -> None:
    """Use ``secret`` for pseudonyms from now on (tests; embedding the API)."""
    global _codec
    with _key_lock:
        _codec = _PseudonymCodec(secret)


def _load_secret() -> bytes:
    """``RISKGRAPH_PSEUDONYM_KEY``, else ``<data_dir>/pseudonym.key`` (created once, 0600,
    atomically so that concurrent workers agree), else, where the data directory cannot
    be written, a per-process key (pseudonyms then end with the process)."""
    configured = os.environ.get(PSEUDONYM_KEY_ENV)
    if configured:
        return configured.encode("utf-8")
    from riskgraph.settings import get_settings

    path = get_settings().data_dir / PSEUDONYM_KEY_FILE
    try:
        return _read_or_create(path)
    except OSError as exc:
        log.warning(
            "cannot keep the pseudonym key in %s (%s): pseudonyms last only as long as "
            "this process; set %s",
            path,
            exc.__class__.__name__,
            PSEUDONYM_KEY_ENV,
        )
        return secrets.token_bytes(32)


def _read_or_create(path: Path) -> bytes:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_hex(32).encode("ascii"))
                handle.flush()
                os.fsync(handle.fileno())
            with contextlib.suppress(FileExistsError):  # another worker was first
                os.link(draft, path)
        finally:
            draft.unlink(missing_ok=True)
    secret = path.read_bytes().strip()
    if len(secret) < 32:
        raise ConfigError(f"the pseudonym key in {path} is too short (or empty)")
    return secret


def _get_codec() -> _PseudonymCodec:
    global _codec
    if _codec is None:
        with _key_lock:
            if _codec is None:
                _codec = _PseudonymCodec(_load_secret())
    return _codec


def pseudonym(pid: str) -> str:
    """An opaque stand-in for a ``pid`` in answers to roles that may not see it."""
    return _get_codec().encode(pid)


def is_pseudonym(value: object) -> TypeGuard[str]:
    """Whether ``value`` has the form of a pseudonym (it may still be forged)."""
    return isinstance(value, str) and value.startswith(PSEUDONYM_PREFIX)


def resolve_pseudonym(token: str) -> str | None:
    """The pid behind a pseudonym this server issued; None for anything else
    (malformed, altered, forged or issued under another key)."""
    if len(token) > _MAX_TOKEN + len(PSEUDONYM_PREFIX):
        return None
    return _get_codec().decode(token)


def person_pids(value: Any) -> set[str]:
    """The pids of the persons in a named query's answer."""
    found: set[str] = set()
    _collect_pids(value, found)
    return found


def mask_persons(
    value: Any, pids: Iterable[str] = (), firms: Mapping[str, int] | None = None
) -> Any:
    """Mask every person in a named query's answer: names as 张**, display labels as
    :func:`masked_label` (with the counts in ``firms`` by pid), ``pid`` (wherever it
    appears: node ids, edge ends, properties) as a pseudonym, other person
    properties dropped. ``pids`` are replaced too wherever they appear (persons the
    caller named by pseudonym)."""
    found: set[str] = set(pids)
    _collect_pids(value, found)
    mapping = {pid: pseudonym(pid) for pid in found}
    counts = firms or {}
    labels = {alias: _Label(pid, counts.get(pid)) for pid, alias in mapping.items()}
    return _rewrite(value, mapping, labels)


@dataclass(frozen=True)
class _Label:
    pid: str
    firms: int | None


def _is_person_node(value: dict[str, Any]) -> bool:
    labels = value.get("labels")
    return (
        isinstance(labels, list)
        and "Person" in labels
        and isinstance(value.get("properties"), dict)
    )


def _collect_pids(value: Any, pids: set[str]) -> None:
    if isinstance(value, dict):
        if value.get("kind") == "Person" and isinstance(value.get("id"), str):
            pids.add(value["id"])
        if _is_person_node(value) and isinstance(value["properties"].get("pid"), str):
            pids.add(value["properties"]["pid"])
        for item in value.values():
            _collect_pids(item, pids)
    elif isinstance(value, list):
        for item in value:
            _collect_pids(item, pids)


def _rewrite(value: Any, mapping: dict[str, str], labels: dict[str, _Label]) -> Any:
    if isinstance(value, str):
        return mapping.get(value, value)
    if isinstance(value, list):
        return [_rewrite(item, mapping, labels) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {
        mapping.get(str(key), str(key)): _rewrite(item, mapping, labels)
        for key, item in value.items()
    }
    if out.get("kind") == "Person":
        who = labels.get(str(out.get("id")))
        if isinstance(out.get("name"), str):
            out["name"] = mask_name(out["name"])
        if isinstance(out.get("label"), str):
            out["label"] = (
                masked_label(out["label"], who.pid, who.firms) if who else mask_name(out["label"])
            )
    if _is_person_node(out):
        props = {k: v for k, v in out["properties"].items() if k in _PERSON_FIELDS}
        props["name"] = mask_name(props.get("name"))
        out["properties"] = props
    return out


_PERSON_EVIDENCE = frozenset({"legal_rep", "officer", "person"})


def mask_evidence(items: list[str]) -> list[str]:
    """Alert evidence (``kind:key`` strings) with person ids as pseudonyms:
    ``legal_rep:<pid>@2024-01-05`` → ``legal_rep:person-…@2024-01-05``."""
    out = []
    for item in items:
        kind, sep, rest = item.partition(":")
        if sep and kind in _PERSON_EVIDENCE and rest:
            pid, at, suffix = rest.partition("@")
            item = f"{kind}:{pseudonym(pid)}{at}{suffix}"
        out.append(item)
    return out


_PATH_PERSON = re.compile(r"\(person ([^()\s]+)\)")


def mask_explanation(explanation: dict[str, Any]) -> dict[str, Any]:
    """A model explanation with every person id as a pseudonym and every person's
    name masked: person neighbours (key, ``name``), persons on the readable paths, hub
    persons (``via``, ``via_name``) of neighbour aggregates, and persons named behind
    a feature."""
    out = dict(explanation)
    neighbours = []
    for item in explanation.get("neighbours") or []:
        item = _masked_node(item)
        if isinstance(item.get("path"), str):
            item["path"] = _PATH_PERSON.sub(lambda m: f"(person {pseudonym(m[1])})", item["path"])
        if isinstance(item.get("via"), str) and "~person" in str(item.get("relation")):
            item["via"] = pseudonym(item["via"])
            item["via_name"] = mask_name(item.get("via_name"))
        neighbours.append(item)
    out["neighbours"] = neighbours
    out["features"] = [
        {**item, "neighbours": [_masked_node(n) for n in item.get("neighbours") or []]}
        if item.get("neighbours")
        else item
        for item in explanation.get("features") or []
    ]
    return out


def _masked_node(item: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``item``; a person's key as its pseudonym and its name masked."""
    item = dict(item)
    if item.get("type") == "person" and isinstance(item.get("key"), str):
        item["key"] = pseudonym(item["key"])
        item["name"] = mask_name(item.get("name"))
    return item
