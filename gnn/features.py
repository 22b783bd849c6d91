"""The feature pipeline: exported graph → standardised node feature matrices.

Enterprise features (one row per enterprise, names as in ``columns["enterprise"]``):

- attributes: ``age_years`` (from ``established``, else ``setup_months``),
  ``log_registered_capital``, ``log_paid_in_capital``, ``paid_in_ratio``,
  ``capital_missing``; one-hot ``org_type=…``, ``industry=…`` (section, else
  the industry name), ``region=…`` (region-code prefix, else ``area``),
  ``status=…`` with ``__other__`` and ``__missing__`` buckets;
- violations (folded in from ``Violation`` nodes): totals, active ones, counts
  per kind, per kind in each time window (1 and 3 years by default), days since
  the last one, and counts per value of categorical violation properties
  (``cause_type``, ``court_level``, ``result`` where present);
- structure: in/out degree per relationship type, distinct persons, officers
  per role, the largest and summed number of other firms of linked persons
  (the legal representative's number of firms among them), co-located firms.

Person and address features are their degrees per relationship type. Counts
are ``log1p``-transformed, then every column is standardised with the mean and
standard deviation seen at fit time. Vocabularies, edge types, columns and
statistics are fitted once, saved with the model as JSON and reused unchanged
at scoring time, so a scoring graph with new categories or relationship types
maps onto the same columns (unknown → ``__other__``, absent → zero counts).

Timing features (``age_years``, windowed counts, days since the last violation)
form the group ``timing``; ``FeatureConfig(timing=False)`` leaves them out, for
data whose time reference depends on the label (see docs/risk-model.md).

Kinds of market entity (``FeatureConfig(entity_kinds=True)``, the default; see
docs/entity-kinds.md): one-hot ``entity_kind=enterprise|individual|cooperative``
(from the org type, :func:`riskgraph.reference.entity_kind`), and the indicators
that do not apply to a kind (:data:`NOT_APPLICABLE`: an individual business has no
paid-in capital, shareholders, branches or officers besides its operator) are
masked for the firms of that kind: NaN in the raw frame (LightGBM reads it as
missing, the scorecard leaves the indicator out), the mean of the firms it applies
to after standardisation (0, the GNN's neutral value, with the kind columns telling
why). Statistics are fitted on the firms an indicator applies to.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from riskgraph.errors import RiskgraphError
from riskgraph.gnn.export import NODE_TYPES, TARGET, EdgeType, GraphExport, unique_pairs
from riskgraph.reference import ENTITY_KINDS, EntityKind, entity_kind

FORMAT_VERSION = 2
READABLE_FORMATS = frozenset({1, 2})
"""Format 1 pipelines (before entity kinds) load with ``entity_kinds=False``: the
features they were trained on, unchanged."""
OTHER = "__other__"
MISSING = "__missing__"
DAYS_PER_MONTH = 365.25 / 12
NO_VIOLATION_DAYS = 3650.0 * 3
INACTIVE_STATUSES = frozenset({"已移出", "已修复", "removed", "repaired"})
CATEGORICALS: tuple[str, ...] = ("org_type", "industry", "region", "status")
KIND_PREFIX = "entity_kind="
NOT_APPLICABLE: dict[EntityKind, tuple[str, ...]] = {
    "individual": (
        "log_paid_in_capital",
        "paid_in_ratio",
        "officers",
        "officers[role=*",
        "in[HOLDS_POSITION<-*",
        "in[INVESTS_IN<-*",
        "out[INVESTS_IN->*",
        "in[BRANCH_OF<-*",
        "out[BRANCH_OF->*",
    ),
    "cooperative": ("log_paid_in_capital", "paid_in_ratio"),
}
"""Per kind, the enterprise columns that do not apply (a trailing ``*``: every column
with that prefix). Enterprises use every column."""


def not_applicable(kind: EntityKind, columns: Iterable[str]) -> list[str]:
    """The columns of ``columns`` that do not apply to entities of ``kind``."""
    patterns = NOT_APPLICABLE.get(kind, ())
    exact = {p for p in patterns if not p.endswith("*")}
    prefixes = tuple(p[:-1] for p in patterns if p.endswith("*"))
    return [c for c in columns if c in exact or (prefixes and c.startswith(prefixes))]


class FeatureError(RiskgraphError):
    """The feature pipeline is unfitted, or its saved form cannot be read."""


@dataclass(frozen=True)
class FeatureConfig:
    """Choices that fix the feature set; saved with the pipeline."""

    timing: bool = True
    windows_days: tuple[int, ...] = (365, 1095)
    max_categories: int = 30
    min_category_count: int = 3
    region_digits: int = 4
    violation_props: tuple[str, ...] = ("cause_type", "court_level", "result")
    entity_kinds: bool = True
    """Kind columns and per-kind masking of the indicators that do not apply."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeatureConfig:
        return cls(
            timing=bool(data["timing"]),
            windows_days=tuple(int(d) for d in data["windows_days"]),
            max_categories=int(data["max_categories"]),
            min_category_count=int(data["min_category_count"]),
            region_digits=int(data["region_digits"]),
            violation_props=tuple(str(p) for p in data["violation_props"]),
            entity_kinds=bool(data.get("entity_kinds", False)),
        )


