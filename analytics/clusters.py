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

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from riskgraph.errors import Invalid, NotFound
from riskgraph.graph.job_lock import job_lock
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


class ClusterError(Invalid):
    """Cluster parameters are invalid or a cluster does not exist."""


class ClusterNotFound(NotFound):
    """No stored cluster has the id."""


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


@dataclass
class _Links:
    """The links of the enterprises read so far, by kind, keyed by enterprise key."""

    min_ratio: float
    person_lr: dict[str, list[str]] = field(default_factory=dict)
    person_any: dict[str, list[str]] = field(default_factory=dict)
    address: dict[str, list[str]] = field(default_factory=dict)
    pairs: list[tuple[str, str, str]] = field(default_factory=list)
    holdings: list[tuple[str, str]] = field(default_factory=list)

    def add(self, key: str, row: dict[str, Any]) -> None:
        """Note one enterprise row's persons, addresses, investors and parents."""
        for pid in set(row["legal_reps"]):
            self.person_lr.setdefault(pid, []).append(key)
        for pid in set(row["legal_reps"]) | set(row["officers"]):
            self.person_any.setdefault(pid, []).append(key)
        for aid in set(row["addresses"]):
            self.address.setdefault(aid, []).append(key)
        for holding in row["investors"]:
            self.holdings.append((holding["key"], key))
            if holding["ratio"] is not None and holding["ratio"] >= self.min_ratio:
                self.pairs.append(("investment", holding["key"], key))
        self.pairs.extend(("branch", key, parent) for parent in set(row["parents"]))

    def groups(self, index: dict[str, int]) -> list[Group]:
        """The link groups over the included enterprises (``index``: key → position)."""
        groups: list[Group] = []

        def add(kind: str, members: list[str]) -> None:
            found = sorted({index[m] for m in members if m in index})
            if len(found) >= 2:
                groups.append(Group(kind, tuple(found)))

        for kind, a, b in sorted(self.pairs):
            add(kind, [a, b])
        for cycle in strongly_connected(sorted(self.holdings)):
            add("cross_holding", cycle)
        for pid in sorted(self.person_lr):
            add("legal_rep", self.person_lr[pid])
        for pid in sorted(self.person_any):
            # Only worth a group of its own when the officer roles reach beyond the LR firms.
            if sorted(self.person_any[pid]) != sorted(self.person_lr.get(pid, [])):
                add("officer", self.person_any[pid])
        for aid in sorted(self.address):
            add("address", self.address[aid])
        return groups


def _read_snapshot(store: GraphStore, params: ClusterParams) -> Snapshot:
    today = (params.today or date.today()).isoformat()
    entries: list[tuple[str, str | None, float]] = []
    links = _Links(params.min_ratio)
    pages = enterprise_pages(
        store,
        "cluster_enterprises_page",
        page_size=params.page_size,
        today=today,
        exclude_statuses=list(params.exclude_statuses),
    )
    for rows in pages:
        for row in rows:
            if row["included"]:
                entries.append((row["key"], row["class"], float(row["score"] or 0.0)))
                links.add(row["key"], row)
    # Pages come in the engine's cursor order; key order makes the snapshot (and so
    # every tie broken by position) the same on any engine.
    entries.sort(key=lambda entry: entry[0])
    keys = [key for key, _, _ in entries]
    index = {key: i for i, key in enumerate(keys)}
    return Snapshot(
        keys,
        [cls for _, cls, _ in entries],
        [score for _, _, score in entries],
        links.groups(index),
    )


def strongly_connected(edges: list[tuple[str, str]]) -> list[list[str]]:
    """Strongly connected components with two or more nodes, each sorted, ordered by
    their first member."""
    names = sorted({name for edge in edges for name in edge})
    index = {name: i for i, name in enumerate(names)}
    rows = [index[a] for a, _ in edges]
    cols = [index[b] for _, b in edges]
    _, labels = connected_components(
        _adjacency(len(names), rows, cols), directed=True, connection="strong"
    )
    found: dict[int, list[str]] = {}
    for name, label in zip(names, labels.tolist(), strict=True):
        found.setdefault(label, []).append(name)
    return sorted(members for members in found.values() if len(members) >= 2)


