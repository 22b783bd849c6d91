"""A saved view's case report as printable HTML (Jinja2, every value escaped)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from riskgraph.analytics.views import ReportData

COLOURS = {"A": "#2e7d32", "B": "#1e88e5", "C": "#fb8c00", "D": "#d32f2f"}
"""Risk class colours, as the web app's graphs draw them (src/graph/style.js)."""
LEGEND = [
    *({"colour": c, "shape": "", "label": f"{k} 类"} for k, c in COLOURS.items()),
    {"colour": "#9e9e9e", "shape": "", "label": "未分类"},
    {"colour": "#7e57c2", "shape": "circle", "label": "自然人"},
    {"colour": "#00897b", "shape": "diamond", "label": "住所"},
    {"colour": "#6d4c41", "shape": "diamond", "label": "违法违规"},
]
RELATIONS = {
    "LEGAL_REP_OF": "法定代表人",
    "HOLDS_POSITION": "任职",
    "INVESTS_IN": "投资",
    "SHAREHOLDER_OF": "股东",
    "BRANCH_OF": "分支机构",
    "REGISTERED_AT": "住所",
    "HAS_VIOLATION": "违法违规",
}

_env = Environment(
    loader=PackageLoader("riskgraph.api.report", ""),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_report(
    data: ReportData,
    *,
    view: dict[str, Any],
    persons: list[dict[str, Any]],
    author: str,
    reader: str,
    masked: bool,
    generated: datetime | None = None,
) -> str:
    """The report's HTML. ``view`` and ``persons`` come as the reader may see them
    (masked by the caller); firms, violations and alerts hold no person data."""
    state = view["state"]
    labels = {n["key"]: n.get("label") or n["key"] for n in state.get("nodes", [])}
    firms = [
        {
            **firm,
            "cls": firm.get("risk_class") or firm.get("label_class"),
            "labelled": firm.get("risk_class") is None and firm.get("label_class") is not None,
        }
        for firm in data.firms
    ]
    notes = [{**note, "on": _target(note["target"], labels)} for note in view["notes"]]
    moment = (generated or datetime.now(UTC)).astimezone(UTC)
    html: str = _env.get_template("view_report.html").render(
        view=view,
        author=author,
        reader=reader,
        generated=moment.strftime("%Y-%m-%d %H:%M UTC"),
        legend=LEGEND,
        colours=COLOURS,
        picture=base64.b64encode(data.picture).decode("ascii") if data.picture else None,
        counts={
            "nodes": len(state.get("nodes", [])),
            "edges": len(state.get("edges", [])),
            "notes": len(view["notes"]),
        },
        firms=firms,
        persons=persons,
        masked=masked,
        violations=data.violations,
        alerts=data.alerts,
        notes=notes,
    )
    return html


def _target(target: dict[str, Any], labels: dict[str, str]) -> str:
    if "node" in target:
        return str(labels.get(target["node"], target["node"]))
    edge = target["edge"]
    relation = RELATIONS.get(edge["type"], edge["type"])
    source = labels.get(edge["source"], edge["source"])
    return f"{source} → {labels.get(edge['target'], edge['target'])}（{relation}）"
