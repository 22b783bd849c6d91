"""Calibrated synthetic enterprise registry for credit-risk classification (企业信用风险分类).

``generate_registry(n, seed, out_dir)`` writes the contract CSV files (enterprises,
persons, positions, investments, branches, violations, labels) plus ground truth
(``truth/labels.csv``, ``truth/patterns.csv``, ``truth/README.md``).

Generative process. Every stage draws from its own numpy ``Generator`` derived from
``(seed, stage)``; every date is relative to the fixed ``REFERENCE_DATE`` (2026-06-30),
never to today, so one seed gives byte-identical files.

1. entities     -- market entities by org type; company groups (holding company ->
   subsidiaries -> ... up to 4 levels); establishment dates (younger firms more common,
   subsidiaries after their parent); GB/T 4754-2017 industries per org type; log-normal
   registered capital snapped to round amounts; paid-in capital (often 0 after the 2014
   subscription reform); branches (分公司) of larger companies.
2. pattern plan -- members of shell-company rings and circular-shareholding loops are
   chosen and given shell attributes (batch-registered, capital unpaid).
3. addresses    -- most sites host 1-3 firms; commercial buildings used for cluster
   registration (集群注册) host 50-500; some of those are abnormal-listing hotspots.
4. people       -- position slots per org type, filled by ring persons, group
   controllers, hub persons (nominee officers of dozens of firms) and ordinary persons.
5. investments  -- shareholders with integer basis-point ratios (sum <= 1 per investee):
   persons, group parents, older firms (so ordinary enterprise holdings form a DAG),
   plus the planted loops A -> B -> ... -> A.
6. risk         -- a latent risk per firm from its attributes (age, capital, paid-in
   ratio, industry, org type, cluster address, nominee officers) plus noise, then three
   rounds of contagion: each firm moves towards the mean latent risk of its investment,
   branch, shared-person and shared-address neighbours.
7. dynamics     -- status (吊销 rises with risk) and legal-representative changes
   (frequency rises with risk); violation records of six kinds with Poisson counts
   rising with risk, dates within the last five years, abnormal listings sometimes
   removed; forced abnormal listings for planted shells and hotspot firms.
8. classes      -- the five SAMR indicator categories (基础属性, 动态信息, 监管信息,
   关联关系 = the neighbours' latent risk, 社会评价) are standardised and combined into a
   score with a little noise; classes are cut at the score quantiles A 40 % / B 48 % /
   C 9 % / D 3 % (an active 严重违法失信 record forces D). A supervisor's past
   classification (``labels.csv``) covers 60 % of the firms established by its as-of date.
9. names, identifiers, truth and write -- names, valid USCCs and resident ID numbers
   (check characters computed vectorised and cross-checked against
   ``riskgraph.ingest.identifiers``), then the CSV files sorted by their keys.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from riskgraph.ingest import contract
from riskgraph.ingest.contract import STATUSES, VIOLATION_KINDS, VIOLATION_STATUSES
from riskgraph.ingest.identifiers import (
    USCC_ALPHABET,
    is_valid_id_number,
    is_valid_uscc,
    make_id_number,
    make_uscc,
)
from riskgraph.ingest.regions import full_name, known_codes

__all__ = [
    "CLASS_SHARES",
    "LABEL_AS_OF",
    "REFERENCE_DATE",
    "generate_registry",
]

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Bytes = npt.NDArray[np.uint8]
Progress = Callable[[str, int], None]

# --------------------------------------------------------------------------- constants

REFERENCE_DATE: Final = dt.date(2026, 6, 30)
LABEL_AS_OF: Final = dt.date(2025, 12, 31)
CLASS_SHARES: Final = {"A": 0.40, "B": 0.48, "C": 0.09, "D": 0.03}
LABELLED_SHARE: Final = 0.60

_EPOCH: Final = dt.date(1970, 1, 1)
REF: Final = (REFERENCE_DATE - _EPOCH).days
AS_OF: Final = (LABEL_AS_OF - _EPOCH).days
SUBSCRIPTION_REFORM: Final = (dt.date(2014, 3, 1) - _EPOCH).days
USCC_MA_ERA: Final = (dt.date(2015, 10, 1) - _EPOCH).days
YEAR: Final = 365.25

ORG_TYPES: Final = (
    "有限责任公司",
    "股份有限公司",
    "个人独资企业",
    "合伙企业",
    "个体工商户",
    "农民专业合作社",
)
LLC, JSC, SOLE, PART, INDIV, COOP = range(6)
BRANCH_ORG_TYPE: Final = "分公司"  # org_type written for branches (the contract's value)
_KIND_P: Final = (0.600, 0.015, 0.050, 0.040, 0.265, 0.030)
_USCC_TYPE_DIGIT: Final = ("1", "1", "1", "1", "2", "3")
_COMPANY_KINDS: Final = (LLC, JSC)
_INVESTOR_KINDS: Final = (LLC, JSC, PART)

ACTIVE, IN_BUSINESS, REVOKED, CANCELLED, MOVED = range(5)

ROLES: Final = contract.ROLES[:7]  # every contract role but 其他, in the contract's order
R_LEGAL, R_EXEC, R_CHAIR, R_DIRECTOR, R_SUPERVISOR, R_MANAGER, R_FINANCE = range(7)

V_PENALTY, V_ABNORMAL, V_SEVERE, V_INSPECTION, V_COMPLAINT, V_LAWSUIT = range(6)
_DOC_WORD: Final = ("罚", "异", "严", "检", "诉", "")
PATTERNS: Final = ("shell_ring", "circular_shareholding", "address_hotspot")

BRANCH_SHARE: Final = 0.03
GROUP_SHARE: Final = 0.07
CLUSTER_SHARE: Final = 0.07
CONTAGION_ROUNDS: Final = 3
CONTAGION_ALPHA: Final = 0.45
# Weights of the five SAMR indicator categories in the classification score.
SCORE_WEIGHTS: Final = {
    "basic": 0.15,
    "dynamic": 0.15,
    "regulatory": 0.35,
    "association": 0.20,
    "social": 0.15,
}
SCORE_NOISE: Final = 0.25

# GB/T 4754-2017 classes: code, word in company names, word in 个体工商户 names, word in
# cooperative names, weights (company, individual business, cooperative), risk offset.
_INDUSTRIES: Final[tuple[tuple[str, str, str, str, float, float, float, float], ...]] = (
    ("A0141", "农业开发", "蔬菜种植场", "蔬菜种植", 2.0, 0.8, 6.0, -0.2),
    ("A0143", "花卉园艺", "花卉种植园", "花卉苗木", 1.0, 0.4, 4.0, -0.2),
    ("A0151", "生态农业", "果园", "水果种植", 1.0, 0.4, 6.0, -0.2),
    ("A0153", "果业", "柑橘种植园", "柑橘种植", 0.5, 0.3, 5.0, -0.2),
    ("A0164", "茶业", "茶园", "茶叶种植", 0.7, 0.3, 4.0, -0.2),
    ("A0171", "中药材种植", "中药材种植场", "中药材种植", 0.5, 0.2, 3.0, -0.1),
    ("A0313", "生猪养殖", "养猪场", "生猪养殖", 0.6, 0.5, 6.0, -0.1),
    ("A0321", "禽业", "养鸡场", "家禽养殖", 0.4, 0.4, 4.0, -0.1),
    ("A0412", "水产养殖", "渔场", "水产养殖", 0.3, 0.3, 3.0, -0.1),
    ("A0512", "农机服务", "农机服务部", "农机", 0.3, 0.3, 3.0, -0.1),
    ("B0610", "煤业", "", "", 0.1, 0.0, 0.0, 0.3),
    ("B1019", "砂石", "", "", 0.4, 0.0, 0.0, 0.3),
    ("C1371", "食品", "", "", 0.8, 0.0, 0.5, 0.0),
    ("C1392", "豆制品", "豆腐坊", "", 0.4, 0.6, 0.0, 0.0),
    ("C1462", "调味品", "", "", 0.5, 0.0, 0.0, 0.0),
    ("C1512", "酒业", "酒坊", "", 0.8, 0.3, 0.2, 0.0),
    ("C1530", "茶叶加工", "", "茶叶加工", 0.5, 0.0, 0.3, 0.0),
    ("C2110", "家具", "家具厂", "", 1.0, 0.3, 0.0, 0.1),
    ("C2319", "印务", "印刷厂", "", 0.6, 0.3, 0.0, 0.0),
    ("C2740", "药业", "", "", 0.4, 0.0, 0.0, 0.0),
    ("C2922", "塑胶", "", "", 0.4, 0.0, 0.0, 0.1),
    ("C3021", "建材", "", "", 0.5, 0.0, 0.0, 0.1),
    ("C3311", "钢结构", "", "", 0.6, 0.1, 0.0, 0.1),
    ("C3670", "汽车配件", "", "", 0.5, 0.0, 0.0, 0.0),
    ("C3841", "新能源科技", "", "", 0.3, 0.0, 0.0, 0.0),
    ("C3973", "微电子", "", "", 0.2, 0.0, 0.0, -0.1),
    ("C3982", "电子科技", "", "", 0.4, 0.0, 0.0, 0.0),
    ("D4416", "光伏能源", "", "", 0.3, 0.0, 0.0, 0.1),
    ("D4420", "电力", "", "", 0.2, 0.0, 0.0, -0.1),
    ("D4610", "水务", "", "", 0.1, 0.0, 0.0, -0.2),
    ("E4710", "建筑工程", "", "", 1.5, 0.0, 0.0, 0.2),
    ("E4813", "市政工程", "", "", 1.0, 0.0, 0.0, 0.2),
    ("E4910", "机电安装工程", "", "", 0.8, 0.2, 0.0, 0.1),
    ("E4999", "安装工程", "水电安装部", "", 0.5, 0.3, 0.0, 0.1),
    ("E5011", "装饰工程", "", "", 1.0, 0.0, 0.0, 0.2),
    ("E5012", "装饰设计", "装饰部", "", 1.2, 0.8, 0.0, 0.2),
    ("F5123", "农产品", "蔬菜批发部", "农产品购销", 0.8, 0.8, 0.3, 0.0),
    ("F5127", "酒业", "酒水批发部", "", 1.0, 1.0, 0.0, 0.1),
    ("F5165", "建材", "建材经营部", "", 1.5, 0.8, 0.0, 0.2),
    ("F5174", "五金机电", "五金店", "", 1.0, 1.0, 0.0, 0.1),
    ("F5176", "电脑科技", "电脑经营部", "", 0.6, 0.3, 0.0, 0.1),
    ("F5191", "再生资源", "废品回收站", "", 0.5, 0.6, 0.0, 0.3),
    ("F5193", "电子商务", "", "", 1.5, 0.3, 0.0, 0.3),
    ("F5199", "商贸", "商行", "", 3.0, 0.5, 0.0, 0.2),
    ("F5211", "百货", "百货店", "", 0.5, 2.0, 0.0, 0.0),
    ("F5212", "超市", "便利店", "", 0.4, 3.5, 0.0, 0.0),
    ("F5223", "果蔬", "水果店", "", 0.1, 2.5, 0.3, 0.0),
    ("F5224", "生鲜", "鲜肉店", "", 0.1, 2.0, 0.2, 0.0),
    ("F5226", "茶业", "茶叶店", "", 0.2, 1.2, 0.0, 0.0),
    ("F5232", "服饰", "服装店", "", 0.5, 3.0, 0.0, 0.0),
    ("F5251", "大药房", "药店", "", 0.5, 0.8, 0.0, 0.1),
    ("F5261", "汽车销售", "", "", 0.5, 0.0, 0.0, 0.1),
    ("F5263", "汽车配件", "汽配店", "", 0.3, 1.0, 0.0, 0.1),
    ("F5274", "通讯", "手机店", "", 0.3, 1.5, 0.0, 0.1),
    ("F5292", "网络科技", "网店", "", 1.0, 2.5, 0.0, 0.2),
    ("G5431", "物流", "货运部", "", 1.0, 1.0, 0.0, 0.2),
    ("G5821", "供应链", "", "", 0.6, 0.0, 0.0, 0.2),
    ("G5920", "仓储", "", "", 0.3, 0.0, 0.0, 0.1),
    ("G6020", "快递", "快递代办点", "", 0.2, 0.6, 0.0, 0.1),
    ("H6110", "酒店管理", "", "", 0.4, 0.0, 0.0, 0.1),
    ("H6121", "酒店", "旅馆", "", 0.3, 0.8, 0.0, 0.1),
    ("H6130", "民宿", "民宿", "", 0.1, 0.6, 0.1, 0.1),
    ("H6210", "餐饮管理", "餐馆", "", 1.0, 3.0, 0.0, 0.1),
    ("H6220", "餐饮", "快餐店", "", 0.3, 1.5, 0.0, 0.1),
    ("H6231", "茶文化", "茶馆", "", 0.2, 1.5, 0.0, 0.1),
    ("H6241", "餐饮配送", "", "", 0.2, 0.2, 0.0, 0.1),
    ("H6291", "小吃", "小吃店", "", 0.1, 3.0, 0.0, 0.1),
    ("I6410", "网络", "", "", 0.4, 0.0, 0.0, 0.1),
    ("I6429", "网络科技", "", "", 0.8, 0.0, 0.0, 0.2),
    ("I6432", "互联网科技", "", "", 0.3, 0.0, 0.0, 0.2),
    ("I6511", "软件", "", "", 0.3, 0.0, 0.0, 0.0),
    ("I6513", "软件开发", "", "", 1.2, 0.0, 0.0, 0.0),
    ("I6520", "芯片设计", "", "", 0.1, 0.0, 0.0, -0.1),
    ("I6531", "信息技术", "", "", 1.2, 0.0, 0.0, 0.0),
    ("I6532", "物联网科技", "", "", 0.4, 0.0, 0.0, 0.1),
    ("I6560", "信息咨询", "", "", 0.8, 0.0, 0.0, 0.1),
    ("I6572", "动漫", "", "", 0.3, 0.0, 0.0, 0.1),
    ("I6599", "科技", "", "", 1.0, 0.0, 0.0, 0.1),
    ("J6633", "典当", "", "", 0.05, 0.0, 0.0, 0.4),
    ("J6635", "小额贷款", "", "", 0.1, 0.0, 0.0, 0.5),
    ("J6637", "金融信息服务", "", "", 0.05, 0.0, 0.0, 1.0),
    ("J6739", "私募基金管理", "", "", 0.1, 0.0, 0.0, 0.4),
    ("J6760", "股权投资", "", "", 0.4, 0.0, 0.0, 0.4),
    ("J6852", "保险代理", "", "", 0.2, 0.0, 0.0, 0.2),
    ("K7010", "房地产开发", "", "", 0.9, 0.0, 0.0, 0.3),
    ("K7020", "物业管理", "", "", 1.0, 0.0, 0.0, 0.1),
    ("K7030", "房地产经纪", "房屋中介", "", 0.6, 0.4, 0.0, 0.2),
    ("K7040", "置业", "", "", 0.3, 0.0, 0.0, 0.2),
    ("L7111", "汽车租赁", "汽车租赁部", "", 0.3, 0.1, 0.0, 0.2),
    ("L7211", "企业管理", "", "", 0.3, 0.0, 0.0, 0.1),
    ("L7212", "投资管理", "", "", 1.2, 0.0, 0.0, 0.5),
    ("L7224", "供应链管理", "", "", 0.6, 0.0, 0.0, 0.2),
    ("L7239", "法律咨询", "", "", 0.1, 0.0, 0.0, 0.0),
    ("L7241", "财务咨询", "代理记账部", "", 0.6, 0.1, 0.0, 0.1),
    ("L7243", "企业管理咨询", "", "", 1.5, 0.0, 0.0, 0.3),
    ("L7251", "网络传媒", "", "", 0.4, 0.0, 0.0, 0.1),
    ("L7259", "广告", "广告部", "", 1.0, 0.6, 0.0, 0.1),
    ("L7262", "人力资源", "", "", 0.4, 0.0, 0.0, 0.2),
    ("L7263", "劳务", "", "", 0.5, 0.0, 0.0, 0.3),
    ("L7281", "会展服务", "", "", 0.3, 0.0, 0.0, 0.1),
    ("L7291", "旅行社", "", "", 0.3, 0.0, 0.0, 0.1),
    ("L7296", "担保", "", "", 0.1, 0.0, 0.0, 0.5),
    ("L7297", "商务信息咨询", "", "", 1.2, 0.2, 0.0, 0.4),
    ("L7299", "商务服务", "", "", 0.8, 0.3, 0.0, 0.3),
    ("M7320", "科技", "", "", 0.8, 0.0, 0.0, 0.0),
    ("M7340", "生物科技", "", "", 0.3, 0.0, 0.0, 0.0),
    ("M7481", "工程管理", "", "", 0.5, 0.0, 0.0, 0.0),
    ("M7491", "工业设计", "", "", 0.2, 0.0, 0.0, 0.0),
    ("M7492", "设计", "设计工作室", "", 0.6, 0.3, 0.0, 0.05),
    ("M7513", "新材料科技", "", "", 0.3, 0.0, 0.0, 0.0),
    ("M7519", "技术服务", "", "", 1.2, 0.0, 0.0, 0.1),
    ("M7520", "知识产权代理", "", "", 0.2, 0.0, 0.0, 0.1),
    ("M7530", "科技服务", "", "", 0.3, 0.0, 0.0, 0.1),
    ("M7540", "创业服务", "", "", 0.2, 0.0, 0.0, 0.1),
    ("N7721", "环保科技", "", "", 0.3, 0.0, 0.0, 0.0),
    ("N7723", "环境工程", "", "", 0.2, 0.0, 0.0, 0.1),
    ("N7820", "保洁服务", "保洁服务部", "", 0.3, 0.2, 0.0, 0.0),
    ("N7840", "园林绿化", "苗木经营部", "苗木种植", 0.5, 0.2, 0.3, 0.0),
    ("O8010", "家政服务", "家政服务部", "", 0.4, 1.0, 0.0, 0.1),
    ("O8030", "洗染", "干洗店", "", 0.02, 0.6, 0.0, 0.0),
    ("O8040", "美容", "理发店", "", 0.3, 2.5, 0.0, 0.1),
    ("O8051", "洗浴", "浴室", "", 0.1, 0.3, 0.0, 0.1),
    ("O8053", "健康管理", "养生馆", "", 0.5, 1.0, 0.0, 0.3),
    ("O8111", "汽车服务", "汽车修理部", "", 0.4, 1.5, 0.0, 0.1),
    ("O8131", "家电维修", "家电维修部", "", 0.05, 0.6, 0.0, 0.0),
    ("P8391", "职业技能培训", "", "", 0.3, 0.0, 0.0, 0.2),
    ("P8393", "文化艺术培训", "艺术培训部", "", 0.4, 0.3, 0.0, 0.2),
    ("P8394", "教育咨询", "", "", 0.5, 0.0, 0.0, 0.2),
    ("Q8415", "医院管理", "", "", 0.2, 0.0, 0.0, 0.2),
    ("Q8425", "医疗管理", "诊所", "", 0.2, 0.4, 0.0, 0.1),
    ("Q8514", "养老服务", "", "", 0.2, 0.0, 0.0, 0.1),
    ("R8730", "影视文化", "", "", 0.4, 0.0, 0.0, 0.2),
    ("R8810", "文化艺术", "", "", 0.3, 0.0, 0.0, 0.1),
    ("R8930", "健身", "健身房", "", 0.3, 0.4, 0.0, 0.2),
    ("R9011", "娱乐", "歌舞厅", "", 0.2, 0.2, 0.0, 0.3),
    ("R9013", "网络会所", "网吧", "", 0.05, 0.4, 0.0, 0.2),
    ("R9051", "文化传播", "", "", 1.2, 0.0, 0.0, 0.2),
    ("R9053", "文化经纪", "", "", 0.2, 0.0, 0.0, 0.2),
)
_IND_CODES: Final = tuple(row[0] for row in _INDUSTRIES)
_IND_RISK: Final = np.array([row[7] for row in _INDUSTRIES])
# Section multipliers of the company weights per org type (the table weights are for LLCs).
_KIND_SECTION_BOOST: Final = {
    JSC: {"C": 4.0, "J": 6.0, "K": 3.0, "D": 4.0, "E": 2.0},
    SOLE: {"F": 2.0, "H": 3.0, "O": 3.0, "L": 1.5, "E": 0.3, "J": 0.0, "K": 0.2},
    PART: {"L": 3.0, "J": 12.0, "F": 0.3, "E": 0.2, "C": 0.1},
}
_SHELL_INDUSTRIES: Final = ("L7243", "L7297", "F5199", "F5193", "M7519", "L7212", "I6599")
_HOLDING_INDUSTRIES: Final = ("L7211", "L7212")
_CONSUMER_SECTIONS: Final = frozenset("FHOPQR")

# fmt: off
_NICE_CAPITAL: Final = np.array(
    [1, 3, 5, 10, 20, 30, 50, 100, 200, 300, 500, 1000, 2000, 3000, 5000, 10000, 20000,
     50000, 100000],
    dtype=np.float64,
)
# Median registered capital (万元) and log-sd per org type.
_CAPITAL_MEDIAN: Final = (100.0, 5000.0, 10.0, 300.0, 5.0, 100.0)
_CAPITAL_SIGMA: Final = (1.4, 1.2, 1.0, 1.6, 1.1, 1.0)

# Firm-count weights of Chengdu's county-level divisions.
_CHENGDU_WEIGHTS: Final = {
    "510104": 8.0, "510105": 8.0, "510106": 9.0, "510107": 12.0, "510108": 8.0,
    "510112": 6.0, "510113": 2.0, "510114": 6.0, "510115": 4.0, "510116": 9.0,
    "510117": 5.0, "510118": 2.0, "510121": 2.0, "510129": 1.5, "510131": 1.0,
    "510181": 2.5, "510182": 2.0, "510183": 1.5, "510184": 1.5, "510185": 2.0,
}
_RURAL_CHENGDU: Final = frozenset(
    {"510118", "510121", "510129", "510131", "510181", "510182", "510183", "510184",
     "510185", "510117", "510113"}
)
_CHENGDU_SHARE: Final = 0.85
_PROVINCE_ABBR: Final = {
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "内", "21": "辽", "22": "吉",
    "23": "黑", "31": "沪", "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣",
    "37": "鲁", "41": "豫", "42": "鄂", "43": "湘", "44": "粤", "45": "桂", "46": "琼",
    "50": "渝", "51": "川", "52": "黔", "53": "滇", "54": "藏", "61": "陕", "62": "甘",
    "63": "青", "64": "宁", "65": "新",
}

_BRAND_CHARS: Final = "".join(
    dict.fromkeys(
        "鑫瑞华信恒泰达盛嘉宏佳丰源鼎汇祥锦川蜀博远航宇星辰创新志德诚隆昌兴顺发富安康和平"
        "永福禄广利中海东江河山峰林森青蓝云晨明光辉耀阳朗鸿鹏飞龙凤麒麟豪英俊睿智聪慧卓越"
        "优品尚雅致美晶钰铭润泽沃腾骏驰凯旋联合众力合创益万通宝元亨金玉银璟琪瑾璐瑜晟昊"
        "煜炜烨熙皓曜坤乾泓淼澜沛霖溢洲岳峻嵘崇巍景颂弘毅正道天府蓉锦城"
    )
)
_SURNAMES: Final[tuple[tuple[str, float], ...]] = (
    ("李", 7.9), ("王", 7.1), ("张", 6.8), ("刘", 5.4), ("陈", 4.6), ("杨", 3.1),
    ("黄", 2.2), ("赵", 2.0), ("吴", 2.0), ("周", 1.9), ("徐", 1.5), ("孙", 1.3),
    ("马", 1.2), ("朱", 1.2), ("胡", 1.3), ("郭", 1.1), ("何", 1.3), ("高", 1.0),
    ("林", 1.0), ("罗", 1.2), ("郑", 0.8), ("梁", 0.8), ("谢", 0.8), ("宋", 0.7),
    ("唐", 0.9), ("许", 0.6), ("韩", 0.6), ("冯", 0.6), ("邓", 0.8), ("曹", 0.6),
    ("彭", 0.7), ("曾", 0.7), ("肖", 0.6), ("田", 0.5), ("董", 0.5), ("袁", 0.5),
    ("潘", 0.4), ("于", 0.4), ("蒋", 0.5), ("蔡", 0.4), ("余", 0.5), ("杜", 0.4),
    ("叶", 0.4), ("程", 0.4), ("苏", 0.3), ("魏", 0.3), ("吕", 0.3), ("丁", 0.3),
    ("任", 0.4), ("沈", 0.3), ("姚", 0.3), ("卢", 0.3), ("姜", 0.3), ("崔", 0.2),
    ("钟", 0.3), ("谭", 0.3), ("陆", 0.2), ("汪", 0.2), ("范", 0.2), ("金", 0.2),
    ("石", 0.2), ("廖", 0.3), ("贾", 0.2), ("夏", 0.2), ("韦", 0.2), ("付", 0.2),
    ("方", 0.2), ("白", 0.2), ("邹", 0.2), ("孟", 0.2), ("熊", 0.2), ("秦", 0.2),
    ("邱", 0.2), ("江", 0.2), ("尹", 0.2), ("薛", 0.1), ("闫", 0.1), ("段", 0.1),
    ("雷", 0.2), ("侯", 0.1), ("龙", 0.1), ("史", 0.1), ("陶", 0.1), ("黎", 0.1),
    ("贺", 0.1), ("顾", 0.1), ("毛", 0.1), ("郝", 0.1), ("龚", 0.1), ("邵", 0.1),
    ("万", 0.1), ("钱", 0.1), ("严", 0.1), ("覃", 0.1), ("武", 0.1), ("戴", 0.1),
    ("莫", 0.1), ("孔", 0.1), ("向", 0.1), ("汤", 0.1), ("欧阳", 0.02), ("司马", 0.005),
    ("诸葛", 0.005), ("上官", 0.005),
)
_MALE_CHARS: Final = (
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林洋峰建国志文兵亮成东海春晓"
)
_FEMALE_CHARS: Final = (
    "芳娜敏静丽艳娟霞秀玲燕萍红婷雪琳慧莉丹洁颖倩晶梅琴兰英凤欣怡佳悦蕾璐瑶思雨萱涵"
)
_CHENGDU_STREETS: Final = (
    "天府大道北段", "天府大道中段", "天府大道南段", "人民南路四段", "人民北路一段", "科华北路",
    "科华南路", "蜀汉路", "一环路南三段", "二环路西一段", "二环路东二段", "三环路北四段",
    "武侯祠大街", "红星路三段", "双楠路", "建设路", "沙湾路", "羊西线", "府城大道西段",
    "剑南大道中段", "益州大道北段", "交子大道", "锦华路一段", "东大街", "蜀都大道", "航空路",
    "新光路", "天仁路", "吉泰路", "世纪城路", "成汉南路", "高朋大道", "创业路", "西芯大道",
    "合作路", "百草路", "金周路", "迎宾大道", "光华大道", "清江东路", "永丰路", "芳草街",
    "玉林北路", "紫荆西路", "金沙南路", "营门口路", "驷马桥路", "八里庄路", "龙泉大道",
    "驿都大道", "成龙大道", "大件路", "物流大道", "川陕路", "蓉都大道", "柳城大道",
)
_GENERIC_STREETS: Final = (
    "人民路", "解放路", "建设路", "中山路", "新华路", "和平路", "胜利路", "文化路", "朝阳路",
    "滨江路", "长江路", "迎宾路", "南大街", "北大街", "东大街", "西大街", "工业大道", "科技路",
)
_TOWER_SUFFIX: Final = ("大厦", "国际", "广场", "中心", "商务中心", "时代广场", "国际中心")
_TOWN_CHARS: Final = "安兴福永太平白马石桥清泉新民双河三合红光金龙寿宁青松梨花"
# fmt: on
_SHOP_KINDS: Final = ("中心", "经营部", "工作室", "商行")
_DIGITS_CN: Final = "〇一二三四五六七八九十"

# --------------------------------------------------------------------------- helpers


def _rng(seed: int, stage: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, stage]))


def _strs(values: Sequence[str]) -> Any:
    return pa.array(list(values), type=pa.string())


def _take(values: Sequence[str], idx: npt.NDArray[Any]) -> Any:
    return _strs(values).take(pa.array(np.asarray(idx, dtype=np.int64)))


def _cat(*parts: Any) -> Any:
    return pc.binary_join_element_wise(*parts, "")


def _int_str(values: npt.NDArray[Any], width: int = 0) -> Any:
    out = pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())
    if width:
        out = pc.utf8_lpad(out, width=width, padding="0")
    return out


def _fixed(values: Ints, decimals: int, missing: Bools | None = None) -> Any:
    """Format integers counted in 10**-decimals units as fixed-point decimal text."""
    scale = 10**decimals
    v = np.maximum(values, 0)
    out = _cat(_int_str(v // scale), ".", _int_str(v % scale, decimals))
    if missing is not None and missing.any():
        out = pc.if_else(pa.array(missing), pa.scalar(None, pa.string()), out)
    return out


def _dates(days: Ints, missing: Bools | None = None) -> Any:
    arr = pa.array(np.asarray(days, dtype=np.int32), type=pa.int32())
    if missing is not None:
        arr = pa.array(np.asarray(days, dtype=np.int32), mask=missing, type=pa.int32())
    return arr.cast(pa.date32())


def _ascii(matrix: Bytes) -> Any:
    """Rows of an (n, k) uint8 matrix of ASCII codes as a string array."""
    k = matrix.shape[1]
    raw = np.ascontiguousarray(matrix).view(f"S{k}").ravel()
    return pc.cast(pa.array(raw, type=pa.binary(k)).cast(pa.binary()), pa.string())


def _digit_matrix(values: Ints, width: int) -> Bytes:
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return ((values[:, None] // powers) % 10 + 48).astype(np.uint8)


def _code_matrix(codes: Sequence[str]) -> Bytes:
    return np.frombuffer("".join(codes).encode("ascii"), dtype=np.uint8).reshape(len(codes), -1)


def _group_rank(keys: Ints, order_by: Ints) -> Ints:
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


def _pick_weighted(rng: np.random.Generator, weights: Floats, size: int) -> Ints:
    p = weights / weights.sum()
    return rng.choice(len(p), size=size, p=p).astype(np.int64)


def _sigmoid(x: Floats) -> Floats:
    return 1.0 / (1.0 + np.exp(-x))


def _zscore(x: Floats) -> Floats:
    sd = float(x.std())
    return (x - x.mean()) / sd if sd > 0 else np.zeros_like(x)


def _chinese_ordinal(k: int) -> str:
    if k <= 10:
        return _DIGITS_CN[k]
    if k < 20:
        return "十" + _DIGITS_CN[k - 10]
    tens, ones = divmod(k, 10)
    return _DIGITS_CN[tens] + "十" + (_DIGITS_CN[ones] if ones else "")


# --------------------------------------------------------------------------- check chars

_USCC_VALUE = np.zeros(128, dtype=np.int64)
for _i, _ch in enumerate(USCC_ALPHABET):
    _USCC_VALUE[ord(_ch)] = _i
_ORG_VALUE = np.zeros(128, dtype=np.int64)
for _i in range(10):
    _ORG_VALUE[48 + _i] = _i
for _i in range(26):
    _ORG_VALUE[65 + _i] = 10 + _i
_USCC_WEIGHTS = np.array([pow(3, i, 31) for i in range(17)], dtype=np.int64)
_ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ID_WEIGHTS = np.array([pow(2, 18 - p, 11) for p in range(1, 18)], dtype=np.int64)
_USCC_BYTES = np.frombuffer(USCC_ALPHABET.encode("ascii"), dtype=np.uint8)
_ORG_CHECK = np.frombuffer(b"0123456789X0", dtype=np.uint8)  # index 11 - s % 11 (1..11)
_ID_CHECK = np.frombuffer(b"0123456789X", dtype=np.uint8)


def _complete_uscc(prefix: Bytes) -> Bytes:
    """Append the GB 11714 and GB 32100 check characters to (n, 16) USCC prefixes."""
    org_sum = (_ORG_VALUE[prefix[:, 8:16]] * _ORG_WEIGHTS).sum(axis=1)
    org_check = _ORG_CHECK[(11 - org_sum % 11) % 12]
    first17 = np.concatenate([prefix, org_check[:, None]], axis=1)
    total = (_USCC_VALUE[first17] * _USCC_WEIGHTS).sum(axis=1)
    last = _USCC_BYTES[(31 - total % 31) % 31]
    return np.concatenate([first17, last[:, None]], axis=1)


def _complete_id(prefix: Bytes) -> Bytes:
    """Append the ISO 7064 MOD 11-2 check character to (n, 17) ID-number prefixes."""
    total = ((prefix.astype(np.int64) - 48) * _ID_WEIGHTS).sum(axis=1)
    check = _ID_CHECK[(12 - total % 11) % 11]
    return np.concatenate([prefix, check[:, None]], axis=1)


def _cross_check(uscc: Bytes, ids: Bytes) -> None:
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


# --------------------------------------------------------------------------- regions


@dataclass(frozen=True)
class _Regions:
    codes: list[str]
    full: list[str]  # 四川省成都市武侯区
    local: list[str]  # 成都市武侯区 / 金堂县 / 绵阳市 / 北京市东城区
    city_short: list[str]  # 成都
    province_short: list[str]  # 四川
    district_short: list[str]  # 武侯 ('' for a city-level code)
    authority: list[str]  # 成都市武侯区市场监督管理局
    city_authority: list[str]  # 成都市市场监督管理局
    court: list[str]  # 成都市武侯区人民法院
    doc_abbr: list[str]  # 成武
    city_abbr: list[str]  # 成
    court_code: list[str]  # 川0107
    chengdu: Bools
    countryside: Bools  # Chengdu's rural counties and other Sichuan prefectures
    firm_weight: Floats
    person_weight: Floats


def _strip_suffix(name: str, suffixes: Sequence[str]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _short(name: str) -> str:
    if name.endswith("自治州") or name.endswith("自治区"):
        return name[:3] if name.startswith(("内蒙古", "黑龙江")) else name[:2]
    return _strip_suffix(name, ("省", "市", "地区"))


def _load_regions() -> _Regions:
    table = known_codes("")
    has_children = {c[:4] for c in table if c[4:] != "00"}
    codes = [c for c in table if c[2:] != "0000" and not (c[4:] == "00" and c[:4] in has_children)]
    full, local, city_s, prov_s, dist_s = [], [], [], [], []
    authority, city_auth, court, doc_abbr, city_abbr, court_code = [], [], [], [], [], []
    for code in codes:
        prov_name = full_name(code[:2] + "0000")
        whole = full_name(code)
        rest = whole[len(prov_name) :]
        municipality = code[:2] in {"11", "12", "31", "50"}
        if code[4:] == "00":  # city-level code used directly
            city, district = rest, ""
        elif municipality:
            city, district = prov_name, rest
        else:
            city_full = full_name(code[:4] + "00")
            city, district = city_full[len(prov_name) :], whole[len(city_full) :]
        full.append(whole)
        city_s.append(_short(city))
        prov_s.append(_short(prov_name))
        d_short = _strip_suffix(district, ("区", "县", "市")) if district else ""
        dist_s.append(d_short)
        if not district:
            here = city
        elif district.endswith("区"):
            here = city + district
        else:
            here = district
        local.append(here)
        authority.append(here + "市场监督管理局")
        city_auth.append(city + "市场监督管理局")
        court.append(here + ("中级人民法院" if not district else "人民法院"))
        c_abbr = _PROVINCE_ABBR[code[:2]] if municipality else city[0]
        city_abbr.append(c_abbr)
        doc_abbr.append(c_abbr + (d_short[:2] if len(d_short) > 2 else d_short[:1]))
        abbr = _PROVINCE_ABBR.get(code[:2], "")
        court_code.append(abbr + (code[2:4] if not district else code[2:6]))
    chengdu = np.array([c.startswith("5101") for c in codes])
    countryside = np.array(
        [c in _RURAL_CHENGDU or (c.startswith("51") and not c.startswith("5101")) for c in codes]
    )
    firm_weight = np.array([_CHENGDU_WEIGHTS.get(c, 0.0) for c in codes])
    firm_weight = firm_weight / firm_weight.sum() * _CHENGDU_SHARE
    others = ~chengdu
    other_w = np.where(np.array([c.startswith("51") for c in codes]), 3.0, 1.0) * others
    firm_weight = firm_weight + other_w / other_w.sum() * (1.0 - _CHENGDU_SHARE)
    person_w = np.where(chengdu, 0.55 / max(1, int(chengdu.sum())), 0.0)
    sichuan_other = np.array([c.startswith("51") and not c.startswith("5101") for c in codes])
    rest_mask = ~chengdu & ~sichuan_other
    person_w = person_w + np.where(sichuan_other, 0.33 / max(1, int(sichuan_other.sum())), 0.0)
    person_w = person_w + np.where(rest_mask, 0.12 / max(1, int(rest_mask.sum())), 0.0)
    return _Regions(
        codes=codes,
        full=full,
        local=local,
        city_short=city_s,
        province_short=prov_s,
        district_short=dist_s,
        authority=authority,
        city_authority=city_auth,
        court=court,
        doc_abbr=doc_abbr,
        city_abbr=city_abbr,
        court_code=court_code,
        chengdu=chengdu,
        countryside=countryside,
        firm_weight=firm_weight,
        person_weight=person_w / person_w.sum(),
    )


# --------------------------------------------------------------------------- stage data


@dataclass
class _Firms:
    n: int
    n_main: int
    kind: Ints
    branch_parent: Ints  # -1 unless a branch
    group: Ints  # -1 unless a group member
    group_parent: Ints  # controlling parent inside the group, -1 for roots / others
    group_depth: Ints  # 0 = holding company, -1 = not in a group
    established: Ints  # days since 1970-01-01
    region: Ints
    industry: Ints
    regcap: Ints  # 1/100 万元; -1 = missing (branches)
    paidin: Ints
    brand: Ints  # c1 * 1_000_000 + c2 * 1_000 + (c3 + 1)


@dataclass
class _Plan:
    ring: Ints  # ring id per firm or -1
    n_rings: int
    loop: Ints  # loop id per firm or -1
    loop_pos: Ints
    loop_len: Ints  # per loop
    n_hotspots: int


@dataclass
class _Sites:
    site: Ints  # site id per firm
    text: Any  # pa string array per site
    building: Ints  # cluster building id per firm or -1
    hotspot: Ints  # hotspot id per firm or -1
    n_buildings: int


@dataclass
class _People:
    n_persons: int
    slot_firm: Ints
    slot_role: Ints
    slot_person: Ints
    slot_since: Ints
    slot_until: Ints  # -1 = current
    hub: Bools  # per person
    hub_firm: Bools  # per firm: a hub person holds an office there
    group_core: Ints  # per group: first controller person


@dataclass
class _Invest:
    investee: Ints
    is_firm: Bools
    investor: Ints
    bp: Ints  # ratio in 1/10000
    since: Ints


@dataclass
class _Risk:
    attr: Floats  # observable attribute part
    latent: Floats  # after contagion
    neighbour: Floats  # neighbours' mean latent risk (last round)
    status: Ints


@dataclass
class _Violations:
    firm: Ints
    kind: Ints
    date: Ints
    status: Ints
    removed: Ints  # -1 = none
    amount: Ints  # 元, -1 = none


# --------------------------------------------------------------------------- 1 entities


def _industry_weights(kind: int) -> Floats:
    col = 5 if kind == INDIV else 6 if kind == COOP else 4
    w = np.array([row[col] for row in _INDUSTRIES], dtype=np.float64)
    boost = _KIND_SECTION_BOOST.get(kind)
    if boost:
        w = w * np.array([boost.get(code[0], 1.0) for code in _IND_CODES])
    return w


def _draw_capital(rng: np.random.Generator, kind: Ints, scale: Floats) -> Ints:
    median = np.asarray(_CAPITAL_MEDIAN)[kind] * scale
    sigma = np.asarray(_CAPITAL_SIGMA)[kind]
    wan = np.exp(np.log(median) + sigma * rng.standard_normal(len(kind)))
    wan = np.clip(wan, 0.1, 5_000_000.0)
    log_nice = np.log(_NICE_CAPITAL)
    nearest = _NICE_CAPITAL[np.searchsorted((log_nice[1:] + log_nice[:-1]) / 2, np.log(wan))]
    snap = rng.random(len(kind)) < np.where(kind == INDIV, 0.8, 0.7)
    wan = np.where(snap, nearest, wan)
    return np.round(wan * 100).astype(np.int64)


def _draw_paidin(rng: np.random.Generator, kind: Ints, est: Ints, regcap: Ints) -> Ints:
    n = len(kind)
    pre = est < SUBSCRIPTION_REFORM
    p_zero = np.asarray((0.60, 0.20, 0.50, 0.50, 0.60, 0.50))[kind]
    p_full = np.asarray((0.15, 0.30, 0.30, 0.20, 0.40, 0.30))[kind]
    p_zero = np.where(pre, 0.03, p_zero)
    p_full = np.where(pre, 0.85, p_full)
    u = rng.random(n)
    frac = rng.beta(2.0, 2.0, n)
    frac = np.where(u < p_zero, 0.0, np.where(u < p_zero + p_full, 1.0, frac))
    return np.floor(regcap * frac).astype(np.int64)


def _draw_age_days(rng: np.random.Generator, size: int) -> Ints:
    age = rng.exponential(7.0 * YEAR, size)
    too_old = age > 30 * YEAR - 1
    age[too_old] = rng.uniform(0, 30 * YEAR - 1, int(too_old.sum()))
    return np.maximum(age.astype(np.int64), 1)


def _draw_brands(rng: np.random.Generator, size: int, three_share: float) -> Ints:
    nb = len(_BRAND_CHARS)
    c1 = rng.integers(0, nb, size)
    c2 = (c1 + rng.integers(1, nb, size)) % nb
    c3 = np.where(rng.random(size) < three_share, rng.integers(0, nb, size), -1)
    brand: Ints = (c1 * 1_000_000 + c2 * 1_000 + (c3 + 1)).astype(np.int64)
    return brand


def _stage_entities(rng: np.random.Generator, n: int, reg: _Regions) -> _Firms:
    n_branch = round(n * BRANCH_SHARE) if n >= 200 else 0
    n_main = n - n_branch
    kind = rng.choice(6, size=n_main, p=np.asarray(_KIND_P)).astype(np.int64)

    # Company groups: random recursive trees, depth capped at 3 (4 levels).
    target = int(n_main * GROUP_SHARE)
    draws = np.minimum(2 + np.floor(rng.pareto(1.5, max(1, target)) * 3), 60).astype(np.int64)
    n_groups = int(np.searchsorted(np.cumsum(draws), target) + 1) if target >= 2 else 0
    sizes = draws[:n_groups]
    members = rng.choice(n_main, size=int(sizes.sum()), replace=False).astype(np.int64)
    gid = np.repeat(np.arange(n_groups), sizes)
    starts = np.r_[0, np.cumsum(sizes)[:-1]].astype(np.int64)
    pos = np.arange(len(members)) - np.repeat(starts, sizes)
    parent_row = np.full(len(members), -1, dtype=np.int64)
    depth = np.zeros(len(members), dtype=np.int64)
    est_main = REF - _draw_age_days(rng, n_main)
    root_rows = starts
    est_main[members[root_rows]] = np.minimum(
        est_main[members[root_rows]], REF - rng.integers(int(5 * YEAR), int(28 * YEAR), n_groups)
    )
    by_pos = np.argsort(pos, kind="stable")
    bounds = np.searchsorted(pos[by_pos], np.arange(int(pos.max(initial=0)) + 2))
    for p in range(1, int(pos.max(initial=0)) + 1):
        rows = by_pos[bounds[p] : bounds[p + 1]]
        cand = starts[gid[rows]] + np.floor(rng.random(len(rows)) * p).astype(np.int64)
        deep = depth[cand] >= 3
        cand = np.where(deep, parent_row[cand], cand)
        parent_row[rows] = cand
        depth[rows] = depth[cand] + 1
        parent_est = est_main[members[cand]]
        child = np.maximum(est_main[members[rows]], parent_est + rng.integers(60, 2000, len(rows)))
        est_main[members[rows]] = np.minimum(child, REF - 1)
    group = np.full(n_main, -1, dtype=np.int64)
    group[members] = gid
    group_parent = np.full(n_main, -1, dtype=np.int64)
    group_parent[members] = np.where(parent_row >= 0, members[np.maximum(parent_row, 0)], -1)
    group_depth = np.full(n_main, -1, dtype=np.int64)
    group_depth[members] = depth
    kind[members] = LLC
    kind[members[root_rows]] = np.where(rng.random(n_groups) < 0.25, JSC, LLC)

    # Regions: cooperatives in rural counties; subsidiaries often beside the parent.
    region = _pick_weighted(rng, reg.firm_weight, n_main)
    coop = np.flatnonzero(kind == COOP)
    region[coop] = _pick_weighted(rng, reg.firm_weight * reg.countryside, len(coop))
    child_rows = np.flatnonzero(parent_row >= 0)
    same = child_rows[rng.random(len(child_rows)) < 0.5]
    for p in range(1, int(pos.max(initial=0)) + 1):  # parents before children
        rows = same[pos[same] == p]
        region[members[rows]] = region[members[parent_row[rows]]]

    # Industries per org type; holding companies in 企业总部管理 / 投资与资产管理.
    industry = np.zeros(n_main, dtype=np.int64)
    for k in range(6):
        idx = np.flatnonzero(kind == k)
        industry[idx] = _pick_weighted(rng, _industry_weights(k), len(idx))
    holding = members[root_rows][rng.random(n_groups) < 0.6]
    industry[holding] = rng.choice(
        [_IND_CODES.index(c) for c in _HOLDING_INDUSTRIES], size=len(holding)
    )

    scale = np.ones(n_main)
    scale[members] = 4.0
    scale[members[root_rows]] = np.where(kind[members[root_rows]] == JSC, 3.0, 20.0)
    regcap = _draw_capital(rng, kind, scale)
    paidin = _draw_paidin(rng, kind, est_main, regcap)

    brand = _draw_brands(rng, n_main, 0.3)
    brand[members] = brand[members[root_rows]][gid]  # a group shares its brand

    # Branches (分公司) of larger companies, registered in Chengdu districts.
    eligible = np.flatnonzero(np.isin(kind, _COMPANY_KINDS))
    w = np.sqrt(regcap[eligible].astype(np.float64) + 100.0)
    parents = eligible[_pick_weighted(rng, w, n_branch)] if n_branch else np.zeros(0, np.int64)
    b_est = np.minimum(est_main[parents] + rng.integers(30, 3000, n_branch), REF - 1)
    b_est = np.maximum(b_est, est_main[parents])
    b_region = _pick_weighted(rng, reg.firm_weight * reg.chengdu, n_branch)

    def _ext(main: Ints, tail: Ints) -> Ints:
        return np.concatenate([main, tail]).astype(np.int64)

    minus = np.full(n_branch, -1, dtype=np.int64)
    return _Firms(
        n=n,
        n_main=n_main,
        kind=_ext(kind, kind[parents]),
        branch_parent=_ext(np.full(n_main, -1, dtype=np.int64), parents),
        group=_ext(group, minus),
        group_parent=_ext(group_parent, minus),
        group_depth=_ext(group_depth, minus),
        established=_ext(est_main, b_est),
        region=_ext(region, b_region),
        industry=_ext(industry, industry[parents]),
        regcap=_ext(regcap, minus),
        paidin=_ext(paidin, minus),
        brand=_ext(brand, brand[parents]),
    )


# --------------------------------------------------------------------------- 2 pattern plan


def _stage_plan(rng: np.random.Generator, f: _Firms, reg: _Regions) -> _Plan:
    n = f.n
    is_parent = np.zeros(n, dtype=bool)
    is_parent[f.branch_parent[f.branch_parent >= 0]] = True
    pool = np.flatnonzero((f.kind == LLC) & (f.group < 0) & (f.branch_parent < 0) & ~is_parent)
    pool = pool[rng.permutation(len(pool))]
    n_rings = max(3, round(n / 4000))
    ring_sizes = np.minimum(5 + rng.geometric(0.35, n_rings) - 1, 12)
    n_loops = max(3, round(n / 5000))
    loop_len = rng.choice([2, 3, 4], size=n_loops, p=[0.3, 0.4, 0.3]).astype(np.int64)
    need = int(ring_sizes.sum() + loop_len.sum())
    if need > len(pool) // 2:
        raise ValueError(f"too few enterprises ({n}) to plant the risk patterns")
    ring_members = pool[: int(ring_sizes.sum())]
    loop_members = pool[int(ring_sizes.sum()) : need]

    ring = np.full(n, -1, dtype=np.int64)
    ring_id = np.repeat(np.arange(n_rings), ring_sizes)
    ring[ring_members] = ring_id
    # Shell attributes: batch-registered, round subscribed capital never paid in.
    base = REF - rng.integers(int(0.5 * YEAR), int(4 * YEAR), n_rings)
    f.established[ring_members] = np.minimum(
        base[ring_id] + rng.integers(0, 120, len(ring_members)), REF - 1
    )
    ring_region = _pick_weighted(rng, reg.firm_weight * reg.chengdu, n_rings)
    f.region[ring_members] = ring_region[ring_id]
    f.industry[ring_members] = rng.choice(
        [_IND_CODES.index(c) for c in _SHELL_INDUSTRIES], size=len(ring_members)
    )
    f.regcap[ring_members] = (
        rng.choice(np.asarray([100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0]), len(ring_members))
        * 100
    ).astype(np.int64)
    f.paidin[ring_members] = 0

    loop = np.full(n, -1, dtype=np.int64)
    loop_pos = np.full(n, -1, dtype=np.int64)
    loop[loop_members] = np.repeat(np.arange(n_loops), loop_len)
    starts = np.r_[0, np.cumsum(loop_len)[:-1]]
    loop_pos[loop_members] = np.arange(len(loop_members)) - np.repeat(starts, loop_len)
    n_hot = max(2, round(n / 60000))
    return _Plan(ring, n_rings, loop, loop_pos, loop_len, n_hot)


# --------------------------------------------------------------------------- 3 addresses


def _building_sizes(rng: np.random.Generator, target: int, n_hot: int) -> list[int]:
    sizes: list[int] = []
    remaining = target
    draws = 50 + np.floor(rng.pareto(1.2, max(16, target // 20 + 16)) * 40)
    i = 0
    while remaining >= 50:
        s = int(min(draws[i % len(draws)], 500, remaining))
        if len(sizes) < n_hot:
            s = min(s, max(50, remaining - 50 * (n_hot - 1 - len(sizes))))
        sizes.append(s)
        remaining -= s
        i += 1
    return sizes


def _stage_addresses(rng: np.random.Generator, f: _Firms, plan: _Plan, reg: _Regions) -> _Sites:
    n = f.n
    eligible = np.flatnonzero(
        (f.branch_parent < 0)
        & np.isin(f.kind, (LLC, SOLE, PART))
        & (f.group < 0)
        & (plan.ring < 0)
        & (plan.loop < 0)
    )
    target = max(int(f.n_main * CLUSTER_SHARE), 50 * plan.n_hotspots + 10)
    target = min(target, len(eligible) // 2)
    sizes = _building_sizes(rng, target, plan.n_hotspots)
    if len(sizes) < plan.n_hotspots:
        raise ValueError(f"too few enterprises ({n}) to plant address hotspots")
    n_b = len(sizes)
    members = rng.choice(eligible, size=int(sum(sizes)), replace=False)
    b_of = np.repeat(np.arange(n_b), sizes)
    building = np.full(n, -1, dtype=np.int64)
    building[members] = b_of
    b_region = _pick_weighted(rng, reg.firm_weight * reg.chengdu, n_b)
    f.region[members] = b_region[b_of]
    hotspot = np.full(n, -1, dtype=np.int64)
    hot_ids = rng.choice(n_b, size=plan.n_hotspots, replace=False)
    hot_of_b = np.full(n_b, -1, dtype=np.int64)
    hot_of_b[np.sort(hot_ids)] = np.arange(plan.n_hotspots)
    hotspot[members] = hot_of_b[b_of]

    site = np.full(n, -1, dtype=np.int64)
    site[members] = b_of
    next_site = n_b
    # One new site per shell ring.
    ring_members = np.flatnonzero(plan.ring >= 0)
    site[ring_members] = next_site + plan.ring[ring_members]
    next_site += plan.n_rings
    # Subsidiaries often sit at the parent's address (same region).
    copy = (f.group_parent >= 0) & (rng.random(n) < 0.3)
    # Ordinary sites: 1-3 firms mostly, within one region.
    rest = np.flatnonzero((site < 0) & ~copy)
    order = np.lexsort((rng.random(len(rest)), f.region[rest]))
    rest = rest[order]
    reg_sorted = f.region[rest]
    size_p = np.asarray([0.80, 0.13, 0.05, 0.01, 0.005, 0.005])
    draw = rng.choice(np.asarray([1, 2, 3, 4, 5, 8]), size=len(rest) + 1, p=size_p)
    chunk = np.repeat(np.arange(len(draw)), draw)[: len(rest)]
    new_region = np.r_[True, reg_sorted[1:] != reg_sorted[:-1]] if len(rest) else np.zeros(0, bool)
    key = np.cumsum(new_region | np.r_[True, chunk[1:] != chunk[:-1]]) - 1
    site[rest] = next_site + key
    next_site += int(key.max(initial=-1)) + 1
    # Copy parent sites in tree order (parents resolved before children).
    todo = np.flatnonzero(copy)
    for _ in range(4):
        pending = todo[site[f.group_parent[todo]] < 0]
        ready = todo[site[f.group_parent[todo]] >= 0]
        site[ready] = site[f.group_parent[ready]]
        f.region[ready] = f.region[f.group_parent[ready]]
        todo = pending
    if len(todo):
        raise RuntimeError("group tree deeper than expected while copying addresses")

    n_sites = next_site
    site_region = np.zeros(n_sites, dtype=np.int64)
    site_region[site] = f.region
    site_kind = np.zeros(n_sites, dtype=np.int64)  # 0 office, 1 cluster, 2 shop, 3 rural
    site_kind[:n_b] = 1
    shop = (f.kind == INDIV) | (f.kind == SOLE)
    site_kind[site[shop & (building < 0)]] = 2
    rural = (f.kind == COOP) | (np.asarray([c[0] for c in _IND_CODES])[f.industry] == "A")
    rural &= reg.countryside[f.region] & (building < 0) & (plan.ring < 0)
    site_kind[site[rural]] = 3
    text = _unique_addresses(rng, site_region, site_kind, reg)
    return _Sites(site, text, building, hotspot, n_b)


def _address_text(rng: np.random.Generator, region: Ints, kind: Ints, reg: _Regions) -> Any:
    """Address text per site (kind 0 office, 1 cluster building, 2 shop front, 3 rural)."""
    n = len(region)
    chengdu = reg.chengdu[region]
    street_idx = np.floor(
        rng.random(n) * np.where(chengdu, len(_CHENGDU_STREETS), len(_GENERIC_STREETS))
    ).astype(np.int64)
    street = pc.if_else(
        pa.array(chengdu),
        _take(_CHENGDU_STREETS, np.minimum(street_idx, len(_CHENGDU_STREETS) - 1)),
        _take(_GENERIC_STREETS, np.minimum(street_idx, len(_GENERIC_STREETS) - 1)),
    )
    full = _take(reg.full, region)
    door = _cat(street, _int_str(rng.integers(1, 1000, n)), "号")
    floor = _int_str(rng.integers(1, 34, n))
    room = _cat(floor, _int_str(rng.integers(1, 21, n), 2))
    office = _cat(
        full,
        door,
        _int_str(rng.integers(1, 13, n)),
        "栋",
        _int_str(rng.integers(1, 5, n)),
        "单元",
        room,
        "号",
    )
    brand_chars = list(_BRAND_CHARS)
    nb = len(brand_chars)
    tower = _cat(
        _take(brand_chars, rng.integers(0, nb, n)),
        _take(brand_chars, rng.integers(0, nb, n)),
        _take(_TOWER_SUFFIX, rng.integers(0, len(_TOWER_SUFFIX), n)),
    )
    cluster = _cat(full, door, tower, floor, "楼", room, "室")
    shop = _cat(full, door, "附", _int_str(rng.integers(1, 30, n)), "号")
    town_chars = list(_TOWN_CHARS)
    nt = len(town_chars)
    town = _cat(
        _take(town_chars, rng.integers(0, nt, n)), _take(town_chars, rng.integers(0, nt, n)), "镇"
    )
    village = _cat(
        _take(brand_chars, rng.integers(0, nb, n)), _take(town_chars, rng.integers(0, nt, n)), "村"
    )
    rural = _cat(full, town, village, _int_str(rng.integers(1, 16, n)), "组")
    out = pc.if_else(pa.array(kind == 1), cluster, office)
    out = pc.if_else(pa.array(kind == 2), shop, out)
    return pc.if_else(pa.array(kind == 3), rural, out)


def _duplicated(text: Any) -> Bools:
    """Rows whose text already occurred earlier in the array."""
    return np.asarray(text.to_pandas().duplicated().to_numpy(), dtype=bool)


def _replace(text: Any, idx: Ints, new: Any) -> Any:
    mask = np.zeros(len(text), dtype=bool)
    mask[idx] = True
    pos = np.zeros(len(text), dtype=np.int64)
    pos[idx] = np.arange(len(idx))
    return pc.if_else(pa.array(mask), pc.take(new, pa.array(pos)), text)


def _unique_addresses(rng: np.random.Generator, region: Ints, kind: Ints, reg: _Regions) -> Any:
    text = _address_text(rng, region, kind, reg)
    for _ in range(50):
        idx = np.flatnonzero(_duplicated(text))
        if len(idx) == 0:
            return text
        text = _replace(text, idx, _address_text(rng, region[idx], kind[idx], reg))
    raise RuntimeError("could not draw distinct addresses")


# --------------------------------------------------------------------------- 4 people


class _PersonCounter:
    def __init__(self) -> None:
        self.n = 0

    def new(self, k: int) -> Ints:
        ids = np.arange(self.n, self.n + k, dtype=np.int64)
        self.n += k
        return ids


def _fill_regular(rng: np.random.Generator, counter: _PersonCounter, k: int, p_new: float) -> Ints:
    """Persons for k slots: mostly new people, some re-used among those just created."""
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    is_new = rng.random(k) < p_new
    is_new[0] = True
    base = counter.n
    fresh = counter.new(int(is_new.sum()))
    out = np.empty(k, dtype=np.int64)
    out[is_new] = fresh
    out[~is_new] = base + rng.integers(0, len(fresh), int((~is_new).sum()))
    return out


def _stage_people(rng: np.random.Generator, f: _Firms, plan: _Plan, sites: _Sites) -> _People:
    n = f.n
    kind = f.kind
    llc = (kind == LLC) & (f.branch_parent < 0)
    jsc = (kind == JSC) & (f.branch_parent < 0)
    coop = kind == COOP
    firms: list[Ints] = [np.arange(n)]
    roles: list[Ints] = [np.full(n, R_LEGAL)]
    linked: list[Bools] = [np.zeros(n, dtype=bool)]

    def add(mask: Bools, role: int, p_link: float, repeat: int = 1) -> None:
        idx = np.repeat(np.flatnonzero(mask), repeat)
        firms.append(idx)
        roles.append(np.full(len(idx), role))
        linked.append(rng.random(len(idx)) < p_link)

    u = rng.random((n, 4))
    add(llc & (u[:, 0] < 0.75), R_EXEC, 0.9)
    add(llc & (u[:, 1] < 0.95), R_SUPERVISOR, 0.0)
    add(llc & (u[:, 2] < 0.70), R_MANAGER, 0.7)
    add(llc & (u[:, 3] < 0.35), R_FINANCE, 0.0)
    add(jsc, R_CHAIR, 1.0)
    add(jsc, R_DIRECTOR, 0.0, repeat=4)
    add(jsc, R_SUPERVISOR, 0.0, repeat=3)
    add(jsc, R_MANAGER, 0.3)
    add(jsc, R_FINANCE, 0.0)
    add(coop & (u[:, 0] < 0.5), R_SUPERVISOR, 0.0)
    slot_firm = np.concatenate(firms).astype(np.int64)
    slot_role = np.concatenate(roles).astype(np.int64)
    slot_linked = np.concatenate(linked)
    person = np.full(len(slot_firm), -1, dtype=np.int64)
    counter = _PersonCounter()

    # Shell rings: one person is the legal representative of every member.
    ring_person = counter.new(plan.n_rings)
    rm = np.flatnonzero(plan.ring >= 0)
    person[rm] = ring_person[plan.ring[rm]]  # LR slots are slots 0..n-1

    # Company groups: one or two controllers run the holding and many subsidiaries.
    n_groups = int(f.group.max(initial=-1)) + 1
    core = counter.new(2 * n_groups).reshape(-1, 2) if n_groups else np.zeros((0, 2), np.int64)
    gm = np.flatnonzero(f.group >= 0)
    roots = gm[f.group_depth[gm] == 0]
    person[roots] = core[f.group[roots], 0]
    kids = gm[f.group_depth[gm] > 0]
    v = rng.random(len(kids))
    person[kids[v < 0.3]] = core[f.group[kids[v < 0.3]], 0]
    person[kids[(v >= 0.3) & (v < 0.5)]] = core[f.group[kids[(v >= 0.3) & (v < 0.5)]], 1]
    # The second controller often supervises (监事) -- never in a firm he represents.
    in_grp = f.group[slot_firm] >= 0
    second = core[np.maximum(f.group[slot_firm], 0), 1] if n_groups else person[slot_firm]
    sup = in_grp & (slot_role == R_SUPERVISOR) & (person[slot_firm] != second)
    sup &= rng.random(len(slot_firm)) < 0.3
    person[sup] = second[sup]

    # Hub persons: nominee officers (监事 / 财务负责人 / 法定代表人) of dozens of firms.
    n_hub = max(3, n // 8000)
    counts = np.minimum(12 + np.floor(rng.pareto(1.2, n_hub) * 8), 150).astype(np.int64)
    cand = np.flatnonzero(llc & (f.group < 0) & (plan.ring < 0) & (plan.loop < 0))
    cand = cand[rng.permutation(len(cand))][: int(counts.sum())]
    counts = counts[: max(1, int(np.searchsorted(np.cumsum(counts), len(cand), "right")))]
    cand = cand[: int(counts.sum())]
    hubs = counter.new(len(counts))
    hub_of = np.repeat(hubs, counts)
    role_u = rng.random(len(cand))
    as_lr = (role_u < 0.20) & (sites.building[cand] < 0)
    person[cand[as_lr]] = hub_of[as_lr]
    other = ~as_lr
    hub_role = np.where(role_u[other] < 0.7, R_SUPERVISOR, R_FINANCE)
    first_slot = np.full((n, 7), -1, dtype=np.int64)
    indep = ~slot_linked & (slot_role != R_LEGAL)
    first_slot[slot_firm[indep][::-1], slot_role[indep][::-1]] = np.flatnonzero(indep)[::-1]
    existing = first_slot[cand[other], hub_role]
    has = existing >= 0
    person[existing[has]] = hub_of[other][has]
    extra_firm = cand[other][~has]
    slot_firm = np.r_[slot_firm, extra_firm]
    slot_role = np.r_[slot_role, hub_role[~has]]
    slot_linked = np.r_[slot_linked, np.zeros(len(extra_firm), dtype=bool)]
    person = np.r_[person, hub_of[other][~has]]
    hub_firm = np.zeros(n, dtype=bool)
    hub_firm[cand] = True

    # Everyone else: ordinary persons; linked roles copy the legal representative.
    todo = np.flatnonzero((person < 0) & ~slot_linked)
    person[todo] = _fill_regular(rng, counter, len(todo), 0.72)
    lk = np.flatnonzero(slot_linked)
    person[lk] = person[slot_firm[lk]]

    est = f.established[slot_firm]
    later = est + np.floor(rng.random(len(slot_firm)) * (REF - est)).astype(np.int64)
    since = np.where(rng.random(len(slot_firm)) < 0.6, est, later)
    since[:n] = est[:n]
    hub_flag = np.zeros(counter.n, dtype=bool)
    hub_flag[hubs] = True
    return _People(
        n_persons=counter.n,
        slot_firm=slot_firm,
        slot_role=slot_role,
        slot_person=person,
        slot_since=since,
        slot_until=np.full(len(slot_firm), -1, dtype=np.int64),
        hub=hub_flag,
        hub_firm=hub_firm,
        group_core=core[:, 0] if n_groups else np.zeros(0, dtype=np.int64),
    )


# --------------------------------------------------------------------------- 5 investments


def _split_bp(rng: np.random.Generator, owner: Ints, total: Ints) -> Ints:
    """Random integer basis points per row summing to ``total[owner]`` per owner.

    ``owner`` must be sorted; the largest share goes to the owner's first row.
    """
    share = rng.gamma(1.2, 1.0, len(owner))
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    sums = np.add.reduceat(share, starts)
    counts = np.diff(np.r_[starts, len(owner)])
    frac = share / np.repeat(sums, counts)
    # Largest share first within each owner.
    order = np.lexsort((-frac, owner))
    frac = frac[order]
    t = np.repeat(total[owner[starts]], counts)
    bp: Ints = np.floor(frac * t).astype(np.int64)
    deficit = total[owner[starts]] - np.add.reduceat(bp, starts)
    bp[starts] += deficit
    return bp


def _older_firm(rng: np.random.Generator, f: _Firms, pool: Ints, investee: Ints) -> Ints:
    """A random firm from ``pool`` established strictly before each investee, or -1."""
    order = np.argsort(f.established[pool], kind="stable")
    sorted_pool = pool[order]
    sorted_est = f.established[sorted_pool]
    cnt = np.searchsorted(sorted_est, f.established[investee], side="left")
    pick = np.floor(rng.random(len(investee)) * cnt).astype(np.int64)
    return np.where(cnt > 0, sorted_pool[np.minimum(pick, len(sorted_pool) - 1)], -1)


def _stage_investments(
    rng: np.random.Generator, f: _Firms, plan: _Plan, people: _People
) -> tuple[_Invest, _PersonCounter]:
    n = f.n
    counter = _PersonCounter()
    counter.n = people.n_persons
    lr = people.slot_person[:n]
    main = f.branch_parent < 0
    planted = (plan.ring >= 0) | (plan.loop >= 0)
    in_group = f.group >= 0

    n_sh = np.zeros(n, dtype=np.int64)
    u = rng.random(n)
    ordinary = main & ~in_group & (plan.ring < 0)
    llc = ordinary & (f.kind == LLC)
    n_sh[llc] = rng.choice([1, 2, 3, 4, 5], size=int(llc.sum()), p=[0.35, 0.4, 0.15, 0.07, 0.03])
    jsc = ordinary & (f.kind == JSC)
    n_sh[jsc] = rng.integers(3, 9, int(jsc.sum()))
    n_sh[ordinary & (f.kind == SOLE)] = 1
    part = ordinary & (f.kind == PART)
    n_sh[part] = rng.integers(2, 5, int(part.sum()))
    coop = ordinary & (f.kind == COOP)
    n_sh[coop] = rng.integers(5, 11, int(coop.sum()))
    roots = main & in_group & (f.group_depth == 0)
    n_sh[roots] = rng.integers(1, 3, int(roots.sum()))
    kids = main & in_group & (f.group_depth > 0)
    kid_full = kids & (u < 0.35)
    n_sh[kids] = np.where(kid_full[kids], 1, rng.integers(2, 4, int(kids.sum())))
    n_sh[plan.ring >= 0] = 1

    investee = np.repeat(np.arange(n), n_sh)
    first = np.r_[True, investee[1:] != investee[:-1]] if len(investee) else np.zeros(0, bool)
    is_firm = np.zeros(len(investee), dtype=bool)
    investor = np.full(len(investee), -1, dtype=np.int64)
    r = rng.random(len(investee))

    # Enterprise investors: older firms, so ordinary holdings form a DAG.
    pool = np.flatnonzero(main & np.isin(f.kind, _INVESTOR_KINDS) & ~planted)
    kind_row = f.kind[investee]
    want_firm = (
        (
            ((kind_row == JSC) & (r < 0.3))
            | ((kind_row == PART) & first & (r < 0.35))
            | ((kind_row == PART) & ~first & (r < 0.2))
            | ((kind_row == LLC) & ~first & (r < 0.05))
        )
        & ~in_group[investee]
        & ~planted[investee]
    )
    cand = _older_firm(rng, f, pool, investee[want_firm])
    rows = np.flatnonzero(want_firm)[cand >= 0]
    investor[rows] = cand[cand >= 0]
    is_firm[rows] = True

    # Group subsidiaries: the controlling parent is the first shareholder.
    grp_first = first & kids[investee]
    investor[grp_first] = f.group_parent[investee[grp_first]]
    is_firm[grp_first] = True

    # Persons: the legal representative usually holds the largest stake.
    person_rows = ~is_firm
    lr_first = person_rows & first & (r < np.where(kind_row == SOLE, 0.9, 0.8))
    lr_first |= person_rows & first & (plan.ring[investee] >= 0)
    investor[lr_first] = lr[investee[lr_first]]
    core_rows = person_rows & (investor < 0) & in_group[investee] & (r < 0.6)
    investor[core_rows] = people.group_core[f.group[investee[core_rows]]]
    todo = np.flatnonzero(investor < 0)
    investor[todo] = _fill_regular(rng, counter, len(todo), 0.75)

    # Ratios: integer basis points summing to 1 (JSC often less: unregistered float).
    total = np.full(n, 10_000, dtype=np.int64)
    partial = jsc & (rng.random(n) < 0.4)
    total[partial] = rng.integers(5_000, 9_500, int(partial.sum()))
    bp = _split_bp(rng, investee, total) if len(investee) else np.zeros(0, np.int64)
    # Parent stake of subsidiaries: 51 %-100 %.
    starts = np.flatnonzero(first)
    kid_start = starts[kids[investee[starts]]]
    parent_bp = np.where(
        kid_full[investee[kid_start]],
        10_000,
        (rng.integers(5_100, 10_000, len(kid_start)) // 100) * 100,
    )
    bp[kid_start] = parent_bp
    others = np.flatnonzero(kids[investee] & ~first)
    if len(others):
        rest = 10_000 - parent_bp
        rest_of = np.zeros(n, dtype=np.int64)
        rest_of[investee[kid_start]] = rest
        sub = _split_bp(rng, investee[others], rest_of)
        bp[others] = sub

    # Planted circular shareholding: member j invests in member j+1 (mod length).
    lm = np.flatnonzero(plan.loop >= 0)
    lm = lm[np.lexsort((plan.loop_pos[lm], plan.loop[lm]))]
    lid = plan.loop[lm]
    nxt_pos = (plan.loop_pos[lm] + 1) % plan.loop_len[lid]
    starts_l = np.r_[0, np.cumsum(plan.loop_len)[:-1]]
    loop_investee = lm[starts_l[lid] + nxt_pos]
    loop_bp = rng.integers(10, 41, len(lm)) * 100
    scale = np.ones(n)
    scale[loop_investee] = (10_000 - loop_bp) / 10_000
    bp = np.floor(bp * scale[investee]).astype(np.int64)

    since = f.established[investee].copy()
    founder = rng.random(len(investee)) < 0.75
    span = REF - since
    since = np.where(
        founder, since, since + np.floor(rng.random(len(since)) * span).astype(np.int64)
    )
    firm_rows = np.flatnonzero(is_firm)
    since[firm_rows] = np.maximum(since[firm_rows], f.established[investor[firm_rows]])
    loop_since = np.minimum(
        np.maximum(f.established[lm], f.established[loop_investee])
        + rng.integers(30, 366, len(lm)),
        REF,
    )

    inv = _Invest(
        investee=np.r_[investee, loop_investee],
        is_firm=np.r_[is_firm, np.ones(len(lm), dtype=bool)],
        investor=np.r_[investor, lm],
        bp=np.r_[bp, loop_bp],
        since=np.r_[since, loop_since],
    )
    return _merge_duplicate_holdings(inv), counter


def _merge_duplicate_holdings(inv: _Invest) -> _Invest:
    key = (inv.investee * 2 + inv.is_firm) * (1 << 31) + inv.investor
    order = np.argsort(key, kind="stable")
    k = key[order]
    start = np.r_[True, k[1:] != k[:-1]] if len(k) else np.zeros(0, bool)
    idx = np.flatnonzero(start)
    bp = np.add.reduceat(inv.bp[order], idx) if len(idx) else np.zeros(0, np.int64)
    since = np.minimum.reduceat(inv.since[order], idx) if len(idx) else np.zeros(0, np.int64)
    sel = order[idx]
    keep = bp > 0
    return _Invest(
        investee=inv.investee[sel][keep],
        is_firm=inv.is_firm[sel][keep],
        investor=inv.investor[sel][keep],
        bp=bp[keep],
        since=since[keep],
    )


# --------------------------------------------------------------------------- 6 latent risk


def _attribute_risk(f: _Firms, sites: _Sites, people: _People) -> Floats:
    age = (REF - f.established) / YEAR
    kind_off = np.asarray((0.0, -0.3, 0.1, 0.3, -0.2, 0.2))[f.kind]
    regcap = np.maximum(f.regcap, 0) / 100.0
    company = np.isin(f.kind, (LLC, JSC, PART)) & (f.branch_parent < 0)
    unpaid = company & (f.paidin == 0)
    full = (f.paidin >= f.regcap) & (f.regcap > 0)
    risk: Floats = (
        0.6 * np.exp(-age / 1.5)
        - 0.25 * (age > 10)
        + kind_off
        + _IND_RISK[f.industry]
        + 0.30 * unpaid
        + 0.20 * (unpaid & (regcap >= 1000))
        - 0.15 * full
        + 0.10 * (company & (regcap < 10))
        + 0.30 * (sites.building >= 0)
        + 0.30 * people.hub_firm
        - 0.10 * (f.branch_parent >= 0)
    )
    return risk


def _pair_means(firm: Ints, other: Ints, r: Floats, n: int) -> tuple[Floats, Floats]:
    """Per firm: sum over its (firm, other) pairs of the mean risk of the other firms
    sharing ``other`` (self excluded), and the number of such pairs."""
    s = np.bincount(other, weights=r[firm])
    c = np.bincount(other)
    cnt = c[other] - 1
    ok = cnt > 0
    val = (s[other][ok] - r[firm][ok]) / cnt[ok]
    return (
        np.bincount(firm[ok], weights=val, minlength=n).astype(np.float64),
        np.bincount(firm[ok], minlength=n).astype(np.float64),
    )


def _stage_risk(
    rng: np.random.Generator,
    f: _Firms,
    plan: _Plan,
    sites: _Sites,
    people: _People,
    inv: _Invest,
    abnormal_hot: Bools,
) -> _Risk:
    n = f.n
    attr = _attribute_risk(f, sites, people)
    boost = (
        2.2 * (plan.ring >= 0)
        + 2.0 * (plan.loop >= 0)
        + 2.0 * abnormal_hot
        + 0.4 * (sites.hotspot >= 0)
    )
    r0 = attr + boost + 0.7 * rng.standard_normal(n)

    # Relations: firm-firm (investments, branches), shared persons, shared address.
    fi = inv.is_firm
    a = np.r_[inv.investor[fi], np.flatnonzero(f.branch_parent >= 0)]
    b = np.r_[inv.investee[fi], f.branch_parent[f.branch_parent >= 0]]
    src, dst = np.r_[a, b], np.r_[b, a]
    pf = np.r_[people.slot_firm, inv.investee[~fi]]
    pp = np.r_[people.slot_person, inv.investor[~fi]]
    pairs = np.unique(pf * (1 << 31) + pp)
    pair_firm, pair_person = pairs >> 31, pairs & ((1 << 31) - 1)
    weights = {"firm": 1.5, "person": 1.0, "address": 0.5}
    r = r0.copy()
    neighbour = np.zeros(n)
    for _ in range(CONTAGION_ROUNDS):
        num_f = np.bincount(dst, weights=r[src], minlength=n)
        den_f = np.bincount(dst, minlength=n).astype(np.float64)
        num_p, den_p = _pair_means(pair_firm, pair_person, r, n)
        num_a, den_a = _pair_means(np.arange(n), sites.site, r, n)
        num = weights["firm"] * num_f + weights["person"] * num_p + weights["address"] * num_a
        den = weights["firm"] * den_f + weights["person"] * den_p + weights["address"] * den_a
        has = den > 0
        neighbour = np.where(has, num / np.maximum(den, 1e-12), np.nan)
        r = np.where(has, (1 - CONTAGION_ALPHA) * r0 + CONTAGION_ALPHA * neighbour, r0)
    fill = float(np.nanmean(neighbour)) if np.isfinite(neighbour).any() else 0.0
    neighbour = np.where(np.isfinite(neighbour), neighbour, fill)

    # Status: revocation rises with risk; planted shells stay registered (存续/在业).
    z = _zscore(r)
    age = (REF - f.established) / YEAR
    u = rng.random(n)
    p_revoke = _sigmoid(-3.8 + 1.2 * z) * (age > 2)
    p_cancel = 0.06 * (age > 1)
    p_move = 0.01 * np.ones(n)
    status = np.where(rng.random(n) < 0.12, IN_BUSINESS, ACTIVE)
    status = np.where(u < p_revoke, REVOKED, status)
    status = np.where((u >= p_revoke) & (u < p_revoke + p_cancel), CANCELLED, status)
    status = np.where(
        (u >= p_revoke + p_cancel) & (u < p_revoke + p_cancel + p_move), MOVED, status
    )
    keep_live = (plan.ring >= 0) | (plan.loop >= 0) | (sites.hotspot >= 0)
    status = np.where(keep_live & (status >= REVOKED), ACTIVE, status)
    return _Risk(attr=attr, latent=r, neighbour=neighbour, status=status.astype(np.int64))


def _distinct_offices(people: _People, counter: _PersonCounter) -> None:
    """A person holds a role at most once per firm: later repeats get fresh persons."""
    key = (people.slot_firm * (counter.n + 1) + people.slot_person) * 8 + people.slot_role
    _, first = np.unique(key, return_index=True)
    repeat = np.ones(len(key), dtype=bool)
    repeat[first] = False
    idx = np.flatnonzero(repeat)
    people.slot_person[idx] = counter.new(len(idx))


# --------------------------------------------------------------------------- 7 dynamics


def _stage_lr_history(
    rng: np.random.Generator, f: _Firms, risk: _Risk, people: _People, counter: _PersonCounter
) -> Ints:
    """Past legal representatives; returns the number of changes per firm."""
    n = f.n
    z = _zscore(risk.latent)
    age = (REF - f.established) / YEAR
    lam = 0.22 * np.clip(age / 4, 0.1, 1.5) * np.exp(0.75 * z)
    k = np.minimum(rng.poisson(lam), 8)
    k[REF - f.established < 60] = 0
    firm = np.repeat(np.arange(n), k)
    lo = f.established[firm] + 30
    d = lo + np.floor(rng.random(len(firm)) * (REF - lo)).astype(np.int64)
    order = np.lexsort((d, firm))
    firm, d = firm[order], d[order]
    pos = _group_rank(firm, d)
    prev = np.r_[0, d[:-1]]
    since = np.where(pos == 0, f.established[firm], prev)
    last = np.flatnonzero(np.r_[firm[1:] != firm[:-1], True]) if len(firm) else np.zeros(0, int)
    # Current representative (and roles held with it) since the last change.
    lr_since = f.established.copy()
    lr_since[firm[last]] = d[last]
    people.slot_since[:n] = lr_since
    lr = people.slot_person[:n]
    same_as_lr = (people.slot_person == lr[people.slot_firm]) & (
        np.isin(people.slot_role, (R_EXEC, R_CHAIR, R_MANAGER))
    )
    people.slot_since[same_as_lr] = np.maximum(
        people.slot_since[same_as_lr], lr_since[people.slot_firm[same_as_lr]]
    )
    past = _fill_regular(rng, counter, len(firm), 0.6)
    people.slot_firm = np.r_[people.slot_firm, firm]
    people.slot_role = np.r_[people.slot_role, np.full(len(firm), R_LEGAL)]
    people.slot_person = np.r_[people.slot_person, past]
    people.slot_since = np.r_[people.slot_since, since]
    people.slot_until = np.r_[people.slot_until, d]
    return k.astype(np.int64)


def _stage_violations(
    rng: np.random.Generator,
    f: _Firms,
    plan: _Plan,
    risk: _Risk,
    abnormal_hot: Bools,
) -> _Violations:
    n = f.n
    z = _zscore(risk.latent)
    window = np.minimum(REF - f.established, int(5 * YEAR))
    frac = window / (5 * YEAR)
    section = np.asarray([c[0] for c in _IND_CODES])[f.industry]
    consumer = np.isin(section, list(_CONSUMER_SECTIONS)) | (f.kind == INDIV)
    size = np.log10(np.maximum(f.regcap, 0) / 100.0 + 1.0)
    rates = {
        V_PENALTY: 0.04 * np.exp(0.9 * z),
        V_ABNORMAL: 0.07 * np.exp(1.2 * z),
        V_SEVERE: 0.003 * np.exp(1.6 * z),
        V_INSPECTION: 0.03 * np.exp(0.7 * z),
        V_COMPLAINT: 0.08 * np.exp(0.6 * z) * np.where(consumer, 1.8, 1.0),
        V_LAWSUIT: 0.05 * np.exp(0.5 * z) * (1.0 + 0.3 * size),
    }
    firms, kinds = [], []
    for k, lam in rates.items():
        c = rng.poisson(lam * frac)
        firms.append(np.repeat(np.arange(n), c))
        kinds.append(np.full(int(c.sum()), k))
    lo = np.maximum(f.established, REF - int(5 * YEAR))
    firm = np.concatenate(firms).astype(np.int64)
    kind = np.concatenate(kinds).astype(np.int64)
    date = lo[firm] + np.floor(rng.random(len(firm)) * (REF - lo[firm])).astype(np.int64)

    # Forced records: shells and hotspot firms listed abnormal (住所无法联系), still active;
    # revoked firms carry the revocation penalty.
    forced = np.flatnonzero((plan.ring >= 0) | abnormal_hot)
    lo_f = np.maximum(f.established[forced] + 90, REF - int(2 * YEAR))
    lo_f = np.minimum(lo_f, REF - 1)
    d_f = lo_f + np.floor(rng.random(len(forced)) * (REF - lo_f)).astype(np.int64)
    revoked = np.flatnonzero(risk.status == REVOKED)
    lo_r = np.maximum(f.established[revoked], REF - int(3 * YEAR))
    d_r = lo_r + np.floor(rng.random(len(revoked)) * (REF - lo_r)).astype(np.int64)
    n_regular = len(firm)
    firm = np.r_[firm, forced, revoked]
    kind = np.r_[kind, np.full(len(forced), V_ABNORMAL), np.full(len(revoked), V_PENALTY)]
    date = np.r_[date, d_f, d_r]
    is_forced = np.arange(len(firm)) >= n_regular

    status = np.zeros(len(firm), dtype=np.int64)
    removed = np.full(len(firm), -1, dtype=np.int64)
    u = rng.random(len(firm))
    gap = rng.integers(10, 700, len(firm))
    zf = z[firm]
    p_removed = np.select(
        [kind == V_ABNORMAL, kind == V_PENALTY, kind == V_SEVERE, kind == V_INSPECTION],
        [
            _sigmoid(0.8 - 1.2 * zf),
            0.35 * np.ones(len(firm)),
            0.1 * np.ones(len(firm)),
            0.4 * np.ones(len(firm)),
        ],
        0.0,
    )
    done = (u < p_removed) & (date + gap < REF) & ~is_forced
    done &= ~((kind == V_PENALTY) & (REF - date < 365))
    status[done] = np.where(np.isin(kind[done], (V_ABNORMAL, V_SEVERE)), 1, 2)
    removed[done] = date[done] + gap[done]

    amount = np.full(len(firm), -1, dtype=np.int64)
    pen = (kind == V_PENALTY) & ~is_forced & (rng.random(len(firm)) < 0.9)
    fine = np.exp(np.log(5000.0) + 1.2 * rng.standard_normal(int(pen.sum())) + 0.3 * zf[pen])
    amount[pen] = np.maximum(np.round(fine / 100.0) * 100, 200).astype(np.int64)
    return _Violations(firm, kind, date, status, removed, amount)


# --------------------------------------------------------------------------- 8 classes


def _stage_classes(
    rng: np.random.Generator,
    f: _Firms,
    risk: _Risk,
    changes: Ints,
    people: _People,
    vio: _Violations,
) -> tuple[Ints, dict[str, Floats]]:
    n = f.n
    recent = np.exp(-(REF - vio.date) / (3 * YEAR))
    active = vio.status == 0

    def per_firm(mask: Bools, weight: Floats | float = 1.0) -> Floats:
        w = np.broadcast_to(np.asarray(weight, dtype=np.float64), mask.shape)[mask]
        return np.bincount(vio.firm[mask], weights=w, minlength=n).astype(np.float64)

    k = vio.kind
    regulatory = (
        per_firm((k == V_ABNORMAL) & active, 2.0 * recent)
        + per_firm((k == V_ABNORMAL) & ~active, 0.7 * recent)
        + per_firm(k == V_PENALTY, recent * (1.0 + np.log10(np.maximum(vio.amount, 1)) / 5))
        + per_firm((k == V_SEVERE) & active, 5.0)
        + per_firm(k == V_INSPECTION, 0.8 * recent)
    )
    social = per_firm(k == V_COMPLAINT, recent) + per_firm(k == V_LAWSUIT, 0.6 * recent)
    past = people.slot_until >= 0
    recent_changes = np.bincount(
        people.slot_firm[past & (people.slot_until > REF - 3 * YEAR)], minlength=n
    )
    dynamic = recent_changes + 0.3 * changes + 2.0 * (risk.status == REVOKED)
    components = {
        "basic": _zscore(risk.attr),
        "dynamic": _zscore(np.log1p(dynamic)),
        "regulatory": _zscore(np.log1p(regulatory)),
        "association": _zscore(risk.neighbour),
        "social": _zscore(np.log1p(social)),
    }
    score = sum(SCORE_WEIGHTS[name] * comp for name, comp in components.items())
    score = np.asarray(score) + SCORE_NOISE * rng.standard_normal(n)
    severe_active = np.bincount(vio.firm[(k == V_SEVERE) & active], minlength=n) > 0
    score = score + 100.0 * severe_active
    order = np.argsort(-score, kind="stable")
    cls = np.zeros(n, dtype=np.int64)
    cuts = np.round(np.cumsum([CLASS_SHARES["D"], CLASS_SHARES["C"], CLASS_SHARES["B"]]) * n)
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = np.arange(n)
    cls = np.where(
        ranks < cuts[0], 3, np.where(ranks < cuts[1], 2, np.where(ranks < cuts[2], 1, 0))
    )
    return cls.astype(np.int64), components


# --------------------------------------------------------------------------- 9 names & ids


def _brand_text(brand: Ints) -> Any:
    chars = [*_BRAND_CHARS, ""]
    c1, rem = np.divmod(brand, 1_000_000)
    c2, c3 = np.divmod(rem, 1_000)
    c3 = np.where(c3 == 0, len(chars) - 1, c3 - 1)
    return _cat(_take(chars, c1), _take(chars, c2), _take(chars, c3))


def _main_names(rng: np.random.Generator, f: _Firms, reg: _Regions, idx: Ints) -> Any:
    kind = f.kind[idx]
    region = f.region[idx]
    brand = _brand_text(f.brand[idx])
    word = _take([r[1] for r in _INDUSTRIES], f.industry[idx])
    shop_words = [r[2] or "经营部" for r in _INDUSTRIES]
    coop_words = [r[3] or r[1] for r in _INDUSTRIES]
    u = rng.random(len(idx))
    prefix = pc.if_else(
        pa.array(u < 0.85), _take(reg.city_short, region), _take(reg.province_short, region)
    )
    local = _take(reg.local, region)
    suffix_llc = pc.if_else(pa.array(u < 0.1), "有限责任公司", "有限公司")
    group_root = f.group_depth[idx] == 0
    root_suffix = _take(
        ("集团有限公司", "实业集团有限公司", "控股集团有限公司", "投资控股有限公司"),
        np.floor(u * 4).astype(np.int64) % 4,
    )
    llc = _cat(prefix, brand, word, suffix_llc)
    root_jsc = _take(("集团股份有限公司", "控股股份有限公司"), np.floor(u * 2).astype(np.int64) % 2)
    root_suffix = pc.if_else(pa.array(kind == JSC), root_jsc, root_suffix)
    root = _cat(_take(reg.province_short, region), brand, root_suffix)
    jsc = _cat(prefix, brand, word, "股份有限公司")
    sole = _cat(local, brand, word, _take(_SHOP_KINDS, np.floor(u * 40).astype(np.int64) % 4))
    part = _cat(
        prefix,
        brand,
        word,
        "合伙企业",
        pc.if_else(pa.array(u < 0.9), "（有限合伙）", "（普通合伙）"),
    )
    surname = _take([s for s, _ in _SURNAMES], rng.integers(0, 30, len(idx)))
    shop_brand = pc.if_else(pa.array(rng.random(len(idx)) < 0.2), _cat(surname, "记"), brand)
    indiv = _cat(local, shop_brand, _take(shop_words, f.industry[idx]))
    coop = _cat(local, brand, _take(coop_words, f.industry[idx]), "专业合作社")
    out = llc
    for k, text in ((JSC, jsc), (SOLE, sole), (PART, part), (INDIV, indiv), (COOP, coop)):
        out = pc.if_else(pa.array(kind == k), text, out)
    return pc.if_else(pa.array(group_root & (kind != INDIV)), root, out)


def _names(rng: np.random.Generator, f: _Firms, reg: _Regions) -> Any:
    main = np.arange(f.n_main)
    names = _main_names(rng, f, reg, main)
    for _ in range(50):
        idx = np.flatnonzero(_duplicated(names))
        if len(idx) == 0:
            break
        f.brand[idx] = _draw_brands(rng, len(idx), 1.0)
        names = _replace(names, idx, _main_names(rng, f, reg, idx))
    else:
        raise RuntimeError("could not draw distinct enterprise names")
    # Branches: parent name + city + district + 分公司 (第二分公司 ... when repeated).
    b = np.arange(f.n_main, f.n)
    parent = f.branch_parent[b]
    nth = _group_rank(parent * 1000 + f.region[b], b)
    ordinal = _take(["", *[_chinese_ordinal(i) for i in range(2, 100)]], np.minimum(nth, 98))
    b_names = _cat(
        pc.take(names, pa.array(parent)),
        _take(reg.city_short, f.region[b]),
        _take(reg.district_short, f.region[b]),
        pc.if_else(pa.array(nth > 0), _cat("第", ordinal), ""),
        "分公司",
    )
    return pa.concat_arrays([names, b_names])


def _make_usccs(rng: np.random.Generator, f: _Firms, reg: _Regions) -> Bytes:
    n = f.n
    region_digits = _code_matrix(reg.codes)[f.region]
    type_digit = np.frombuffer("".join(_USCC_TYPE_DIGIT).encode(), dtype=np.uint8)[f.kind]
    alphabet = _USCC_BYTES
    prefix = np.empty((n, 16), dtype=np.uint8)
    prefix[:, 0] = ord("9")
    prefix[:, 1] = type_digit
    prefix[:, 2:8] = region_digits
    todo = np.arange(n)
    while len(todo):
        k = len(todo)
        ma = f.established[todo] >= USCC_MA_ERA
        body = np.empty((k, 8), dtype=np.uint8)
        body[:] = (48 + rng.integers(0, 10, (k, 8))).astype(np.uint8)
        body[ma, 0] = ord("M")
        body[ma, 1] = ord("A")
        body[ma, 2] = np.where(
            reg.chengdu[f.region[todo[ma]]], ord("6"), alphabet[rng.integers(0, 31, int(ma.sum()))]
        )
        body[ma, 3:] = alphabet[rng.integers(0, 31, (int(ma.sum()), 5))]
        prefix[todo, 8:] = body
        keys = prefix.view("S16").ravel()
        _, first = np.unique(keys, return_index=True)
        dup = np.ones(n, dtype=bool)
        dup[first] = False
        todo = np.flatnonzero(dup)
    return _complete_uscc(prefix)


def _make_persons(
    rng: np.random.Generator, n_persons: int, earliest: Ints, reg: _Regions
) -> tuple[Bytes, Any]:
    region = _pick_weighted(rng, reg.person_weight, n_persons)
    adult = np.minimum(earliest - int(18 * YEAR), REF - int(20 * YEAR))
    birth = adult - np.floor(rng.beta(1.5, 3.0, n_persons) * 30 * YEAR).astype(np.int64)
    birth = np.maximum(birth, REF - int(85 * YEAR))
    d = birth.astype("datetime64[D]")
    year = d.astype("datetime64[Y]").astype(np.int64) + 1970
    month = d.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (d - d.astype("datetime64[M]")).astype(np.int64) + 1
    ymd = year * 10_000 + month * 100 + day
    prefix = np.empty((n_persons, 17), dtype=np.uint8)
    prefix[:, :6] = _code_matrix(reg.codes)[region]
    prefix[:, 6:14] = _digit_matrix(ymd, 8)
    seq = rng.integers(0, 1000, n_persons)
    todo = np.arange(n_persons)
    while len(todo):
        seq[todo] = rng.integers(0, 1000, len(todo))
        prefix[todo, 14:] = _digit_matrix(seq[todo], 3)
        _, first = np.unique(prefix.view("S17").ravel(), return_index=True)
        dup = np.ones(n_persons, dtype=bool)
        dup[first] = False
        todo = np.flatnonzero(dup)
    ids = _complete_id(prefix)
    male = seq % 2 == 1
    sw = np.asarray([w for _, w in _SURNAMES])
    surname = _take([s for s, _ in _SURNAMES], _pick_weighted(rng, sw, n_persons))
    m_chars, f_chars = list(_MALE_CHARS), list(_FEMALE_CHARS)
    g1 = pc.if_else(
        pa.array(male),
        _take(m_chars, rng.integers(0, len(m_chars), n_persons)),
        _take(f_chars, rng.integers(0, len(f_chars), n_persons)),
    )
    g2 = pc.if_else(
        pa.array(male),
        _take(m_chars, rng.integers(0, len(m_chars), n_persons)),
        _take(f_chars, rng.integers(0, len(f_chars), n_persons)),
    )
    two = pa.array(rng.random(n_persons) < 0.75)
    names = _cat(surname, g1, pc.if_else(two, g2, ""))
    return ids, names


def _contacts(rng: np.random.Generator, f: _Firms, plan: _Plan, reg: _Regions) -> tuple[Any, Any]:
    n = f.n
    mobile = _cat(
        _take(
            ["13", "15", "17", "18", "19", "14", "16"],
            _pick_weighted(rng, np.asarray([3.0, 2.5, 1.0, 2.5, 1.0, 0.3, 0.2]), n),
        ),
        _int_str(rng.integers(0, 1_000_000_000, n), 9),
    )
    landline = _cat(
        "028-",
        _take(["8", "6"], rng.integers(0, 2, n)),
        _int_str(rng.integers(0, 10_000_000, n), 7),
    )
    use_land = pa.array(reg.chengdu[f.region] & (rng.random(n) < 0.35))
    phone = pc.if_else(use_land, landline, mobile)
    # Shell rings share one phone number.
    ring = np.flatnonzero(plan.ring >= 0)
    if len(ring):
        first = np.full(plan.n_rings, -1, dtype=np.int64)
        first[plan.ring[ring][::-1]] = ring[::-1]
        src = np.arange(n)
        src[ring] = first[plan.ring[ring]]
        phone = pc.take(phone, pa.array(src))
    has_phone = rng.random(n) < 0.75
    has_phone[ring] = True
    phone = pc.if_else(pa.array(has_phone), phone, pa.scalar(None, pa.string()))

    letters = (97 + rng.integers(0, 26, (n, 6))).astype(np.uint8)
    qq = _cat(_int_str(rng.integers(10_000, 3_000_000_000, n)), "@qq.com")
    named = _cat(
        _ascii(letters),
        _int_str(rng.integers(0, 1000, n), 3),
        _take(["@163.com", "@126.com", "@sina.com"], rng.integers(0, 3, n)),
    )
    email = pc.if_else(pa.array(rng.random(n) < 0.55), qq, named)
    email = pc.if_else(pa.array(rng.random(n) < 0.4), email, pa.scalar(None, pa.string()))
    return phone, email


def _case_numbers(vio: _Violations, f: _Firms, reg: _Regions) -> tuple[Any, Any]:
    """Document numbers, numbered per issuing prefix and year in date order, and issuers."""
    year = vio.date.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    region = f.region[vio.firm]
    court = vio.kind == V_LAWSUIT
    city_level = vio.kind == V_SEVERE
    # Issuer prefix text per row: district abbreviation, city abbreviation or court code.
    texts = [*reg.doc_abbr, *reg.city_abbr, *reg.court_code]
    m = len(reg.codes)
    text_idx = np.where(court, 2 * m + region, np.where(city_level, m + region, region))
    distinct = {t: i for i, t in enumerate(dict.fromkeys(texts))}
    text_id = np.asarray([distinct[t] for t in texts], dtype=np.int64)[text_idx]
    key = (text_id * 8 + vio.kind) * 1000 + (year - 1900)
    seq = _group_rank(key, vio.date) + 1
    doc = _cat(
        _take(texts, text_idx),
        "市监",
        _take(_DOC_WORD, vio.kind),
        "〔",
        _int_str(year),
        "〕",
        _int_str(seq, 4),
        "号",
    )
    court_doc = _cat(
        "（", _int_str(year), "）", _take(texts, text_idx), "民初", _int_str(seq), "号"
    )
    case_no = pc.if_else(pa.array(court), court_doc, doc)
    authority = pc.if_else(
        pa.array(court),
        _take(reg.court, region),
        pc.if_else(
            pa.array(city_level), _take(reg.city_authority, region), _take(reg.authority, region)
        ),
    )
    return case_no, authority


# --------------------------------------------------------------------------- write


def _write_csv(path: Path, columns: Sequence[tuple[str, Any]]) -> int:
    table = pa.table({name: col for name, col in columns})
    header = (",".join(name for name, _ in columns) + "\n").encode("utf-8")
    opts = pacsv.WriteOptions(include_header=False, quoting_style="none", batch_size=65_536)
    with pa.OSFile(str(path), "wb") as sink:
        sink.write(header)
        if table.num_rows:
            pacsv.write_csv(table, sink, opts)
    return int(table.num_rows)


_README: Final = """# Ground truth of a synthetic registry

