"""Aggregate statistics of risk results: the risk map (风险地图), class distributions and
classes per kind of market entity."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from riskgraph.analytics import kinds
from riskgraph.api.deps import AuditDep, StatsReader, StoreDep
from riskgraph.api.encoding import jsonable
from riskgraph.api.schemas import (
    Distribution,
    ErrorBody,
    KindDistribution,
    KindShares,
    RiskMap,
    RiskMapCell,
)
from riskgraph.graph import queries as registry
from riskgraph.reference import section_name

router = APIRouter(prefix="/stats", tags=["statistics"])

COUNT_KEYS = ("A", "B", "C", "D", "unclassified")

RegionPrefix = Annotated[
    str,
    Query(
        pattern=r"^\d{0,6}$",
        description="only region codes starting with these digits",
        examples=["5101"],
    ),
]
"""The region filter every statistic takes: a prefix of the 6-digit 行政区划代码."""


@router.get(
    "/risk-map",
    response_model=RiskMap,
    summary="Risk map (风险地图): class counts per region and industry section",
    responses={422: {"model": ErrorBody}},
)
def risk_map(
    holder: StoreDep,
    _: StatsReader,
    audit: AuditDep,
    level: Annotated[
        Literal["district", "city", "province"], Query(description="group region codes by")
    ] = "district",
    prefix: RegionPrefix = "",
) -> RiskMap:
    """``cells`` per region × section; ``by_region`` and ``by_industry`` sum them up
    with class shares. Unscored enterprises count under their ``label_class`` where the
    supervisor gave one, else as ``unclassified``."""
    params = {"level": level, "prefix": prefix}
    answer = holder.call(lambda store: registry.run_named(store, "risk_map", params))
    if not isinstance(answer, dict):  # pragma: no cover - risk_map answers a mapping
        raise TypeError("risk_map answered a list")
    cells = [RiskMapCell.model_validate(jsonable(cell)) for cell in answer["cells"]]
    by_region: dict[str, list[RiskMapCell]] = {}
    by_section: dict[str | None, list[RiskMapCell]] = {}
    for cell in cells:
        by_region.setdefault(cell.region, []).append(cell)
        by_section.setdefault(cell.section, []).append(cell)
    result = RiskMap(
        level=level,
        prefix=prefix,
        totals={key: int(answer["totals"].get(key, 0)) for key in COUNT_KEYS},
        by_region=[
            _distribution(region, group[0].region_name, group)
            for region, group in sorted(by_region.items())
        ],
        by_industry=[
            _distribution(section, section_name(section or ""), group)
            for section, group in sorted(by_section.items(), key=lambda kv: kv[0] or "~")
        ],
        cells=cells,
    )
    audit("stats.risk_map", params=params, rows=len(cells))
    return result


def _distribution(key: str | None, name: str | None, cells: list[RiskMapCell]) -> Distribution:
    counts = {k: sum(int(cell.counts.get(k, 0)) for cell in cells) for k in COUNT_KEYS}
    total = sum(cell.total for cell in cells)
    shares: dict[str, Any] = {k: round(v / total, 4) if total else 0.0 for k, v in counts.items()}
    return Distribution(key=key, name=name, counts=counts, total=total, shares=shares)


@router.get(
    "/kinds",
    response_model=KindShares,
    summary="Risk classes per kind of market entity (企业, 个体工商户, 农民专业合作社)",
    responses={422: {"model": ErrorBody}},
)
def kind_shares(
    holder: StoreDep,
    _: StatsReader,
    audit: AuditDep,
    prefix: RegionPrefix = "",
) -> KindShares:
    """Counts and shares of every class per kind (every kind listed, zero where none)."""
    found = holder.call(lambda store: kinds.class_shares(store, prefix))
    result = KindShares(
        prefix=prefix, kinds=[KindDistribution.model_validate(k.to_dict()) for k in found]
    )
    audit("stats.kinds", params={"prefix": prefix}, rows=len(found))
    return result