# --------------------------------------------------------------------------- components


def _adjacency(n: int, rows: list[int], cols: list[int]) -> csr_matrix:
    """An n×n sparse adjacency matrix with a link from each ``rows[i]`` to ``cols[i]``."""
    return csr_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n, n))


def _roots(n: int, rows: list[int], cols: list[int]) -> np.ndarray:
    """Each node's component (links taken both ways), named by its smallest member."""
    count, labels = connected_components(_adjacency(n, rows, cols), directed=False)
    smallest = np.full(count, n, dtype=np.int64)
    np.minimum.at(smallest, labels, np.arange(n))
    roots: np.ndarray = smallest[labels]
    return roots


def _star(groups: list[Group]) -> tuple[list[int], list[int]]:
    """Links joining each group's members to its first member."""
    rows = [g.members[0] for g in groups for _ in g.members[1:]]
    cols = [other for g in groups for other in g.members[1:]]
    return rows, cols


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
    label = _roots(n, *_star(groups)).tolist()
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
        fresh = _roots(
            n,
            *_star(
                [
                    g
                    for g in groups
                    if label[g.members[0]] in over and not _dropped(g, kept, hub_size)
                ]
            ),
        ).tolist()
        for i in range(n):
            if label[i] in over:
                label[i] = fresh[i]
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
    n = len(label)
    links: dict[str, tuple[list[int], list[int]]] = {kind: ([], []) for kind in LINK_KINDS}
    for group in groups:
        root = label[group.members[0]]
        if _dropped(group, SPLIT_STEPS[: level[root]], hub_size):
            continue
        rows, cols = links[group.kind]
        for other in group.members[1:]:
            if label[other] == root:
                rows.append(group.members[0])
                cols.append(other)
    counts: dict[int, Counter[str]] = {}
    parts = Counter(label)  # components per cluster before any link: its members
    rows, cols = [], []
    for kind in LINK_KINDS:
        if not links[kind][0]:
            continue
        rows += links[kind][0]
        cols += links[kind][1]
        joined = _roots(n, rows, cols).tolist()
        now = Counter(root for root, _ in set(zip(label, joined, strict=True)))
        for root, before in parts.items():
            if before > now[root]:
                counts.setdefault(root, Counter())[kind] += before - now[root]
        parts = now
    return counts


# --------------------------------------------------------------------------- storing


def build(
    store: GraphStore,
    params: ClusterParams | None = None,
    *,
    now: datetime | None = None,
    batch_size: int = 500,
) -> BuildReport:
    """Compute the clusters and replace the stored ones with them. One build at a time
    (JobRunning): each prunes the clusters the other wrote."""
    params = params or ClusterParams()
    params.check()
    with job_lock(store, "clusters_build"):
        return _build(store, params, now=now, batch_size=batch_size)


def _build(
    store: GraphStore, params: ClusterParams, *, now: datetime | None, batch_size: int
) -> BuildReport:
    started = time.monotonic()
    apply_ddl(store, "cluster_schema")
    snapshot = read_snapshot(store, params)
    clusters, split = build_clusters(snapshot, params)
    build_id = uuid.uuid4().hex[:16]
    stamp = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    built_at = stamp.isoformat(timespec="seconds") + "Z"
    write = store.query_text("cluster_write")
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
    query = store.query_text(name)
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
    return store.read(store.query_text("cluster_list"), limit=limit, min_size=min_size)


def cluster_members(store: GraphStore, cid: str) -> list[dict[str, Any]]:
    """The members of a stored cluster; raises ClusterNotFound when it does not exist."""
    rows = store.read(store.query_text("cluster_members"), cid=cid)
    if not rows:
        raise ClusterNotFound(f"no risk cluster {cid!r}")
    return rows
