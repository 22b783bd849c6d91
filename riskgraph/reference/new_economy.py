"""四新 (new technology, industry, forms and models) as a stand-in from industry codes.

No registry field says whether a firm is 四新. This list approximates it by the
GB/T 4754-2017 industry codes that 国家统计局《战略性新兴产业分类（2018）》 draws most
of its items from: one entry per class, group or division prefix, with the strategic
emerging industry it belongs to. A firm is 四新 when its industry code starts with one
of the prefixes. It is coarse (the 2018 classification picks products and services
inside classes, and 四新 also covers new business forms and models no industry code
shows): a registry that supplies its own 四新 tag should be used instead.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Final

__all__ = ["NEW_ECONOMY", "NewEconomyItem", "is_new_economy", "new_economy_prefixes"]


@dataclass(frozen=True, slots=True)
class NewEconomyItem:
    """One GB/T 4754-2017 code prefix (section letter and digits) counted as 四新."""

    prefix: str
    name: str
    area: str


_IT = "新一代信息技术产业"
_EQUIPMENT = "高端装备制造产业"
_BIO = "生物产业"
_NEV = "新能源汽车产业"
_ENERGY = "新能源产业"
_GREEN = "节能环保产业"
_SERVICES = "相关服务业"

NEW_ECONOMY: Final[tuple[NewEconomyItem, ...]] = (
    NewEconomyItem("C39", "计算机、通信和其他电子设备制造业", _IT),
    NewEconomyItem("I63", "电信、广播电视和卫星传输服务", _IT),
    NewEconomyItem("I64", "互联网和相关服务", _IT),
    NewEconomyItem("I65", "软件和信息技术服务业", _IT),
    NewEconomyItem("C3491", "工业机器人制造", _EQUIPMENT),
    NewEconomyItem("C3492", "特殊作业机器人制造", _EQUIPMENT),
    NewEconomyItem("C3493", "增材制造装备制造", _EQUIPMENT),
    NewEconomyItem("C371", "铁路运输设备制造", _EQUIPMENT),
    NewEconomyItem("C372", "城市轨道交通设备制造", _EQUIPMENT),
    NewEconomyItem("C374", "航空、航天器及设备制造", _EQUIPMENT),
    NewEconomyItem("C40", "仪器仪表制造业", _EQUIPMENT),
    NewEconomyItem("C27", "医药制造业", _BIO),
    NewEconomyItem("C3612", "新能源车整车制造", _NEV),
    NewEconomyItem("C3841", "锂离子电池制造", _NEV),
    NewEconomyItem("C3842", "镍氢电池制造", _NEV),
    NewEconomyItem("C3825", "光伏设备及元器件制造", _ENERGY),
    NewEconomyItem("D4414", "核力发电", _ENERGY),
    NewEconomyItem("D4415", "风力发电", _ENERGY),
    NewEconomyItem("D4416", "太阳能发电", _ENERGY),
    NewEconomyItem("D4417", "生物质能发电", _ENERGY),
    NewEconomyItem("N772", "环境治理业", _GREEN),
    NewEconomyItem("M73", "研究和试验发展", _SERVICES),
    NewEconomyItem("M75", "科技推广和应用服务业", _SERVICES),
)
"""The 四新 stand-in: industry code prefixes (GB/T 4754-2017) of strategic emerging
industries. Divisions (two digits) count whole; elsewhere only the classes named."""


@functools.cache
def new_economy_prefixes() -> tuple[str, ...]:
    """The prefixes of :data:`NEW_ECONOMY`, in table order."""
    return tuple(item.prefix for item in NEW_ECONOMY)


def is_new_economy(industry_code: str | None) -> bool:
    """Whether an industry code falls under the 四新 stand-in (missing codes do not)."""
    return bool(industry_code) and str(industry_code).startswith(new_economy_prefixes())
