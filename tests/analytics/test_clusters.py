"""Risk clusters: strong links, splitting oversized components, idempotent rebuilds."""

from __future__ import annotations

import json

import pytest
from rules_fixtures import TODAY, Registry
from typer.testing import CliRunner

from riskgraph.analytics import clusters
from riskgraph.analytics.clusters import (
    ClusterError,
    ClusterNotFound,
    ClusterParams,
    Group,
    build,
    components,
    strongly_connected,
)
from riskgraph.commands.analytics import clusters_app
from riskgraph.graph.store import GraphStore

PARAMS = ClusterParams(today=TODAY, max_size=10, hub_size=6)


def small_registry() -> Registry:
    reg = Registry()
    for i in range(4):  # a ring: one legal representative
        reg.legal_rep("ring", reg.firm(f"R{i}", label_class="C" if i < 2 else "B"))
    reg.firm("I1", risk_class="D", risk_score=0.9)
    reg.firm("I2", risk_class="B", risk_score=0.2)
    reg.invest("I1", "I2", 0.6)  # strong investment
    reg.firm("W1")
    reg.firm("W2")
    reg.invest("W1", "W2", 0.05)  # weak investment: no link
    for key in ("X1", "X2", "X3"):
        reg.firm(key)
    reg.invest("X1", "X2", 0.1)
    reg.invest("X2", "X3", 0.1)
    reg.invest("X3", "X1", 0.1)  # a loop of weak holdings still binds
    reg.branch(reg.firm("BR"), reg.firm("HQ"))
    reg.firm("N1", address="shared", status=None)  # sources may lack a status
    reg.firm("N2", address="shared")
    reg.firm("GONE", status="注销")
    reg.legal_rep("ring", "GONE")  # deregistered firms are left out
    reg.firm("ALONE")
    return reg


def stored(store: GraphStore) -> dict[str, list[str]]:
    rows = store.read(
        "MATCH (e:Enterprise)-[:IN_CLUSTER]->(c:RiskCluster) "
        "RETURN c.cid AS cid, e.uscc AS key ORDER BY cid, key"
    )
    found: dict[str, list[str]] = {}
    for row in rows:
        found.setdefault(row["cid"], []).append(row["key"])
    return found


def test_strong_links_form_clusters(store: GraphStore) -> None:
    store = small_registry().write(store)
    report = build(store, PARAMS)
    assert stored(store) == {
        "RC-BR": ["BR", "HQ"],
        "RC-I1": ["I1", "I2"],
        "RC-N1": ["N1", "N2"],
        "RC-R0": ["R0", "R1", "R2", "R3"],
        "RC-X1": ["X1", "X2", "X3"],
    }
    assert report.clusters == 5 and report.clustered == 13 and report.split_components == 0
    ranked = clusters.list_clusters(store)
    assert [c["cid"] for c in ranked] == ["RC-R0", "RC-I1", "RC-X1", "RC-BR", "RC-N1"]
    ring, invest = ranked[0], ranked[1]
    assert (ring["size"], ring["cd_count"], ring["risk_mass"]) == (4, 2, 0.0)
    assert (ring["reasons"], ring["reason_counts"]) == (["legal_rep"], [3])
    assert (invest["cd_count"], invest["risk_mass"]) == (1, pytest.approx(1.1))
    assert invest["reasons"] == ["investment"]
    assert ranked[2]["reasons"] == ["cross_holding"]
    assert ranked[3]["reasons"] == ["branch"] and ranked[4]["reasons"] == ["address"]
    members = clusters.cluster_members(store, "RC-I1")
    assert [(m["uscc"], m["class"], m["risk_score"]) for m in members] == [
        ("I1", "D", 0.9),
        ("I2", "B", 0.2),
    ]
    with pytest.raises(ClusterNotFound):
        clusters.cluster_members(store, "RC-NOPE")


def test_rebuild_is_idempotent_and_replaces_stale_clusters(store: GraphStore) -> None:
    store = small_registry().write(store)
    build(store, PARAMS)
    first = stored(store)
    again = build(store, PARAMS)
    assert stored(store) == first and again.deleted_clusters == 0
    counts = store.read(
        "MATCH (c:RiskCluster) OPTIONAL MATCH (e)-[m:IN_CLUSTER]->(c) "
        "RETURN count(DISTINCT c) AS clusters, count(m) AS members"
    )
    assert counts == [{"clusters": 5, "members": 13}]

    # R0 leaves the ring (its cluster id changes), the branch link disappears.
    store.write(
        "MATCH (:Person {pid: 'ring'})-[r:LEGAL_REP_OF]->(:Enterprise {uscc: 'R0'}) DELETE r"
    )
    store.write("MATCH ()-[r:BRANCH_OF]->() DELETE r")
    report = build(store, PARAMS)
    after = stored(store)
    assert "RC-R0" not in after and after["RC-R1"] == ["R1", "R2", "R3"]
    assert "RC-BR" not in after and report.deleted_clusters == 2
    [row] = store.read("MATCH (c:RiskCluster) RETURN count(c) AS n")
    assert row["n"] == len(after) == 4