@dataclass
class EncodedGraph:
    """Standardised features per node type, with their column names."""

    x: dict[str, np.ndarray]
    columns: dict[str, list[str]]
    raw: pd.DataFrame
    """Enterprise features before standardisation (counts already log1p'ed)."""


@dataclass
class FeaturePipeline:
    """Fit on a training graph, transform any graph onto the same columns."""

    config: FeatureConfig = field(default_factory=FeatureConfig)
    vocab: dict[str, list[str]] = field(default_factory=dict)
    edge_types: list[EdgeType] = field(default_factory=list)
    columns: dict[str, list[str]] = field(default_factory=dict)
    mean: dict[str, list[float]] = field(default_factory=dict)
    std: dict[str, list[float]] = field(default_factory=dict)
    fill: dict[str, float] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)
    """Enterprise column → indicator group (attribute, timing, violation, structure)."""

    @property
    def fitted(self) -> bool:
        return bool(self.columns)

    def fit_transform(self, graph: GraphExport, *, as_of: date | None = None) -> EncodedGraph:
        """Fix vocabularies, columns and statistics on ``graph``, and encode it."""
        frame = self._fit(graph, as_of or date.today())
        return self._encode(graph, frame)

    def transform(self, graph: GraphExport, *, as_of: date | None = None) -> EncodedGraph:
        """Standardised feature matrices of ``graph`` on the fitted columns."""
        if not self.fitted:
            raise FeatureError("the feature pipeline is not fitted")
        frame, _ = self._enterprise_frame(graph, as_of or date.today(), fit=False)
        if list(frame.columns) != self.columns[TARGET]:
            frame = frame.reindex(columns=self.columns[TARGET], fill_value=0.0)
        return self._encode(graph, frame)

    def _fit(self, graph: GraphExport, as_of: date) -> pd.DataFrame:
        """Fit everything; returns the enterprise feature frame it was fitted from."""
        self.edge_types = sorted(graph.edges)
        self.vocab = self._fit_vocab(graph)
        frame, groups = self._enterprise_frame(graph, as_of, fit=True)
        self.groups = groups
        self.columns = {TARGET: list(frame.columns)}
        self._set_stats(TARGET, frame)
        for node_type in NODE_TYPES:
            if node_type == TARGET:
                continue
            other = self._degree_frame(graph, node_type)
            self.columns[node_type] = list(other.columns)
            self._set_stats(node_type, other)
        return frame

    def _encode(self, graph: GraphExport, frame: pd.DataFrame) -> EncodedGraph:
        x = {TARGET: self._standardise(TARGET, frame.to_numpy(dtype=np.float32))}
        for node_type in NODE_TYPES:
            if node_type == TARGET:
                continue
            other = self._degree_frame(graph, node_type)
            other = other.reindex(columns=self.columns[node_type], fill_value=0.0)
            x[node_type] = self._standardise(node_type, other.to_numpy(dtype=np.float32))
        return EncodedGraph(x=x, columns=dict(self.columns), raw=frame)

    def neutral(self) -> dict[str, float]:
        """Enterprise column → its fitted mean: what a masked (not applicable) value
        counts as where a number is needed (neighbour aggregates)."""
        return dict(zip(self.columns.get(TARGET, []), self.mean.get(TARGET, []), strict=True))

    def natural(self, column: str, value: float) -> float:
        """An enterprise feature's value in its own units (undoes ``log1p``)."""
        group = self.groups.get(column, "")
        logged = column.startswith("log_") or (
            group in ("violation", "structure", "timing") and not column.startswith("age_")
        )
        return float(np.expm1(value)) if logged else float(value)

    # -- persistence --------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "config": self.config.to_dict(),
            "vocab": self.vocab,
            "edge_types": [list(et) for et in self.edge_types],
            "columns": self.columns,
            "mean": self.mean,
            "std": self.std,
            "fill": self.fill,
            "groups": self.groups,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeaturePipeline:
        if data.get("format") not in READABLE_FORMATS:
            raise FeatureError(
                f"unsupported feature pipeline format {data.get('format')!r} (this riskgraph "
                f"reads formats {sorted(READABLE_FORMATS)}): retrain the model with this "
                "version (riskgraph model train)"
            )
        edge_types: list[EdgeType] = [(str(a), str(b), str(c)) for a, b, c in data["edge_types"]]
        return cls(
            config=FeatureConfig.from_dict(data["config"]),
            vocab={k: list(v) for k, v in data["vocab"].items()},
            edge_types=edge_types,
            columns={k: list(v) for k, v in data["columns"].items()},
            mean={k: [float(x) for x in v] for k, v in data["mean"].items()},
            std={k: [float(x) for x in v] for k, v in data["std"].items()},
            fill={k: float(v) for k, v in data["fill"].items()},
            groups=dict(data.get("groups", {})),
        )

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=1), "utf-8")

    @classmethod
    def load(cls, path: Path) -> FeaturePipeline:
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise FeatureError(f"cannot read the feature pipeline {path}: {exc}") from exc
        return cls.from_dict(data)

    # -- internals ----------------------------------------------------------

    def _set_stats(self, node_type: str, frame: pd.DataFrame) -> None:
        """Column means and standard deviations (1 where a column is constant)."""
        if len(frame) == 0:
            mean = np.zeros(frame.shape[1])
            std = np.ones(frame.shape[1])
        else:
            # NaN (masked) cells are skipped: statistics of the firms a column applies to
            mean = np.nan_to_num(frame.mean(axis=0).to_numpy(dtype=np.float64))
            std = frame.std(axis=0, ddof=0).to_numpy(dtype=np.float64)
            std = np.where(np.isnan(std) | (std < 1e-9), 1.0, std)
        self.mean[node_type] = [float(v) for v in mean]
        self.std[node_type] = [float(v) for v in std]

    def _standardise(self, node_type: str, matrix: np.ndarray) -> np.ndarray:
        """``(matrix - mean) / std`` as a new C-ordered ``float32`` array, in one
        pass plus one in place (a frame's ``to_numpy`` is column-major, and the
        model reads rows)."""
        mean = np.asarray(self.mean[node_type], dtype=np.float32)
        std = np.asarray(self.std[node_type], dtype=np.float32)
        out = np.empty(matrix.shape, dtype=np.float32)
        np.subtract(matrix, mean, out=out, dtype=np.float32)
        out /= std
        np.nan_to_num(out, copy=False, nan=0.0)  # masked (not applicable): the mean
        return out

    def _fit_vocab(self, graph: GraphExport) -> dict[str, list[str]]:
        cfg = self.config
        cats = _categoricals(graph.enterprises, cfg.region_digits)
        vocab = {
            name: _top_values(cats[name], cfg.max_categories, cfg.min_category_count)
            for name in CATEGORICALS
        }
        viol = graph.violations
        vocab["kind"] = _top_values(_strings(viol["kind"]), cfg.max_categories, 1)
        for prop in cfg.violation_props:
            if prop in viol:
                vocab[f"violation:{prop}"] = _top_values(
                    _strings(viol[prop]), cfg.max_categories, cfg.min_category_count
                )
        vocab["role"] = _top_values(_strings(graph.roles["role"]), cfg.max_categories, 1)
        return vocab

    def _enterprise_frame(
        self, graph: GraphExport, as_of: date, *, fit: bool
    ) -> tuple[pd.DataFrame, dict[str, str]]:
        cfg = self.config
        n = graph.num_nodes(TARGET)
        ent = graph.enterprises
        cols: dict[str, np.ndarray] = {}
        groups: dict[str, str] = {}

        def put(name: str, values: np.ndarray, group: str) -> None:
            cols[name] = np.asarray(values, dtype=np.float64)
            groups[name] = group

        kinds = _entity_kinds(ent) if cfg.entity_kinds else None
        self._attribute_columns(ent, as_of, kinds, put, fit=fit)
        self._violation_columns(graph, as_of, n, put)

        # structure
        for (src, rel, dst), edge_index in self._typed_edges(graph):
            if dst == TARGET:
                put(f"in[{rel}<-{src}]", _log_count(edge_index[1], n), "structure")
            if src == TARGET:
                put(f"out[{rel}->{dst}]", _log_count(edge_index[0], n), "structure")
        for role in self.vocab.get("role", []):
            mask = (graph.roles["role"] == role).to_numpy()
            officers = graph.roles["enterprise"].to_numpy()[mask]
            put(f"officers[role={role}]", _log_count(officers, n), "structure")
        for name, linked in _linked_counts(graph, self.edge_types).items():
            put(name, np.log1p(linked), "structure")
        if kinds is not None:
            _mask_not_applicable(cols, kinds)
        return pd.DataFrame(cols, index=pd.RangeIndex(n)), groups

    def _attribute_columns(
        self, ent: pd.DataFrame, as_of: date, kinds: np.ndarray | None, put: Any, *, fit: bool
    ) -> None:
        """Age, capital, one-hot categoricals and (with ``kinds``) the entity kind."""
        cfg = self.config
        if cfg.timing:
            age = _age_years(ent, as_of)
            if fit:
                known = age[~np.isnan(age)]
                self.fill["age_years"] = float(np.median(known)) if len(known) else 0.0
            put("age_missing", np.isnan(age).astype(float), "timing")
            put("age_years", np.where(np.isnan(age), self.fill["age_years"], age), "timing")
        registered = _numbers(ent["registered_capital"])
        paid = _numbers(ent["paid_in_capital"])
        put("capital_missing", np.isnan(registered).astype(float), "attribute")
        put(
            "log_registered_capital",
            np.log1p(np.nan_to_num(np.clip(registered, 0, None))),
            "attribute",
        )
        put("log_paid_in_capital", np.log1p(np.nan_to_num(np.clip(paid, 0, None))), "attribute")
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(registered > 0, paid / registered, np.nan)
        put("paid_in_ratio", np.clip(np.nan_to_num(ratio, nan=0.0), 0.0, 2.0), "attribute")

        cats = _categoricals(ent, cfg.region_digits)
        for name in CATEGORICALS:
            known = set(self.vocab.get(name, []))
            values = cats[name].where(cats[name].isin(known) | (cats[name] == MISSING), OTHER)
            # one-hot from integer codes: comparing object arrays per value is slow
            codes, distinct = pd.factorize(values)
            code_of = {value: code for code, value in enumerate(distinct)}
            for value in [*self.vocab.get(name, []), OTHER, MISSING]:
                put(f"{name}={value}", codes == code_of.get(value, -2), "attribute")

        if kinds is not None:
            for kind in ENTITY_KINDS:
                put(f"{KIND_PREFIX}{kind}", kinds == kind, "attribute")

    def _violation_columns(self, graph: GraphExport, as_of: date, n: int, put: Any) -> None:
        cfg = self.config
        viol = graph.violations
        owner = viol["enterprise"].to_numpy(dtype=np.int64)
        age_days = _violation_age_days(viol, as_of)
        in_past = ~(age_days < 0)  # unknown ages count; dated after as_of do not
        owner_p = owner[in_past]
        active = (
            viol["removed_on"].isna().to_numpy()
            & ~_strings(viol["status"]).isin(INACTIVE_STATUSES).to_numpy()
        )[in_past]
        put("viol_total", _log_count(owner_p, n), "violation")
        put("viol_active", _log_count(owner_p[active], n), "violation")
        kinds = _strings(viol["kind"]).to_numpy()[in_past]
        ages = age_days[in_past]
        for kind in self.vocab.get("kind", []):
            put(f"viol[kind={kind}]", _log_count(owner_p[kinds == kind], n), "violation")
        for prop in cfg.violation_props:
            values = self.vocab.get(f"violation:{prop}", [])
            if not values:
                continue
            column = _strings(viol[prop]).to_numpy()[in_past]
            for value in values:
                put(f"viol[{prop}={value}]", _log_count(owner_p[column == value], n), "violation")
        if not cfg.timing:
            return
        for window in cfg.windows_days:
            tag = f"{round(window / 365.25)}y" if window % 365 == 0 else f"{window}d"
            recent = ages <= window  # NaN ages compare False
            put(f"viol_{tag}", _log_count(owner_p[recent], n), "timing")
            for kind in self.vocab.get("kind", []):
                kind_recent = owner_p[recent & (kinds == kind)]
                put(f"viol[kind={kind}]_{tag}", _log_count(kind_recent, n), "timing")
        last = np.full(n, np.inf)
        dated = ~np.isnan(ages)
        np.minimum.at(last, owner_p[dated], ages[dated])
        since = np.where(np.isinf(last), NO_VIOLATION_DAYS, last)
        put("days_since_last_violation", np.log1p(since), "timing")

    def _typed_edges(self, graph: GraphExport) -> Iterable[tuple[EdgeType, np.ndarray]]:
        for edge_type in self.edge_types:
            yield edge_type, graph.edges.get(edge_type, np.zeros((2, 0), dtype=np.int64))

    def _degree_frame(self, graph: GraphExport, node_type: str) -> pd.DataFrame:
        n = graph.num_nodes(node_type)
        cols: dict[str, np.ndarray] = {}
        total = np.zeros(n)
        for (src, rel, dst), edge_index in self._typed_edges(graph):
            if src == node_type:
                counts = np.bincount(edge_index[0], minlength=n)[:n].astype(float)
                cols[f"out[{rel}->{dst}]"] = np.log1p(counts)
                total += counts
            if dst == node_type:
                counts = np.bincount(edge_index[1], minlength=n)[:n].astype(float)
                cols[f"in[{rel}<-{src}]"] = np.log1p(counts)
                total += counts
        cols["degree"] = np.log1p(total)
        return pd.DataFrame(cols, index=pd.RangeIndex(n))


