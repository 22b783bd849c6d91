"""Risk clusters (关联风险群): connected groups of enterprises over strong links.

Links are *groups* of enterprises: the firms one person represents (``legal_rep``), the
firms one person represents or serves as an officer (``officer``), the firms at one
address (``address``), an investor and an investee holding at least ``min_ratio``
(``investment``), firms holding each other's shares in a cycle of any ratios
(``cross_holding``, a strongly connected component of the investment graph), a branch
and its parent (``branch``). Components are computed in Python with a union-find over
these groups, read from the graph in key-range pages.

A component larger than ``max_size`` is split by link strength: the weakest groups are
dropped first (``SPLIT_STEPS``: big addresses, then every address, then big officer
groups, ...) and only the still-oversized components are re-split, until each fits or
only branch and cross-holding links are left. Clusters are stored as ``RiskCluster``
nodes keyed by ``RC-<smallest member USCC>``; a rebuild MERGEs them and deletes what
the previous build left, so the result depends only on the graph and the parameters.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from riskgraph import cypher
from riskgraph.errors import RiskgraphError
from riskgraph.graph.paging import enterprise_pages
from riskgraph.graph.schema import apply_ddl
from riskgraph.graph.store import GraphStore
from riskgraph.memory import gc_paused

LINK_KINDS = ("branch", "cross_holding", "investment", "legal_rep", "officer", "address")
"""Strongest first."""

SPLIT_STEPS: tuple[tuple[str, bool], ...] = (
    ("address", True),
    ("address", False),
    ("officer", True),
    ("officer", False),
    ("legal_rep", True),
    ("legal_rep", False),
    ("investment", False),
)
"""Groups dropped, in order, from oversized components: (kind, only groups above hub_size)."""

CD_CLASSES = frozenset({"C", "D"})


class ClusterError(RiskgraphError):
    """Cluster parameters are invalid or a cluster does not exist."""


@dataclass(frozen=True)
class ClusterParams:
    """What counts as a strong link and how large a cluster may grow."""

    min_ratio: float = 0.2
    """Investment ratio from which an investor and its investee are linked."""
    max_size: int = 100
    """Components above this size are split by link strength."""
    hub_size: int = 20
    """A person or address linking more firms than this is a weak (hub) link."""
    min_size: int = 2
    """Smaller groups are not stored as clusters."""
    exclude_statuses: tuple[str, ...] = ("注销", "迁出")
    page_size: int = 20_000
    today: date | None = None
    """Positions ended (``until``) before this day do not link; default: today."""

    def check(self) -> None:
        if not 0.0 <= self.min_ratio <= 1.0:
            raise ClusterError("min_ratio must be in [0, 1]")
        if self.min_size < 2 or self.max_size < self.min_size:
            raise ClusterError("need 2 <= min_size <= max_size")
        if self.hub_size < 2 or self.page_size < 1:
            raise ClusterError("hub_size must be at least 2 and page_size at least 1")


@dataclass(frozen=True)
class Group:
    """Enterprises bound by one link (a person, an address, an investment, a branch)."""

    kind: str
    members: tuple[int, ...]


@dataclass
class Cluster:
    """One risk cluster as stored."""

    cid: str
    members: list[str]
    cd_count: int
    risk_mass: float
    reasons: list[str]
    reason_counts: list[int]
    level: int
    oversize: bool

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass
class BuildReport:
    """What a build found and wrote."""

    build: str
    enterprises: int
    clusters: int
    clustered: int
    largest: int
    split_components: int
    oversize: int
    deleted_clusters: int
    seconds: float
    sizes: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Snapshot:
    """The included enterprises (by index), their class and score, and the link groups."""

    keys: list[str]
    classes: list[str | None]
    scores: list[float]
    groups: list[Group]


# --------------------------------------------------------------------------- reading


def read_snapshot(store: GraphStore, params: ClusterParams) -> Snapshot:
    """Every included enterprise and its link groups, read page by page."""
    with gc_paused():
        return _read_snapshot(store, params)


def _read_snapshot(store: GraphStore, params: ClusterParams) -> Snapshot:
    today = (params.today or date.today()).isoformat()
    keys: list[str] = []
    classes: list[str | None] = []
    scores: list[float] = []
    person_lr: dict[str, list[str]] = {}
    person_any: dict[str, list[str]] = {}
    address: dict[str, list[str]] = {}
    pairs: list[tuple[str, str, str]] = []
    holdings: list[tuple[str, str]] = []
    pages = enterprise_pages(
        store,
        "cluster_enterprises_page",
        page_size=params.page_size,
        today=today,
        exclude_statuses=list(params.exclude_statuses),
    )
    for rows in pages:
        for row in rows:
            if not row["included"]:
                continue
            key = row["key"]
            keys.append(key)
            classes.append(row["class"])
            scores.append(float(row["score"] or 0.0))
            for pid in set(row["legal_reps"]):
                person_lr.setdefault(pid, []).append(key)
            for pid in set(row["legal_reps"]) | set(row["officers"]):
                person_any.setdefault(pid, []).append(key)
            for aid in set(row["addresses"]):
                address.setdefault(aid, []).append(key)
            for holding in row["investors"]:
                holdings.append((holding["key"], key))
                if holding["ratio"] is not None and holding["ratio"] >= params.min_ratio:
                    pairs.append(("investment", holding["key"], key))
            pairs.extend(("branch", key, parent) for parent in set(row["parents"]))
    # Pages come in the engine's cursor order; key order makes the snapshot (and so
    # every tie broken by position) the same on any engine.
    order = sorted(range(len(keys)), key=keys.__getitem__)
    keys = [keys[i] for i in order]
    classes = [classes[i] for i in order]
    scores = [scores[i] for i in order]
    pairs.sort()
    holdings.sort()
    index = {key: i for i, key in enumerate(keys)}
    groups: list[Group] = []

    def add(kind: str, members: list[str]) -> None:
        found = sorted({index[m] for m in members if m in index})
        if len(found) >= 2:
            groups.append(Group(kind, tuple(found)))

    for kind, a, b in pairs:
        add(kind, [a, b])
    for cycle in strongly_connected(holdings):
        add("cross_holding", cycle)
    for pid in sorted(person_lr):
        add("legal_rep", person_lr[pid])
    for pid in sorted(person_any):
        # Only worth a group of its own when the officer roles reach beyond the LR firms.
        if sorted(person_any[pid]) != sorted(person_lr.get(pid, [])):
            add("officer", person_any[pid])
    for aid in sorted(address):
        add("address", address[aid])
    return Snapshot(keys, classes, scores, groups)


def strongly_connected(edges: list[tuple[str, str]]) -> list[list[str]]:
    """Strongly connected components with two or more nodes (iterative Tarjan)."""
    succ: dict[str, list[str]] = {}
    for a, b in edges:
        succ.setdefault(a, []).append(b)
        succ.setdefault(b, [])
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(succ):
        if start in order:
            continue
        work = [(start, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                order[node] = low[node] = len(order)
                stack.append(node)
                on_stack.add(node)
            nexts = succ[node]
            if i < len(nexts):
                work.append((node, i + 1))
                nxt = nexts[i]
                if nxt not in order:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], order[nxt])
                continue
            if low[node] == order[node]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                if len(component) >= 2:
                    found.append(sorted(component))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return found


# --------------------------------------------------------------------------- components


class _UnionFind:
    """Union-find whose roots are the smallest member index."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    def union(self, i: int, j: int) -> bool:
        a, b = self.find(i), self.find(j)
        if a == b:
            return False
        if a > b:
            a, b = b, a
        self.parent[b] = a
        return True