def hub_registry() -> Registry:
    """A 30-firm building; inside it two rings and a pair held by one investor."""
    reg = Registry()
    for i in range(30):
        reg.firm(f"B{i:02d}", address="tower")
    for i in range(3):
        reg.legal_rep("p", f"B{i:02d}")
        reg.legal_rep("q", f"B{i + 3:02d}")
    reg.invest("B10", "B11", 0.5)
    reg.officer("nominee", "B20")
    reg.officer("nominee", "B21")
    return reg


def test_oversized_components_are_split_by_link_strength(store: GraphStore) -> None:
    store = hub_registry().write(store)
    report = build(store, PARAMS)
    assert report.split_components == 1 and report.largest == 3
    assert stored(store) == {
        "RC-B00": ["B00", "B01", "B02"],
        "RC-B03": ["B03", "B04", "B05"],
        "RC-B10": ["B10", "B11"],
        "RC-B20": ["B20", "B21"],
    }
    levels = {c["cid"]: c["split_level"] for c in clusters.list_clusters(store)}
    assert set(levels.values()) == {1}  # the building's address was dropped first
    # With a larger limit the building stays one cluster, bound mostly by its address.
    build(store, ClusterParams(today=TODAY, max_size=40, hub_size=6))
    [tower] = clusters.list_clusters(store)
    assert tower["size"] == 30 and tower["split_level"] == 0
    assert tower["reasons"][0] == "address" and sum(tower["reason_counts"]) == 29


def test_components_keep_splitting_until_each_fits() -> None:
    # 0-5 share an address (hub), officers join 0-1-2 and 3-4-5, legal reps join 0-1.
    groups = [
        Group("address", (0, 1, 2, 3, 4, 5)),
        Group("officer", (0, 1, 2)),
        Group("officer", (3, 4, 5)),
        Group("legal_rep", (0, 1)),
        Group("branch", (4, 5)),
    ]
    label, level, split = components(6, groups, max_size=2, hub_size=10)
    assert split == 1
    assert label == [0, 0, 2, 3, 4, 4] and level == [4, 4, 4, 4, 4, 4]
    label, level, _ = components(6, groups, max_size=3, hub_size=10)
    assert label == [0, 0, 0, 3, 3, 3] and level == [2] * 6
    label, _, split = components(6, groups, max_size=6, hub_size=10)
    assert label == [0] * 6 and split == 0


def test_strongly_connected_finds_cycles_only() -> None:
    edges = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e"), ("e", "d"), ("f", "g")]
    assert sorted(strongly_connected(edges)) == [["a", "b", "c"], ["d", "e"]]


def test_parameters_are_checked(store: GraphStore) -> None:
    with pytest.raises(ClusterError):
        build(store, ClusterParams(min_ratio=1.5))
    with pytest.raises(ClusterError):
        build(store, ClusterParams(max_size=1))


def test_clusters_commands(cli_env: GraphStore) -> None:
    small_registry().write(cli_env)
    runner = CliRunner()
    built = runner.invoke(
        clusters_app,
        ["build", "--max-size", "10", "--hub-size", "6", "--today", "2026-06-30", "--json"],
    )
    assert built.exit_code == 0, built.output
    assert json.loads(built.stdout)["clusters"] == 5
    listed = runner.invoke(clusters_app, ["list", "--limit", "2", "--json"])
    assert [c["cid"] for c in json.loads(listed.stdout)] == ["RC-R0", "RC-I1"]
    table = runner.invoke(clusters_app, ["list"])
    assert table.exit_code == 0 and "legal_rep 3" in table.stdout
    shown = runner.invoke(clusters_app, ["show", "RC-I1", "--json"])
    assert [m["uscc"] for m in json.loads(shown.stdout)] == ["I1", "I2"]
    missing = runner.invoke(clusters_app, ["show", "RC-NOPE"])
    assert missing.exit_code == 1