# -- helpers -----------------------------------------------------------------


def entity_kinds_of(graph: GraphExport) -> np.ndarray:
    """The kind of market entity of every exported enterprise, in row order."""
    return _entity_kinds(graph.enterprises)


def _entity_kinds(ent: pd.DataFrame) -> np.ndarray:
    """Each enterprise's kind of market entity, from its org type."""
    org = ent["org_type"] if "org_type" in ent else pd.Series([None] * len(ent), dtype=object)
    return _map_distinct(org, entity_kind, missing="enterprise").to_numpy(dtype=object)


def _mask_not_applicable(cols: dict[str, np.ndarray], kinds: np.ndarray) -> None:
    """NaN where a column does not apply to a firm's kind (in place)."""
    for kind in NOT_APPLICABLE:
        rows = kinds == kind
        if rows.any():
            for column in not_applicable(kind, cols):
                cols[column][rows] = np.nan


def _strings(series: pd.Series) -> pd.Series:
    """Values as strings (integers without a trailing .0), missing as MISSING."""

    def one(value: Any) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return MISSING
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        text = str(value).strip()
        return text or MISSING

    return _map_distinct(series, one, missing=MISSING)


def _map_distinct(series: pd.Series, fn: Any, *, missing: Any) -> pd.Series:
    """``series.map(fn)`` computed once per distinct value (missing values → ``missing``).

    Columns such as org type or region repeat a few thousand values over
    millions of rows, so this is many times faster than a per-row ``map``.
    """
    codes, distinct = pd.factorize(series, use_na_sentinel=True)
    mapped = np.empty(len(distinct) + 1, dtype=object)
    mapped[:-1] = [fn(value) for value in distinct]
    mapped[-1] = missing  # code -1
    return pd.Series(mapped[codes], index=series.index, dtype=object)