Generated by `riskgraph.ingest.generate` (enterprises: {n}, seed: {seed}, reference date
{ref}). Everything is synthetic; identifiers have valid check characters but belong to
nobody.

* Each firm has a latent risk: attributes (age, capital, paid-in ratio, industry, org type,
  cluster address, nominee officers) + noise + planted-pattern boosts, then
  {rounds} rounds of contagion towards the mean latent risk of its investment, branch,
  shared-person and shared-address neighbours (alpha = {alpha}).
* Violations (six kinds), legal-representative changes and revocations are Poisson /
  Bernoulli draws whose rates rise with latent risk.
* `labels.csv` here is the class of every firm: the five SAMR indicator categories
  (basic {w_basic}, dynamic {w_dynamic}, regulatory {w_regulatory}, association
  {w_association} = neighbours' latent risk, social {w_social}) standardised and summed
  with N(0, {noise}) noise, cut at the quantiles A 40 % / B 48 % / C 9 % / D 3 %; an
  active 严重违法失信 record forces D. `../labels.csv` holds 60 % of the firms
  established by {as_of}.
* `patterns.csv`: `shell_ring` (one legal representative, one address, capital unpaid,
  active abnormal listings; 5-12 firms), `circular_shareholding` (investment cycles of
  length 2-4, the only enterprise-investment cycles in the data), `address_hotspot`
  (every firm at a cluster-registration address where a large share is listed abnormal).
"""


# --------------------------------------------------------------------------- main entry


def generate_registry(
    n_enterprises: int,
    seed: int,
    out_dir: Path,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Generate a synthetic registry of ``n_enterprises`` firms into ``out_dir``.

    Returns a summary: rows per file, class shares, pattern counts and calibration
    statistics. The same ``seed`` gives byte-identical files.
    """
    if n_enterprises < 1000:
        raise ValueError("n_enterprises must be at least 1000")
    if seed < 0:
        raise ValueError("seed must be non-negative")

    def report(stage: str, rows: int) -> None:
        if progress is not None:
            progress(stage, rows)

    out_dir = Path(out_dir)
    (out_dir / "truth").mkdir(parents=True, exist_ok=True)
    reg = _load_regions()

    f = _stage_entities(_rng(seed, 1), n_enterprises, reg)
    report("entities", f.n)
    plan = _stage_plan(_rng(seed, 2), f, reg)
    report("patterns planned", int((plan.ring >= 0).sum() + (plan.loop >= 0).sum()))
    sites = _stage_addresses(_rng(seed, 3), f, plan, reg)
    report("addresses", len(sites.text))
    people = _stage_people(_rng(seed, 4), f, plan, sites)
    report("positions", len(people.slot_firm))
    inv, counter = _stage_investments(_rng(seed, 5), f, plan, people)
    report("investments", len(inv.investee))

    rng6 = _rng(seed, 6)
    abnormal_hot = (sites.hotspot >= 0) & (rng6.random(f.n) < rng6.uniform(0.3, 0.5))
    risk = _stage_risk(rng6, f, plan, sites, people, inv, abnormal_hot)
    report("risk", f.n)
    changes = _stage_lr_history(_rng(seed, 7), f, risk, people, counter)
    _distinct_offices(people, counter)
    vio = _stage_violations(_rng(seed, 8), f, plan, risk, abnormal_hot)
    report("violations", len(vio.firm))
    cls, components = _stage_classes(_rng(seed, 9), f, risk, changes, people, vio)
    report("classes", f.n)

    rng10 = _rng(seed, 10)
    names = _names(rng10, f, reg)
    uscc_bytes = _make_usccs(rng10, f, reg)
    n_persons = counter.n
    earliest = np.full(n_persons, REF, dtype=np.int64)
    np.minimum.at(earliest, people.slot_person, people.slot_since)
    np.minimum.at(earliest, inv.investor[~inv.is_firm], inv.since[~inv.is_firm])
    id_bytes, person_names = _make_persons(rng10, n_persons, earliest, reg)
    _cross_check(uscc_bytes, id_bytes)
    phone, email = _contacts(rng10, f, plan, reg)
    report("identifiers", f.n + n_persons)

    rows = _write_all(
        out_dir,
        f,
        plan,
        sites,
        people,
        inv,
        risk,
        vio,
        cls,
        names,
        uscc_bytes,
        id_bytes,
        person_names,
        phone,
        email,
        reg,
        rng10,
    )
    (out_dir / "truth" / "README.md").write_text(
        _README.format(
            n=n_enterprises,
            seed=seed,
            ref=REFERENCE_DATE.isoformat(),
            rounds=CONTAGION_ROUNDS,
            alpha=CONTAGION_ALPHA,
            noise=SCORE_NOISE,
            as_of=LABEL_AS_OF.isoformat(),
            **{f"w_{k}": v for k, v in SCORE_WEIGHTS.items()},
        ),
        encoding="utf-8",
    )
    report("written", sum(rows.values()))
    return _summary(
        n_enterprises,
        seed,
        f,
        plan,
        sites,
        people,
        inv,
        risk,
        vio,
        cls,
        changes,
        components,
        rows,
        abnormal_hot,
        reg,
    )


def _write_all(
    out: Path,
    f: _Firms,
    plan: _Plan,
    sites: _Sites,
    people: _People,
    inv: _Invest,
    risk: _Risk,
    vio: _Violations,
    cls: Ints,
    names: Any,
    uscc_bytes: Bytes,
    id_bytes: Bytes,
    person_names: Any,
    phone: Any,
    email: Any,
    reg: _Regions,
    rng: np.random.Generator,
) -> dict[str, int]:
    n = f.n
    uscc_keys = uscc_bytes.view("S18").ravel()
    firm_order = np.argsort(uscc_keys, kind="stable")
    firm_rank = np.empty(n, dtype=np.int64)
    firm_rank[firm_order] = np.arange(n)
    uscc = _ascii(uscc_bytes)
    ids = _ascii(id_bytes)
    branch = f.branch_parent >= 0
    rows: dict[str, int] = {}

    def ut(idx: npt.NDArray[Any]) -> Any:
        return pc.take(uscc, pa.array(np.asarray(idx, dtype=np.int64)))

    o = firm_order
    rows["enterprises.csv"] = _write_csv(
        out / "enterprises.csv",
        [
            ("uscc", ut(o)),
            ("name", pc.take(names, pa.array(o))),
            ("org_type", _take((*ORG_TYPES, BRANCH_ORG_TYPE), np.where(branch[o], 6, f.kind[o]))),
            ("status", _take(STATUSES, risk.status[o])),
            ("established", _dates(f.established[o])),
            ("registered_capital", _fixed(f.regcap[o], 2, branch[o])),
            ("paid_in_capital", _fixed(f.paidin[o], 2, branch[o])),
            ("industry_code", _take(_IND_CODES, f.industry[o])),
            ("region_code", _take(reg.codes, f.region[o])),
            ("address", pc.take(sites.text, pa.array(sites.site[o]))),
            ("phone", pc.take(phone, pa.array(o))),
            ("email", pc.take(email, pa.array(o))),
        ],
    )
    # Persons: everyone who holds or held an office or a stake, sorted by ID number.
    used = np.zeros(len(id_bytes), dtype=bool)
    used[people.slot_person] = True
    used[inv.investor[~inv.is_firm]] = True
    p_used = np.flatnonzero(used)
    p_order = p_used[np.argsort(id_bytes[p_used].view("S18").ravel(), kind="stable")]
    rows["persons.csv"] = _write_csv(
        out / "persons.csv",
        [
            ("id_number", pc.take(ids, pa.array(p_order))),
            ("name", pc.take(person_names, pa.array(p_order))),
        ],
    )

    ps = np.arange(len(people.slot_firm))
    po = ps[
        np.lexsort((people.slot_since[ps], people.slot_role[ps], firm_rank[people.slot_firm[ps]]))
    ]
    until = people.slot_until[po]
    rows["positions.csv"] = _write_csv(
        out / "positions.csv",
        [
            ("uscc", ut(people.slot_firm[po])),
            ("id_number", pc.take(ids, pa.array(people.slot_person[po]))),
            ("role", _take(ROLES, people.slot_role[po])),
            ("since", _dates(people.slot_since[po])),
            ("until", _dates(until, until < 0)),
        ],
    )

    io_ = np.lexsort((-inv.bp, firm_rank[inv.investee]))
    investor_key = pc.if_else(
        pa.array(inv.is_firm[io_]),
        ut(np.where(inv.is_firm[io_], inv.investor[io_], 0)),
        pc.take(ids, pa.array(np.where(inv.is_firm[io_], 0, inv.investor[io_]))),
    )
    regcap = np.maximum(f.regcap[inv.investee[io_]], 0)
    rows["investments.csv"] = _write_csv(
        out / "investments.csv",
        [
            ("investee_uscc", ut(inv.investee[io_])),
            ("investor_kind", pc.if_else(pa.array(inv.is_firm[io_]), "enterprise", "person")),
            ("investor_key", investor_key),
            ("ratio", _fixed(inv.bp[io_], 4)),
            ("amount", _fixed(inv.bp[io_] * regcap // 10_000, 2)),
            ("since", _dates(inv.since[io_])),
        ],
    )

    b = np.flatnonzero(branch)
    b = b[np.argsort(firm_rank[b], kind="stable")]
    rows["branches.csv"] = _write_csv(
        out / "branches.csv",
        [
            ("branch_uscc", ut(b)),
            ("parent_uscc", ut(f.branch_parent[b])),
            ("since", _dates(f.established[b])),
        ],
    )

    case_no, authority = _case_numbers(vio, f, reg)
    vo = np.lexsort((np.arange(len(vio.firm)), vio.date, firm_rank[vio.firm]))
    rows["violations.csv"] = _write_csv(
        out / "violations.csv",
        [
            ("case_no", pc.take(case_no, pa.array(vo))),
            ("uscc", ut(vio.firm[vo])),
            ("kind", _take(VIOLATION_KINDS, vio.kind[vo])),
            ("date", _dates(vio.date[vo])),
            ("authority", pc.take(authority, pa.array(vo))),
            (
                "amount",
                pc.if_else(
                    pa.array(vio.amount[vo] < 0),
                    pa.scalar(None, pa.string()),
                    _int_str(vio.amount[vo]),
                ),
            ),
            ("status", _take(VIOLATION_STATUSES, vio.status[vo])),
            ("removed_on", _dates(vio.removed[vo], vio.removed[vo] < 0)),
        ],
    )

    classes = ("A", "B", "C", "D")
    eligible = np.flatnonzero(f.established <= AS_OF)
    k = min(len(eligible), round(LABELLED_SHARE * n))
    labelled = np.sort(rng.choice(eligible, size=k, replace=False))
    lo = labelled[np.argsort(firm_rank[labelled], kind="stable")]
    rows["labels.csv"] = _write_csv(
        out / "labels.csv",
        [
            ("uscc", ut(lo)),
            ("class", _take(classes, cls[lo])),
            ("as_of", _take([LABEL_AS_OF.isoformat()], np.zeros(len(lo), dtype=np.int64))),
        ],
    )
    rows["truth/labels.csv"] = _write_csv(
        out / "truth" / "labels.csv", [("uscc", ut(o)), ("class", _take(classes, cls[o]))]
    )

    pid, pkind, pfirm = _pattern_rows(plan, sites)
    pat_text = _cat(_take(("SR", "CS", "AH"), pkind), _int_str(pid + 1, 4))
    po2 = np.lexsort((firm_rank[pfirm], pid, pkind))
    rows["truth/patterns.csv"] = _write_csv(
        out / "truth" / "patterns.csv",
        [
            ("pattern_id", pc.take(pat_text, pa.array(po2))),
            ("pattern", _take(PATTERNS, pkind[po2])),
            ("uscc", ut(pfirm[po2])),
        ],
    )
    return rows


def _pattern_rows(plan: _Plan, sites: _Sites) -> tuple[Ints, Ints, Ints]:
    rm = np.flatnonzero(plan.ring >= 0)
    lm = np.flatnonzero(plan.loop >= 0)
    hm = np.flatnonzero(sites.hotspot >= 0)
    pid = np.r_[plan.ring[rm], plan.loop[lm], sites.hotspot[hm]].astype(np.int64)
    pkind = np.r_[np.zeros(len(rm)), np.ones(len(lm)), np.full(len(hm), 2)].astype(np.int64)
    return pid, pkind, np.r_[rm, lm, hm].astype(np.int64)


# --------------------------------------------------------------------------- summary


def _shares(values: Ints, labels: Sequence[str]) -> dict[str, float]:
    counts = np.bincount(values, minlength=len(labels))
    return {
        lab: round(float(c) / max(1, len(values)), 4) for lab, c in zip(labels, counts, strict=True)
    }


def _summary(
    n: int,
    seed: int,
    f: _Firms,
    plan: _Plan,
    sites: _Sites,
    people: _People,
    inv: _Invest,
    risk: _Risk,
    vio: _Violations,
    cls: Ints,
    changes: Ints,
    components: dict[str, Floats],
    rows: dict[str, int],
    abnormal_hot: Bools,
    reg: _Regions,
) -> dict[str, Any]:
    per_site = np.bincount(sites.site)
    per_site = per_site[per_site > 0]
    current = people.slot_until < 0
    pairs = np.unique(people.slot_firm[current] * (1 << 31) + people.slot_person[current])
    firms_per_person = np.bincount(pairs & ((1 << 31) - 1))
    main = f.branch_parent < 0
    company = main & np.isin(f.kind, (LLC, JSC))
    regcap_wan = f.regcap[main] / 100.0
    planted = (plan.ring >= 0) | (plan.loop >= 0) | abnormal_hot
    active_abn = np.bincount(vio.firm[(vio.kind == V_ABNORMAL) & (vio.status == 0)], minlength=n)
    hot = sites.hotspot >= 0
    hot_share = float((active_abn[hot] > 0).mean()) if hot.any() else 0.0
    ring_cd = float((cls[plan.ring >= 0] >= 2).mean())
    loop_cd = float((cls[plan.loop >= 0] >= 2).mean())
    assoc_by_class = {
        c: round(float(components["association"][cls == i].mean()), 3) for i, c in enumerate("ABCD")
    }
    return {
        "enterprises": n,
        "seed": seed,
        "reference_date": REFERENCE_DATE.isoformat(),
        "rows": rows,
        "class_shares": _shares(cls, ("A", "B", "C", "D")),
        "patterns": {
            "shell_ring": {"instances": plan.n_rings, "members": int((plan.ring >= 0).sum())},
            "circular_shareholding": {
                "instances": len(plan.loop_len),
                "members": int((plan.loop >= 0).sum()),
                "lengths": {str(k): int((plan.loop_len == k).sum()) for k in (2, 3, 4)},
            },
            "address_hotspot": {
                "instances": plan.n_hotspots,
                "members": int(hot.sum()),
                "active_abnormal_share": round(hot_share, 3),
            },
            "shell_ring_class_cd_share": round(ring_cd, 3),
            "loop_class_cd_share": round(loop_cd, 3),
            "planted_class_cd_share": round(float((cls[planted] >= 2).mean()), 3),
        },
        "calibration": {
            "org_type_shares": _shares(f.kind[main], ORG_TYPES),
            "branches": int((~main).sum()),
            "status_shares": _shares(risk.status, STATUSES),
            "chengdu_share": round(float(reg.chengdu[f.region].mean()), 3),
            "registered_capital_wan": {
                "median": float(np.median(regcap_wan)),
                "p90": float(np.percentile(regcap_wan, 90)),
                "p99": float(np.percentile(regcap_wan, 99)),
                "max": float(regcap_wan.max()),
                "individual_median": float(np.median(regcap_wan[f.kind[main] == INDIV])),
            },
            "paid_in_zero_share_companies": round(float((f.paidin[company] == 0).mean()), 3),
            "established_years": {
                "median": round(float(np.median((REF - f.established) / YEAR)), 2),
                "max": round(float(((REF - f.established) / YEAR).max()), 2),
            },
            "addresses": len(per_site),
            "addresses_hosting_1_to_3_share": round(float((per_site <= 3).mean()), 4),
            "addresses_hosting_50_plus": int((per_site >= 50).sum()),
            "cluster_buildings": sites.n_buildings,
            "max_firms_per_address": int(per_site.max()),
            "persons": rows["persons.csv"],
            "persons_with_current_positions": int((firms_per_person > 0).sum()),
            "max_firms_per_person": int(firms_per_person.max()),
            "persons_with_20_plus_firms": int((firms_per_person >= 20).sum()),
            "hub_persons": int(people.hub.sum()),
            "group_firms": int((f.group >= 0).sum()),
            "max_group_levels": int(f.group_depth.max(initial=-1)) + 1,
            "enterprise_investments": int(inv.is_firm.sum()),
            "firms_with_legal_rep_changes_share": round(float((changes > 0).mean()), 3),
            "violations_by_kind": {
                k: int((vio.kind == i).sum()) for i, k in enumerate(VIOLATION_KINDS)
            },
            "firms_with_active_abnormal_share": round(float((active_abn > 0).mean()), 4),
            "latent_risk_by_class": {
                c: round(float(risk.latent[cls == i].mean()), 3) for i, c in enumerate("ABCD")
            },
            "association_z_by_class": assoc_by_class,
            "score_weights": dict(SCORE_WEIGHTS),
        },
    }
