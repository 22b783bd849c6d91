"""Check characters of USCCs (GB 11714 / GB 32100) and ID numbers, computed vectorised."""

from __future__ import annotations

from typing import Final

import numpy as np

from riskgraph.ingest.identifiers import (
    USCC_ALPHABET,
    is_valid_id_number,
    is_valid_uscc,
    make_id_number,
    make_uscc,
)

from .arrays import Bytes, Ints
from .params import REFERENCE_DATE


def _char_values(alphabet: str) -> Ints:
    values = np.zeros(128, dtype=np.int64)
    for i, ch in enumerate(alphabet):
        values[ord(ch)] = i
    return values


_USCC_VALUE: Final = _char_values(USCC_ALPHABET)
_ORG_VALUE: Final = _char_values("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_USCC_WEIGHTS: Final = np.array([pow(3, i, 31) for i in range(17)], dtype=np.int64)
_ORG_WEIGHTS: Final = np.array([3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ID_WEIGHTS: Final = np.array([pow(2, 18 - p, 11) for p in range(1, 18)], dtype=np.int64)
USCC_BYTES: Final = np.frombuffer(USCC_ALPHABET.encode("ascii"), dtype=np.uint8)
_ORG_CHECK: Final = np.frombuffer(b"0123456789X0", dtype=np.uint8)  # index 11 - s % 11 (1..11)
_ID_CHECK: Final = np.frombuffer(b"0123456789X", dtype=np.uint8)


def complete_uscc(prefix: Bytes) -> Bytes:
    """Append the GB 11714 and GB 32100 check characters to (n, 16) USCC prefixes."""
    org_sum = (_ORG_VALUE[prefix[:, 8:16]] * _ORG_WEIGHTS).sum(axis=1)
    org_check = _ORG_CHECK[(11 - org_sum % 11) % 12]
    first17 = np.concatenate([prefix, org_check[:, None]], axis=1)
    total = (_USCC_VALUE[first17] * _USCC_WEIGHTS).sum(axis=1)
    last = USCC_BYTES[(31 - total % 31) % 31]
    return np.concatenate([first17, last[:, None]], axis=1)


def complete_id(prefix: Bytes) -> Bytes:
    """Append the ISO 7064 MOD 11-2 check character to (n, 17) ID-number prefixes."""
    total = ((prefix.astype(np.int64) - 48) * _ID_WEIGHTS).sum(axis=1)
    check = _ID_CHECK[(12 - total % 11) % 11]
    return np.concatenate([prefix, check[:, None]], axis=1)


def cross_check(uscc: Bytes, ids: Bytes) -> None:
    """Vectorised check characters must agree with ``riskgraph.ingest.identifiers``."""
    for row in uscc[:5]:
        text = row.tobytes().decode("ascii")
        if make_uscc(text[:16]) != text or not is_valid_uscc(text):
            raise RuntimeError(f"vectorised USCC check disagrees with identifiers: {text}")
    for row in ids[:5]:
        text = row.tobytes().decode("ascii")
        today = REFERENCE_DATE
        if make_id_number(text[:17], today=today) != text or not is_valid_id_number(
            text, today=today
        ):
            raise RuntimeError(f"vectorised ID check disagrees with identifiers: {text}")
