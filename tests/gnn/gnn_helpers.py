"""Small hand-built graphs for the risk-model tests, written with the ingest queries."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from riskgraph.gnn.export import GraphExport, build_export
from riskgraph.graph.risk_export import KeyCollector
from riskgraph.graph.store import GraphStore

RUN = "gnn-test"


@dataclass
class Toy:
    """Rows for the ingest queries; ``load`` writes them in dependency order."""

    enterprises: list[dict[str, Any]] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)
    legal_reps: list[tuple[str, str]] = field(default_factory=list)
    positions: list[tuple[str, str, str]] = field(default_factory=list)
    person_investments: list[tuple[str, str]] = field(default_factory=list)
    enterprise_investments: list[tuple[str, str]] = field(default_factory=list)
    branches: list[tuple[str, str]] = field(default_factory=list)
    violations: list[dict[str, Any]] = field(default_factory=list)

    def enterprise(
        self,
        uscc: str,
        *,
        established: str | None = None,
        aid: str | None = None,
        region_code: str | None = None,
        **props: Any,
    ) -> None:
        self.enterprises.append(
            {
                "uscc": uscc,
                "props": props,
                "established": established,
                "aid": aid,
                "address": f"address {aid}" if aid else None,
                "region_code": region_code,
            }
        )

    def violation(self, uscc: str, kind: str, day: str | None = None, **props: Any) -> None:
        vid = f"v{len(self.violations):05d}"
        self.violations.append(
            {
                "vid": vid,
                "uscc": uscc,
                "props": {"kind": kind, "status": "有效", **props},
                "date": day,
                "removed_on": None,
            }
        )

    def load(self, store: GraphStore) -> None:
        def write(name: str, rows: Sequence[dict[str, Any]]) -> None:
            if rows:
                store.write_batches(store.query_text(name), rows, 500, run_id=RUN)

        write("ingest_enterprises", self.enterprises)
        write("ingest_persons", [{"pid": p, "props": {}} for p in self.persons])
        write(
            "ingest_legal_reps",
            [{"pid": p, "uscc": e, "since": None, "until": None} for p, e in self.legal_reps],
        )
        write(
            "ingest_positions",
            [
                {"pid": p, "uscc": e, "role": r, "since": None, "until": None}
                for p, e, r in self.positions
            ],
        )
        write("ingest_person_investments", _investments(self.person_investments))
        write("ingest_enterprise_investments", _investments(self.enterprise_investments))
        write(
            "ingest_branches",
            [{"branch": b, "parent": p, "since": None} for b, p in self.branches],
        )
        write("ingest_violations", self.violations)


def assemble(
    records: Iterable[dict[str, Any]],
    violations: Iterable[dict[str, Any]],
    edges: Iterable[tuple[str, str, str, str, str]],
    roles: Iterable[tuple[str, str]] = (),
) -> GraphExport:
    """An export of plain rows, without a database: the key-paged reader's fold
    (:class:`KeyCollector`) and the export's :func:`build_export`."""
    collector = KeyCollector()
    collector.add_records(records)
    collector.add_edges(edges)
    collector.add_roles(roles)
    collector.add_violations(list(violations))
    return build_export(collector.finish())


def _investments(pairs: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    return [
        {"investor": i, "investee": e, "props": {"ratio": 0.5, "amount": 10.0}, "since": None}
        for i, e in pairs
    ]


def planted(n: int = 200, *, seed: int = 0, classes: Sequence[str] | None = None) -> Toy:
    """A structural signal: target firm ``T`` is risky iff the other firm of its legal rep is.

    Every target ``T<i>`` has one legal representative ``p<i>`` who also represents a
    partner firm ``Q<i>``; the targets look alike on their own (random capital, same
    structure). Every partner has 1–3 violations. Binary: ``label = 1`` iff they are
    serious (严重违法失信) rather than complaints (投诉举报), so only their kind tells.
    With ``classes``, a partner of class index ``k`` has ``k`` serious violations and
    ``len(classes) - 1 - k`` complaints (``label_class``).
    """
    rng = random.Random(seed)
    toy = Toy()
    for i in range(n):
        target, partner, person = f"T{i:04d}", f"Q{i:04d}", f"p{i:04d}"
        level = rng.randrange(len(classes)) if classes else rng.randrange(2)
        labels: dict[str, Any] = {"label_class": classes[level]} if classes else {"label": level}
        capital = float(rng.randint(10, 1000))
        toy.enterprise(target, registered_capital=capital, paid_in_capital=capital / 2, **labels)
        toy.enterprise(partner, registered_capital=float(rng.randint(10, 1000)))
        toy.persons.append(person)
        toy.legal_reps += [(person, target), (person, partner)]
        if classes:
            serious, complaints = level, len(classes) - 1 - level
        else:
            count = rng.randint(1, 3)
            serious, complaints = (count, 0) if level else (0, count)
        for _ in range(serious):
            toy.violation(partner, "严重违法失信", "2024-01-01")
        for _ in range(complaints):
            toy.violation(partner, "投诉举报", "2024-01-01")
    return toy