def _numbers(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype=np.float64)


def _top_values(values: pd.Series, limit: int, min_count: int) -> list[str]:
    counts = values[values != MISSING].value_counts()
    counts = counts[counts >= min_count]
    ordered = sorted(counts.items(), key=lambda item: (-int(item[1]), str(item[0])))
    return [str(value) for value, _ in ordered[:limit]]


def _categoricals(ent: pd.DataFrame, region_digits: int) -> pd.DataFrame:
    industry = _strings(ent["industry_section"])
    industry = industry.where(industry != MISSING, _strings(ent["industry_name"]))
    region = _map_distinct(
        _strings(ent["region_code"]),
        lambda code: code[:region_digits] if code != MISSING else MISSING,
        missing=MISSING,
    )
    region = region.where(region != MISSING, _strings(ent["area"]))
    return pd.DataFrame(
        {
            "org_type": _strings(ent["org_type"]),
            "industry": industry,
            "region": region,
            "status": _strings(ent["status"]),
        }
    )


def _days_before(values: pd.Series, as_of: date) -> np.ndarray:
    """Days from each date (``date``, ``datetime`` or ISO text) to ``as_of``; NaN if none."""
    if len(values) == 0:
        return np.zeros(0)
    # dates repeat: parse each distinct value once
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    text = pd.Series(
        [v.isoformat()[:10] if isinstance(v, date) else v for v in distinct], dtype=object
    )
    parsed = pd.to_datetime(text, errors="coerce", format="ISO8601")
    days = (pd.Timestamp(as_of) - parsed).dt.days.to_numpy(dtype=np.float64, na_value=np.nan)
    return np.append(days, np.nan)[codes]


