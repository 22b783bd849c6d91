"""Vectorised helpers: random streams, Arrow string columns, ranks and scores."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Bytes = npt.NDArray[np.uint8]
Progress = Callable[[str, int], None]

_DIGITS_CN: Final = "〇一二三四五六七八九十"


def stage_rng(seed: int, stage: int) -> np.random.Generator:
    """The random stream of one stage, derived from ``(seed, stage)``."""
    return np.random.default_rng(np.random.SeedSequence([seed, stage]))


def strs(values: Sequence[str]) -> Any:
    """A string array of ``values``."""
    return pa.array(list(values), type=pa.string())


def take(values: Sequence[str], idx: npt.NDArray[Any]) -> Any:
    """The strings ``values[idx]`` as a string array."""
    return strs(values).take(pa.array(np.asarray(idx, dtype=np.int64)))


def cat(*parts: Any) -> Any:
    """Element-wise concatenation of string arrays and scalars."""
    return pc.binary_join_element_wise(*parts, "")


def int_str(values: npt.NDArray[Any], width: int = 0) -> Any:
    """Integers as decimal text, left-padded with zeros to ``width``."""
    out = pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())
    if width:
        out = pc.utf8_lpad(out, width=width, padding="0")
    return out


def fixed(values: Ints, decimals: int, missing: Bools | None = None) -> Any:
    """Format integers counted in 10**-decimals units as fixed-point decimal text."""
    scale = 10**decimals
    v = np.maximum(values, 0)
    out = cat(int_str(v // scale), ".", int_str(v % scale, decimals))
    if missing is not None and missing.any():
        out = pc.if_else(pa.array(missing), pa.scalar(None, pa.string()), out)
    return out


def dates(days: Ints, missing: Bools | None = None) -> Any:
    """Days since 1970-01-01 as a date array (null where ``missing``)."""
    arr = pa.array(np.asarray(days, dtype=np.int32), type=pa.int32())
    if missing is not None:
        arr = pa.array(np.asarray(days, dtype=np.int32), mask=missing, type=pa.int32())
    return arr.cast(pa.date32())


def ascii_rows(matrix: Bytes) -> Any:
    """Rows of an (n, k) uint8 matrix of ASCII codes as a string array."""
    k = matrix.shape[1]
    raw = np.ascontiguousarray(matrix).view(f"S{k}").ravel()
    return pc.cast(pa.array(raw, type=pa.binary(k)).cast(pa.binary()), pa.string())


def digit_matrix(values: Ints, width: int) -> Bytes:
    """Integers as an (n, width) matrix of ASCII digits."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return ((values[:, None] // powers) % 10 + 48).astype(np.uint8)


def code_matrix(codes: Sequence[str]) -> Bytes:
    """Equal-length ASCII codes as an (n, k) byte matrix."""
    return np.frombuffer("".join(codes).encode("ascii"), dtype=np.uint8).reshape(len(codes), -1)


def group_rank(keys: Ints, order_by: Ints) -> Ints:
    """0-based rank of each row within its key group, ordered by ``order_by``."""
    n = len(keys)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((np.arange(n), order_by, keys))
    sk = keys[order]
    start = np.r_[True, sk[1:] != sk[:-1]]
    first = np.maximum.accumulate(np.where(start, np.arange(n), 0))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - first
    return rank


def pick_weighted(rng: np.random.Generator, weights: Floats, size: int) -> Ints:
    """``size`` indices drawn with probabilities proportional to ``weights``."""
    p = weights / weights.sum()
    return rng.choice(len(p), size=size, p=p).astype(np.int64)


def sigmoid(x: Floats) -> Floats:
    """The logistic function."""
    return 1.0 / (1.0 + np.exp(-x))


def zscore(x: Floats) -> Floats:
    """``x`` standardised (all zeros when constant)."""
    sd = float(x.std())
    return (x - x.mean()) / sd if sd > 0 else np.zeros_like(x)


def chinese_ordinal(k: int) -> str:
    """``k`` (0-99) in Chinese numerals: 二, 十一, 二十三."""
    if k <= 10:
        return _DIGITS_CN[k]
    if k < 20:
        return "十" + _DIGITS_CN[k - 10]
    tens, ones = divmod(k, 10)
    return _DIGITS_CN[tens] + "十" + (_DIGITS_CN[ones] if ones else "")


def duplicated(text: Any) -> Bools:
    """Rows whose text already occurred earlier in the array."""
    return np.asarray(text.to_pandas().duplicated().to_numpy(), dtype=bool)


def replace_rows(text: Any, idx: Ints, new: Any) -> Any:
    """``text`` with the rows ``idx`` replaced by ``new`` (one row of ``new`` per index)."""
    mask = np.zeros(len(text), dtype=bool)
    mask[idx] = True
    pos = np.zeros(len(text), dtype=np.int64)
    pos[idx] = np.arange(len(idx))
    return pc.if_else(pa.array(mask), pc.take(new, pa.array(pos)), text)
