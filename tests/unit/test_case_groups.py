"""Grouping alerts into cases and carrying case ids across rebuilds (no database)."""

from __future__ import annotations

from riskgraph.analytics.case_groups import (
    anchor,
    derived_id,
    group_alerts,
    identities,
    linking_keys,
)


def test_linking_keys_name_entities_and_ignore_facts() -> None:
    keys = linking_keys(
        "F1",
        ["legal_rep:p1@2024-01-05", "address:a1", "firms:30", "deregistered:F9", "d_class:D1"],
        "RC-1",
    )
    assert keys == ["firm:F1", "person:p1", "address:a1", "firm:F9", "~firm:D1", "~cluster:RC-1"]
    assert linking_keys("F1", ["established:2020-01-01", "firm:F1"], None) == ["firm:F1"]


def test_shared_evidence_makes_one_group_and_unrelated_alerts_stay_apart() -> None:
    keys = [
        linking_keys("F1", ["legal_rep:p1", "address:a1"], None),
        linking_keys("F2", ["legal_rep:p1"], None),
        linking_keys("F3", ["address:a1"], None),
        linking_keys("U1", ["established:2019-01-01"], None),
        linking_keys("U2", ["established:2019-01-01"], None),
        linking_keys("F2", ["violation:v1"], None),  # a second alert on a ring firm
    ]
    assert group_alerts(keys) == [[0, 1, 2, 5], [3], [4]]


def test_oversized_groups_drop_weak_links_first() -> None:
    # Two rings joined only by a risk cluster and a D-class firm two hops away.
    ring_a = [linking_keys(f"A{i}", ["legal_rep:pa"], "RC-1") for i in range(3)]
    ring_b = [linking_keys(f"B{i}", ["legal_rep:pb", "d_class:A0"], "RC-1") for i in range(3)]
    keys = ring_a + ring_b
    assert group_alerts(keys, max_size=10) == [[0, 1, 2, 3, 4, 5]]
    assert group_alerts(keys, max_size=4) == [[0, 1, 2], [3, 4, 5]]
    # A hub key (a person shared by more alerts than hub_size) goes next, then everything.
    assert group_alerts(ring_a, max_size=2, hub_size=2) == [[0], [1], [2]]


def test_ids_are_derived_from_evidence_and_kept_across_rebuilds() -> None:
    keys = [linking_keys(f"F{i}", ["legal_rep:p1"], None) for i in range(3)]
    groups = group_alerts(keys)
    first = identities(groups, [None, None, None], [anchor(keys, g) for g in groups])
    assert [i.id for i in first] == [derived_id("person:p1")] and not first[0].kept
    # Same members: the id stays; a new member joins the kept case.
    keys.append(linking_keys("F3", ["legal_rep:p1"], None))
    groups = group_alerts(keys)
    again = identities(groups, [first[0].id] * 3 + [None], [anchor(keys, g) for g in groups])
    assert [(i.id, i.kept) for i in again] == [(first[0].id, True)]


def test_merges_and_splits() -> None:
    # Two stored cases X (2 alerts) and Y (1 alert) now form one group: X (larger) stays,
    # Y is absorbed.
    merged = identities([[0, 1, 2]], ["X", "X", "Y"], ["person:p"])
    assert merged[0].id == "X" and merged[0].kept and merged[0].absorbed == ["Y"]
    # Stored case X (3 alerts) splits into groups of 2 and 1: the larger part keeps X,
    # the other gets a new id and remembers where it came from.
    split = identities([[0, 1], [2]], ["X", "X", "X"], ["person:p", "firm:F3"])
    assert (split[0].id, split[0].kept) == ("X", True)
    assert split[1].id == derived_id("firm:F3") and split[1].split_from == "X"
    assert not split[1].kept and split[0].absorbed == split[1].absorbed == []
