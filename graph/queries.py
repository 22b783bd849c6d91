"""The registry of named relationship queries (关联关系查询).

Each entry says what a query is called (in English and Chinese), which
parameters it takes (type, default, limits) and which function runs it. The
CLI (``riskgraph query NAME --param k=v``) and the API both go through
:func:`run_named`, which validates the parameters before any Cypher runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from riskgraph.errors import NotFound
from riskgraph.graph.family_tree import family_tree
from riskgraph.graph.neighbourhood import Only, neighbours
from riskgraph.graph.query_common import KEY_PROPERTY, EntityNotFound, InvalidParameters
from riskgraph.graph.query_paths import associated_risk, paths
from riskgraph.graph.query_patterns import (
    REGION_WIDTH,
    colocated,
    hub_persons,
    risk_map,
    shareholding_loops,
)
from riskgraph.graph.store import GraphStore

__all__ = [
    "QUERIES",
    "EntityNotFound",
    "InvalidParameters",
    "NamedQuery",
    "Param",
    "UnknownQuery",
    "describe",
    "get",
    "run_named",
]


class UnknownQuery(NotFound):
    """No named query exists under that name."""


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Final = _Required()
_MAX_TEXT = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Param:
    """One parameter: ``kind`` is ``str`` or ``int``; ``None`` is accepted when ``nullable``."""

    name: str
    kind: type
    help: str
    default: object = REQUIRED
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] | None = None
    pattern: str | None = None
    nullable: bool = False

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def check(self, value: object) -> Any:
        """The value, converted and validated, or InvalidParameters."""
        if value is None:
            if self.nullable:
                return None
            raise InvalidParameters(f"parameter {self.name!r} must not be null")
        if self.kind is int:
            return self._check_int(value)
        if not isinstance(value, str):
            raise InvalidParameters(f"parameter {self.name!r} must be a string, got {value!r}")
        if len(value) > _MAX_TEXT or _CONTROL.search(value):
            raise InvalidParameters(f"parameter {self.name!r} is too long or holds control codes")
        if self.choices is not None and value not in self.choices:
            raise InvalidParameters(
                f"parameter {self.name!r} must be one of {', '.join(self.choices)}; got {value!r}"
            )
        if self.pattern is not None and not re.fullmatch(self.pattern, value):
            raise InvalidParameters(f"parameter {self.name!r} has an invalid value {value!r}")
        return value

    def _check_int(self, value: object) -> int:
        if isinstance(value, str) and re.fullmatch(r"-?\d{1,9}", value.strip()):
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            raise InvalidParameters(f"parameter {self.name!r} must be an integer, got {value!r}")
        if (self.minimum is not None and value < self.minimum) or (
            self.maximum is not None and value > self.maximum
        ):
            raise InvalidParameters(
                f"parameter {self.name!r} must be between {self.minimum} and {self.maximum}; "
                f"got {value}"
            )
        return value

    def describe(self) -> dict[str, Any]:
        """A JSON-ready description (for ``--list`` and the API's documentation)."""
        out: dict[str, Any] = {
            "name": self.name,
            "type": self.kind.__name__,
            "required": self.required,
            "help": self.help,
        }
        if not self.required:
            out["default"] = self.default
        for key in ("minimum", "maximum", "choices", "pattern"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.nullable:
            out["nullable"] = True
        return out


Runner = Callable[[GraphStore, dict[str, Any]], Any]


@dataclass(frozen=True)
class NamedQuery:
    """A named query: titles, parameters and the function that runs it."""

    name: str
    title: str
    title_zh: str
    description: str
    params: tuple[Param, ...]
    runner: Runner
    check: Callable[[dict[str, Any]], None] | None = None

    def validate(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """Every parameter, defaults filled in, or InvalidParameters."""
        if not isinstance(given, Mapping):
            raise InvalidParameters("parameters must be a mapping of names to values")
        known = {param.name for param in self.params}
        unknown = sorted(set(given) - known)
        if unknown:
            raise InvalidParameters(
                f"{self.name} has no parameter {', '.join(map(repr, unknown))}; "
                f"it takes {', '.join(sorted(known))}"
            )
        values: dict[str, Any] = {}
        for param in self.params:
            if param.name in given:
                values[param.name] = param.check(given[param.name])
            elif param.required:
                raise InvalidParameters(f"{self.name} needs the parameter {param.name!r}")
            else:
                values[param.name] = param.default
        if self.check is not None:
            self.check(values)
        return values

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "title_zh": self.title_zh,
            "description": self.description,
            "params": [param.describe() for param in self.params],
        }


def _uscc(help_text: str = "the enterprise's key (统一社会信用代码)") -> Param:
    return Param("uscc", str, help_text, pattern=r"\S+")


def _limit(default: int, maximum: int, what: str) -> Param:
    return Param("limit", int, f"at most this many {what}", default, 1, maximum)


def _neighbour_check(values: dict[str, Any]) -> None:
    if values["offset"] and values["type"] is None:
        raise InvalidParameters("offset pages within one relationship type: give 'type' too")
    if values["risk_class"] is not None and values["type"] is None:
        raise InvalidParameters("risk_class pages within one relationship type: give 'type' too")


_REL_TYPE = r"[A-Z][A-Z0-9_]{0,63}"

QUERIES: Final[dict[str, NamedQuery]] = {
    query.name: query
    for query in (
        NamedQuery(
            "family_tree",
            "Family tree",
            "族谱",
            "Shareholders up to the ultimate controllers (股权穿透) with cumulative shares, "
            "beneficial owners (≥25 %) and the actual controller; investments down; branches.",
            (
                _uscc(),
                Param("up", int, "levels of shareholders above the enterprise", 3, 0, 6),
                Param("down", int, "levels of investments below the enterprise", 3, 0, 6),
                _limit(5000, 20000, "paths per direction"),
            ),
            lambda store, p: family_tree(store, p["uscc"], p["up"], p["down"], p["limit"]),
        ),
        NamedQuery(
            "neighbours",
            "Neighbourhood",
            "邻居展开",
            "Neighbours grouped by relationship type and direction: the total per group and "
            "the riskiest first page; page further within one type.",
            (
                Param("key", str, "the node's key (uscc, pid, aid or vid)", pattern=r"\S+"),
                Param("label", str, "the node's label", "Enterprise", choices=tuple(KEY_PROPERTY)),
                _limit(20, 200, "neighbours per group"),
                Param(
                    "offset", int, "skip this many neighbours (within one type)", 0, 0, 10_000_000
                ),
                Param(
                    "type",
                    str,
                    "only this relationship type",
                    None,
                    pattern=_REL_TYPE,
                    nullable=True,
                ),
                Param(
                    "direction",
                    str,
                    "only this direction",
                    None,
                    choices=("out", "in"),
                    nullable=True,
                ),
                Param(
                    "risk_class",
                    str,
                    "only neighbours of this risk class (none: without one); with 'type'",
                    None,
                    choices=("A", "B", "C", "D", "none"),
                    nullable=True,
                ),
                Param("by_class", int, "1: count each group per kind and risk class", 0, 0, 1),
            ),
            lambda store, p: neighbours(
                store,
                p["key"],
                p["label"],
                limit=p["limit"],
                offset=p["offset"],
                only=Only(p["type"], p["direction"], p["risk_class"]),
                by_class=bool(p["by_class"]),
            ),
            _neighbour_check,
        ),
        NamedQuery(
            "paths",
            "Paths between two entities",
            "查关系",
            "All shortest paths of at most max_hops between two enterprises, persons or "
            "addresses, through persons, investments, addresses and branches, both directions.",
            (
                Param("from", str, "key of the first entity", pattern=r"\S+"),
                Param("to", str, "key of the second entity", pattern=r"\S+"),
                Param("max_hops", int, "longest path searched", 4, 1, 6),
                _limit(20, 100, "paths"),
            ),
            lambda store, p: paths(store, p["from"], p["to"], p["max_hops"], p["limit"]),
        ),
        NamedQuery(
            "associated_risk",
            "Associated risk",
            "关联风险",
            "C/D enterprises and open violations (有效) within k hops, each with its linking "
            "path, and a roll-up per relation type.",
            (
                _uscc(),
                Param("hops", int, "how far to look", 2, 1, 3),
                _limit(100, 1000, "enterprises and violations each"),
            ),
            lambda store, p: associated_risk(store, p["uscc"], p["hops"], p["limit"]),
        ),
        NamedQuery(
            "colocated",
            "Co-located enterprises",
            "同址企业",
            "Enterprises registered at the same address, riskiest first, with the total.",
            (
                _uscc(),
                _limit(50, 500, "enterprises per address"),
                Param("offset", int, "skip this many enterprises per address", 0, 0, 10_000_000),
            ),
            lambda store, p: colocated(store, p["uscc"], p["limit"], p["offset"]),
        ),
        NamedQuery(
            "hub_persons",
            "Hub persons",
            "一人多企",
            "Persons who are legal representative or officer of many enterprises.",
            (
                Param("min_firms", int, "at least this many enterprises", 10, 2, 1_000_000),
                _limit(50, 1000, "persons"),
            ),
            lambda store, p: hub_persons(store, p["min_firms"], p["limit"]),
        ),
        NamedQuery(
            "shareholding_loops",
            "Circular shareholding",
            "循环持股",
            "INVESTS_IN cycles among enterprises, each loop reported once.",
            (
                Param("max_length", int, "longest cycle searched", 4, 1, 6),
                _limit(100, 1000, "loops"),
            ),
            lambda store, p: shareholding_loops(store, p["max_length"], p["limit"]),
        ),
        NamedQuery(
            "risk_map",
            "Risk map",
            "风险地图",
            "Enterprises per region and industry section, counted per risk class.",
            (
                Param("level", str, "group regions by", "district", choices=tuple(REGION_WIDTH)),
                Param(
                    "prefix",
                    str,
                    "only region codes starting with these digits",
                    "",
                    pattern=r"\d{0,6}",
                ),
            ),
            lambda store, p: risk_map(store, p["level"], p["prefix"]),
        ),
    )
}


def get(name: str) -> NamedQuery:
    """The named query ``name``, or UnknownQuery."""
    try:
        return QUERIES[name]
    except (KeyError, TypeError):
        raise UnknownQuery(
            f"no named query {name!r}; known: {', '.join(sorted(QUERIES))}"
        ) from None


def describe() -> list[dict[str, Any]]:
    """Every named query with its parameters, sorted by name."""
    return [QUERIES[name].describe() for name in sorted(QUERIES)]


def run_named(
    store: GraphStore, name: str, params: Mapping[str, Any]
) -> dict[str, Any] | list[Any]:
    """Validate ``params`` for the query ``name`` and run it.

    Raises UnknownQuery or EntityNotFound (NotFound kinds) or InvalidParameters (Invalid).
    """
    query = get(name)
    result: dict[str, Any] | list[Any] = query.runner(store, query.validate(params))
    return result