def _dropped(group: Group, steps: tuple[tuple[str, bool], ...], hub_size: int) -> bool:
    return any(
        group.kind == kind and (not hubs_only or len(group.members) > hub_size)
        for kind, hubs_only in steps
    )


def components(
    n: int, groups: list[Group], *, max_size: int, hub_size: int
) -> tuple[list[int], list[int], int]:
    """Component labels per enterprise (the smallest member index), the split level each
    one ended at, and how many components were too large before splitting."""
    uf = _UnionFind(n)
    for group in groups:
        first = group.members[0]
        for other in group.members[1:]:
            uf.union(first, other)
    label = [uf.find(i) for i in range(n)]
    level = [0] * n
    split = 0
    for step in range(1, len(SPLIT_STEPS) + 1):
        sizes = Counter(label)
        over = {root for root, size in sizes.items() if size > max_size}
        if not over:
            break
        if step == 1:
            split = len(over)
        kept = SPLIT_STEPS[:step]
        fresh = _UnionFind(n)
        for group in groups:
            if label[group.members[0]] in over and not _dropped(group, kept, hub_size):
                first = group.members[0]
                for other in group.members[1:]:
                    fresh.union(first, other)
        for i in range(n):
            if label[i] in over:
                label[i] = fresh.find(i)
                level[i] = step
    return label, level, split