def _age_years(ent: pd.DataFrame, as_of: date) -> np.ndarray:
    days = _days_before(ent["established"], as_of)
    months = _numbers(ent["setup_months"])
    return np.where(np.isnan(days), months / 12.0, days / 365.25)


def _violation_age_days(viol: pd.DataFrame, as_of: date) -> np.ndarray:
    """Days from each violation to ``as_of`` (from its date, else its months count)."""
    days = _days_before(viol["date"], as_of)
    months = _numbers(viol["months_before_observation"])
    return np.where(np.isnan(days), months * DAYS_PER_MONTH, days)


def _log_count(index: np.ndarray, n: int) -> np.ndarray:
    if n == 0:
        return np.zeros(0)
    counts = np.bincount(np.asarray(index, dtype=np.int64), minlength=n)[:n]
    return np.asarray(np.log1p(counts.astype(np.float64)))


def _linked_counts(graph: GraphExport, edge_types: Sequence[EdgeType]) -> dict[str, np.ndarray]:
    """Counts through persons and addresses (distinct persons, their other firms, co-location)."""
    n = graph.num_nodes(TARGET)
    out: dict[str, np.ndarray] = {}
    person_pairs = [
        graph.edges[et]
        for et in edge_types
        if et[0] == "person" and et[2] == TARGET and et in graph.edges
    ]
    pairs = (
        unique_pairs(np.concatenate(person_pairs, axis=1), n)
        if person_pairs
        else np.zeros((2, 0), dtype=np.int64)
    )
    firms_of_person = _whole(
        graph,
        ("person", "firms"),
        np.bincount(pairs[0], minlength=graph.num_nodes("person")).astype(float),
    )
    others = firms_of_person[pairs[0]] - 1.0 if pairs.shape[1] else np.zeros(0)
    out["persons"] = np.bincount(pairs[1], minlength=n)[:n].astype(float)
    out["person_other_firms_sum"] = np.bincount(pairs[1], weights=others, minlength=n)[:n]
    most = np.zeros(n)
    if pairs.shape[1]:
        np.maximum.at(most, pairs[1], others)
    out["person_other_firms_max"] = most
    officer_types = {"HOLDS_POSITION", "LEGAL_REP_OF"}
    officer_pairs = [
        graph.edges[et]
        for et in edge_types
        if et[0] == "person" and et[1] in officer_types and et[2] == TARGET and et in graph.edges
    ]
    if officer_pairs:
        unique = unique_pairs(np.concatenate(officer_pairs, axis=1), n)
        out["officers"] = np.bincount(unique[1], minlength=n)[:n].astype(float)
    rep_type = ("person", "LEGAL_REP_OF", TARGET)
    if rep_type in edge_types:
        reps = graph.edges.get(rep_type, np.zeros((2, 0), dtype=np.int64))
        firms = _whole(
            graph,
            ("person", "LEGAL_REP_OF"),
            np.bincount(reps[0], minlength=graph.num_nodes("person")).astype(float),
        )
        rep_firms = np.zeros(n)
        if reps.shape[1]:
            np.maximum.at(rep_firms, reps[1], firms[reps[0]])
        out["legal_rep_firms"] = rep_firms
    at_type = (TARGET, "REGISTERED_AT", "address")
    if at_type in edge_types:
        links = graph.edges.get(at_type, np.zeros((2, 0), dtype=np.int64))
        firms_at = _whole(
            graph,
            ("address", "REGISTERED_AT"),
            np.bincount(links[1], minlength=graph.num_nodes("address")).astype(float),
        )
        out["co_located_firms"] = np.bincount(
            links[0], weights=firms_at[links[1]] - 1.0 if links.shape[1] else None, minlength=n
        )[:n].astype(float)
    return out


def _whole(graph: GraphExport, measure: tuple[str, str], counted: np.ndarray) -> np.ndarray:
    """``counted`` (from the export's links), or the whole graph's counts where a
    neighbourhood export knows them (:attr:`GraphExport.link_totals`)."""
    totals = graph.link_totals.get(measure)
    if totals is None or len(totals) != len(counted):
        return counted
    return np.where(totals >= 0, totals.astype(float), counted)
