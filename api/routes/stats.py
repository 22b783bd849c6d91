"""Aggregate statistics of risk results: the risk map (风险地图) and class distributions."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from riskgraph.api.deps import AuditDep, StatsReader, StoreDep
from riskgraph.api.encoding import jsonable
from riskgraph.api.errors import InvalidInput
from riskgraph.api.schemas import Distribution, ErrorBody, RiskMap, RiskMapCell
from riskgraph.graph import queries as registry

router = APIRouter(prefix="/stats", tags=["statistics"])

COUNT_KEYS = ("A", "B", "C", "D", "unclassified")
SECTION_NAMES = {
    "A": "农、林、牧、渔业", "B": "采矿业", "C": "制造业",
    "D": "电力、热力、燃气及水生产和供应业", "E": "建筑业", "F": "批发和零售业",
    "G": "交通运输、仓储和邮政业", "H": "住宿和餐饮业", "I": "信息传输、软件和信息技术服务业",
    "J": "金融业", "K": "房地产业", "L": "租赁和商务服务业", "M": "科学研究和技术服务业",
    "N": "水利、环境和公共设施管理业", "O": "居民服务、修理和其他服务业", "P": "教育",
    "Q": "卫生和社会工作", "R": "文化、体育和娱乐业", "S": "公共管理、社会保障和社会组织",
    "T": "国际组织",
}  # fmt: skip
"""GB/T 4754-2017 sections (门类)."""


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
    prefix: Annotated[
        str,
        Query(
            pattern=r"^\d{0,6}$",
            description="only region codes starting with these digits",
            examples=["5101"],
        ),
    ] = "",
) -> RiskMap:
    """``cells`` per region × section; ``by_region`` and ``by_industry`` sum them up
    with class shares. Unscored enterprises count under their ``label_class`` where the
    supervisor gave one, else as ``unclassified``."""
    params = {"level": level, "prefix": prefix}
    try:
        answer = holder.call(lambda store: registry.run_named(store, "risk_map", params))
    except registry.InvalidParameters as exc:
        raise InvalidInput(str(exc)) from exc
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
            _distribution(section, SECTION_NAMES.get(section or ""), group)
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
