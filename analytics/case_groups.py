"""Which alerts form one case, and which stored case each group continues.

Every alert is reduced to *linking keys*: its own firm, the persons, addresses and firms
its evidence names (``legal_rep:<pid>@…`` → ``person:<pid>``, ``deregistered:<uscc>`` →
``firm:<uscc>``, …) and the risk cluster its firm belongs to (a weak link, as is a
D-class firm two hops away). Alerts sharing a key are
one case: the cases are the connected components of the bipartite alert–key graph
(``scipy.sparse.csgraph.connected_components``). A component above ``max_size`` alerts
is split again with weaker keys left out (``levels``): first cluster membership, then
the other weak links, then keys shared by more than ``hub_size`` of its alerts, finally
everything but the alert's own firm.

Identity: a group keeps the stored case id that most of its alerts had (the largest
overlap wins, ties to the smaller id); a group that claims none gets
``CASE-<sha256(anchor)[:12]>``, the anchor being the key most of its alerts share (ties
to the smaller key), so the same evidence gives the same id. See docs/cases.md for
merges and splits.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

LINK_KINDS: dict[str, str] = {
    "address": "address",
    "legal_rep": "person",
    "officer": "person",
    "person": "person",
    "firm": "firm",
    "deregistered": "firm",
    "listed": "firm",
    "parent": "firm",
    "listed_investor": "firm",
    "d_class": "~firm",
}
"""Evidence kinds that name an entity, and the kind of linking key they give; ``~``
marks a weak link (a D-class firm two hops away), left out first when a case grows too
large. ``~firm:X`` and ``firm:X`` are the same key."""

SEVERITY_RANK = {"high": 3, "medium": 2, "low": 1}


def linking_keys(subject: str, evidence: Sequence[str], cluster: str | None) -> list[str]:
    """The alert's linking keys; the first is always its own firm (``firm:<subject>``)."""
    keys = [f"firm:{subject}"]
    for item in evidence:
        kind, sep, rest = item.partition(":")
        target = LINK_KINDS.get(kind)
        if not sep or not rest or target is None:
            continue
        value = rest.partition("@")[0] if target == "person" else rest
        keys.append(f"{target}:{value}")
    if cluster:
        keys.append(f"~cluster:{cluster}")
    return list(dict.fromkeys(keys))


def _bare(key: str) -> str:
    return key.removeprefix("~")


KeyFilter = Callable[[list[str], Counter[str]], list[str]]


def _all(keys: list[str], counts: Counter[str]) -> list[str]:
    return keys


def _no_clusters(keys: list[str], counts: Counter[str]) -> list[str]:
    return [key for key in keys if not key.startswith("~cluster:")]


def _strong(keys: list[str], counts: Counter[str]) -> list[str]:
    return [key for key in keys if not key.startswith("~")]


def _own_firm(keys: list[str], counts: Counter[str]) -> list[str]:
    return keys[:1]


def _no_hubs(hub_size: int) -> KeyFilter:
    def keep(keys: list[str], counts: Counter[str]) -> list[str]:
        return keys[:1] + [k for k in _strong(keys[1:], counts) if counts[_bare(k)] <= hub_size]

    return keep


def levels(hub_size: int) -> tuple[KeyFilter, ...]:
    """The key filters tried in turn on an oversized component, strongest grouping first."""
    return (_all, _no_clusters, _strong, _no_hubs(hub_size), _own_firm)


def _labels(keys: Sequence[list[str]]) -> np.ndarray:
    """Component label of each alert in the bipartite alert–key graph."""
    index: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for i, alert_keys in enumerate(keys):
        for key in alert_keys:
            rows.append(i)
            cols.append(index.setdefault(_bare(key), len(index)))
    n = len(keys) + len(index)
    graph = csr_matrix(
        (np.ones(len(rows), dtype=np.int8), (np.array(rows), np.array(cols) + len(keys))),
        shape=(n, n),
    )
    _, labels = connected_components(graph, directed=False)
    alert_labels: np.ndarray = labels[: len(keys)]
    return alert_labels


def group_alerts(
    keys: Sequence[list[str]], *, max_size: int = 500, hub_size: int = 200
) -> list[list[int]]:
    """Alert indexes grouped by shared keys, each group sorted, groups in order of their
    first alert; a group above ``max_size`` is split with the next filter of ``levels``."""
    filters = levels(hub_size)
    done: list[list[int]] = []
    pending: list[tuple[list[int], int]] = [(list(range(len(keys))), 0)]
    while pending:
        members, level = pending.pop()
        counts = Counter(_bare(key) for i in members for key in keys[i])
        kept = [filters[level](keys[i], counts) for i in members]
        labels = _labels(kept)
        groups: dict[int, list[int]] = {}
        for position, label in enumerate(labels):
            groups.setdefault(int(label), []).append(members[position])
        for group in groups.values():
            if len(group) > max_size and level + 1 < len(filters):
                pending.append((group, level + 1))
            else:
                done.append(sorted(group))
    return sorted(done, key=lambda group: group[0])


def anchor(keys: Sequence[list[str]], group: Sequence[int]) -> str:
    """The key most alerts of the group share (ties: the smaller key)."""
    counts = Counter(_bare(key) for i in group for key in keys[i])
    return min(counts, key=lambda key: (-counts[key], key))


def derived_id(anchor_key: str) -> str:
    """A case id derived from its anchor key."""
    return "CASE-" + hashlib.sha256(anchor_key.encode("utf-8")).hexdigest()[:12]


@dataclass
class Identity:
    """A group's case id and how it relates to the stored cases."""

    id: str
    kept: bool
    """The id is a stored case's (the group continues it)."""
    split_from: str | None = None
    """A stored case most of whose other alerts went to another group."""
    absorbed: list[str] = field(default_factory=list)
    """Stored cases no group continues whose alerts mostly came here."""


def identities(
    groups: Sequence[Sequence[int]], previous: Sequence[str | None], anchors: Sequence[str]
) -> list[Identity]:
    """One identity per group: continue the stored case it overlaps most (greedy by
    overlap), else a new id derived from its anchor."""
    overlaps = [Counter(str(previous[i]) for i in group if previous[i]) for group in groups]
    pairs = sorted(
        ((count, g, old) for g, counter in enumerate(overlaps) for old, count in counter.items()),
        key=lambda pair: (-pair[0], pair[2], pair[1]),
    )
    chosen: dict[int, str] = {}
    for _, g, old in pairs:
        if g not in chosen and old not in chosen.values():
            chosen[g] = old
    used = set(chosen.values())
    result: list[Identity] = []
    for g, counter in enumerate(overlaps):
        if g in chosen:
            result.append(Identity(id=chosen[g], kept=True))
            continue
        case_id = derived_id(anchors[g])
        if case_id in used:  # the anchor's id is taken by a continued case
            case_id = derived_id(f"{anchors[g]}|{min(groups[g])}")
        used.add(case_id)
        top = min(counter, key=lambda old: (-counter[old], old)) if counter else None
        result.append(Identity(id=case_id, kept=False, split_from=top))
    home: dict[str, tuple[int, int]] = {}
    for g, counter in enumerate(overlaps):
        for old, count in counter.items():
            if old not in used and (old not in home or count > home[old][0]):
                home[old] = (count, g)
    for old, (_, g) in sorted(home.items()):
        result[g].absorbed.append(old)
    for identity in result:
        if identity.split_from is not None and identity.split_from not in chosen.values():
            identity.split_from = None  # its stored case went nowhere else: not a split
    return result