def build_clusters(snapshot: Snapshot, params: ClusterParams) -> tuple[list[Cluster], int]:
    """The clusters of a snapshot (sorted by id) and how many components were split."""
    label, level, split = components(
        len(snapshot.keys), snapshot.groups, max_size=params.max_size, hub_size=params.hub_size
    )
    members: dict[int, list[int]] = {}
    for i, root in enumerate(label):
        members.setdefault(root, []).append(i)
    final_level = {root: level[root] for root in members}
    reasons = _reasons(snapshot.groups, label, final_level, params.hub_size)
    clusters = []
    for root, idx in members.items():
        if len(idx) < params.min_size:
            continue
        keys = sorted(snapshot.keys[i] for i in idx)
        counts = reasons.get(root, Counter())
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], LINK_KINDS.index(kv[0])))
        clusters.append(
            Cluster(
                cid=f"RC-{keys[0]}",
                members=keys,
                cd_count=sum(1 for i in idx if snapshot.classes[i] in CD_CLASSES),
                risk_mass=round(sum(snapshot.scores[i] for i in idx), 6),
                reasons=[kind for kind, _ in ranked],
                reason_counts=[count for _, count in ranked],
                level=final_level[root],
                oversize=len(idx) > params.max_size,
            )
        )
    clusters.sort(key=lambda c: c.cid)
    return clusters, split


def _reasons(
    groups: list[Group], label: list[int], level: dict[int, int], hub_size: int
) -> dict[int, Counter[str]]:
    """Per component: how many member merges each link kind makes when links are added
    strongest first (the counts of a component sum to its size - 1)."""
    uf = _UnionFind(len(label))
    counts: dict[int, Counter[str]] = {}
    for group in sorted(groups, key=lambda g: LINK_KINDS.index(g.kind)):
        root = label[group.members[0]]
        if _dropped(group, SPLIT_STEPS[: level[root]], hub_size):
            continue
        first = group.members[0]
        for other in group.members[1:]:
            if label[other] == root and uf.union(first, other):
                counts.setdefault(root, Counter())[group.kind] += 1
    return counts


# --------------------------------------------------------------------------- storing


def build(
    store: GraphStore,
    params: ClusterParams | None = None,
    *,
    now: datetime | None = None,
    batch_size: int = 500,
) -> BuildReport:
    """Compute the clusters and replace the stored ones with them."""
    params = params or ClusterParams()
    params.check()
    started = time.monotonic()
    apply_ddl(store, "cluster_schema")
    snapshot = read_snapshot(store, params)
    clusters, split = build_clusters(snapshot, params)
    build_id = uuid.uuid4().hex[:16]
    stamp = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    built_at = stamp.isoformat(timespec="seconds") + "Z"
    write = cypher.text("cluster_write", store.dialect)
    rows = [
        {
            "cid": c.cid,
            "size": c.size,
            "cd_count": c.cd_count,
            "risk_mass": c.risk_mass,
            "reasons": c.reasons,
            "reason_counts": c.reason_counts,
            "level": c.level,
            "oversize": c.oversize,
            "members": c.members,
        }
        for c in clusters
    ]
    for batch in _batches(rows, batch_size):
        store.write(write, rows=batch, build=build_id, now=built_at)
    _prune(store, "cluster_prune_members", build_id)
    deleted = _prune(store, "cluster_prune_clusters", build_id)
    sizes = Counter(_size_band(c.size) for c in clusters)
    return BuildReport(
        build=build_id,
        enterprises=len(snapshot.keys),
        clusters=len(clusters),
        clustered=sum(c.size for c in clusters),
        largest=max((c.size for c in clusters), default=0),
        split_components=split,
        oversize=sum(1 for c in clusters if c.oversize),
        deleted_clusters=deleted,
        seconds=round(time.monotonic() - started, 3),
        sizes=dict(sorted(sizes.items())),
    )


def _prune(store: GraphStore, name: str, build_id: str, limit: int = 10_000) -> int:
    query = cypher.text(name, store.dialect)
    total = 0
    while True:
        [row] = store.write(query, build=build_id, limit=limit)
        total += int(row["deleted"])
        if int(row["deleted"]) < limit:
            return total


def _batches(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    """Batches of about ``size`` members each, so one huge cluster does not stall a batch."""
    batch: list[dict[str, Any]] = []
    weight = 0
    for row in rows:
        batch.append(row)
        weight += len(row["members"])
        if weight >= size:
            yield batch
            batch, weight = [], 0
    if batch:
        yield batch


def _size_band(size: int) -> str:
    for bound in (2, 3, 5, 10, 20, 50, 100):
        if size <= bound:
            return f"<={bound:03d}"
    return ">100"


def list_clusters(store: GraphStore, *, limit: int = 50, min_size: int = 2) -> list[dict[str, Any]]:
    """Stored clusters ranked by C/D members, risk mass and size."""
    return store.read(cypher.text("cluster_list", store.dialect), limit=limit, min_size=min_size)


def cluster_members(store: GraphStore, cid: str) -> list[dict[str, Any]]:
    """The members of a stored cluster; raises ClusterError when it does not exist."""
    rows = store.read(cypher.text("cluster_members", store.dialect), cid=cid)
    if not rows:
        raise ClusterError(f"no risk cluster {cid!r}")
    return rows
