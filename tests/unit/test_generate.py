"""Tests for the calibrated synthetic registry generator (riskgraph.ingest.generate)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from riskgraph.ingest.contract import validate_row
from riskgraph.ingest.generate import (
    CLASS_SHARES,
    LABEL_AS_OF,
    REFERENCE_DATE,
    generate_registry,
)
from riskgraph.ingest.identifiers import is_valid_id_number, is_valid_uscc
from riskgraph.reference import known_codes

N = 3000
SEED = 11
FILES = (
    "enterprises",
    "persons",
    "positions",
    "investments",
    "branches",
    "violations",
    "labels",
    "licences",
    "annual_reports",
    "truth/labels",
    "truth/patterns",
)
REF = REFERENCE_DATE.isoformat()

Registry = dict[str, pd.DataFrame]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, Any]]]:
    base = tmp_path_factory.mktemp("generate")
    out = {}
    for name, seed in (("a", SEED), ("b", SEED), ("c", SEED + 1)):
        folder = base / name
        out[name] = (folder, generate_registry(N, seed, folder))
    return out


@pytest.fixture(scope="module")
def reg(runs: dict[str, tuple[Path, dict[str, Any]]]) -> Registry:
    folder = runs["a"][0]
    return {
        name: pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)
        for name in FILES
    }


@pytest.fixture(scope="module")
def summary(runs: dict[str, tuple[Path, dict[str, Any]]]) -> dict[str, Any]:
    return runs["a"][1]


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _current_lr(reg: Registry) -> pd.Series:
    pos = reg["positions"]
    lr = pos[(pos["role"] == "法定代表人") & (pos["until"] == "")]
    return lr.set_index("uscc")["id_number"]


def _active_abnormal(reg: Registry) -> set[str]:
    v = reg["violations"]
    return set(v.loc[(v["kind"] == "经营异常名录") & (v["status"] == "有效"), "uscc"])


# --- reproducibility ---------------------------------------------------------------------


def test_same_seed_gives_byte_identical_files(runs: dict[str, tuple[Path, Any]]) -> None:
    a, b = _digests(runs["a"][0]), _digests(runs["b"][0])
    expected = {f"{name}.csv" for name in FILES} | {"truth/README.md"}
    assert set(a) == expected
    assert a == b


def test_other_seed_gives_other_files(runs: dict[str, tuple[Path, Any]]) -> None:
    a, c = _digests(runs["a"][0]), _digests(runs["c"][0])
    for name in FILES:
        assert a[f"{name}.csv"] != c[f"{name}.csv"], name


def test_summary_counts_match_files(reg: Registry, summary: dict[str, Any]) -> None:
    assert summary["rows"] == {f"{name}.csv": len(reg[name]) for name in FILES}
    assert len(reg["enterprises"]) == N


def test_rejects_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least"):
        generate_registry(10, 1, tmp_path)
    with pytest.raises(ValueError, match="non-negative"):
        generate_registry(N, -1, tmp_path)


# --- keys, identifiers, contract ---------------------------------------------------------


def test_keys_unique_and_identifiers_valid(reg: Registry) -> None:
    ent, per = reg["enterprises"], reg["persons"]
    assert ent["uscc"].is_unique and per["id_number"].is_unique
    assert ent["name"].is_unique
    assert reg["violations"]["case_no"].is_unique
    assert all(is_valid_uscc(u) for u in ent["uscc"])
    assert all(is_valid_id_number(i, today=REFERENCE_DATE) for i in per["id_number"])
    pos, inv = reg["positions"], reg["investments"]
    assert not pos.duplicated(["uscc", "id_number", "role"]).any()
    assert not inv.duplicated(["investee_uscc", "investor_kind", "investor_key"]).any()


def test_uscc_encodes_org_type_and_region(reg: Registry) -> None:
    ent = reg["enterprises"]
    prefix = {"个体工商户": "92", "农民专业合作社": "93"}
    assert (ent["uscc"].str[:2] == ent["org_type"].map(prefix).fillna("91")).all()
    assert (ent["uscc"].str[2:8] == ent["region_code"]).all()
    assert set(ent["region_code"]) <= set(known_codes())
    chengdu = ent["region_code"].str.startswith("5101").mean()
    assert chengdu > 0.75
    assert ent["industry_code"].str.fullmatch(r"[A-R]\d{4}").all()
    assert ent["industry_code"].str[0].nunique() >= 15


def test_every_row_satisfies_the_contract(reg: Registry) -> None:
    for kind in (
        "enterprises",
        "persons",
        "positions",
        "investments",
        "branches",
        "violations",
        "labels",
    ):
        for record in reg[kind].to_dict("records"):
            raw = {str(k): str(v) for k, v in record.items()}
            result = validate_row(kind, raw, today=REFERENCE_DATE)
            assert result.ok, (kind, raw, result.reasons)


def test_references_resolve(reg: Registry) -> None:
    firms = set(reg["enterprises"]["uscc"])
    persons = set(reg["persons"]["id_number"])
    assert set(reg["positions"]["uscc"]) <= firms
    assert set(reg["positions"]["id_number"]) <= persons
    inv = reg["investments"]
    assert set(inv["investee_uscc"]) <= firms
    assert set(inv.loc[inv["investor_kind"] == "enterprise", "investor_key"]) <= firms
    assert set(inv.loc[inv["investor_kind"] == "person", "investor_key"]) <= persons
    br = reg["branches"]
    assert set(br["branch_uscc"]) <= firms and set(br["parent_uscc"]) <= firms
    assert set(reg["violations"]["uscc"]) <= firms
    assert set(reg["labels"]["uscc"]) <= firms
    assert set(reg["truth/labels"]["uscc"]) == firms
    assert set(reg["truth/patterns"]["uscc"]) <= firms
    # Every person appears somewhere.
    used = set(reg["positions"]["id_number"]) | set(
        inv.loc[inv["investor_kind"] == "person", "investor_key"]
    )
    assert used == persons


def test_branches_are_branch_rows(reg: Registry) -> None:
    ent = reg["enterprises"].set_index("uscc")
    br = reg["branches"]
    assert len(br) > 0
    rows = ent.loc[br["branch_uscc"]]
    assert (rows["org_type"] == "分公司").all()
    assert rows["name"].str.endswith("分公司").all()
    assert (rows["registered_capital"] == "").all()
    assert (br["since"].to_numpy() == rows["established"].to_numpy()).all()
    parents = ent.loc[br["parent_uscc"]]
    assert parents["org_type"].isin(["有限责任公司", "股份有限公司"]).all()
    assert all(b.startswith(p) for b, p in zip(rows["name"], parents["name"], strict=True))


# --- structure ---------------------------------------------------------------------------


def test_investment_ratios_sum_to_at_most_one(reg: Registry) -> None:
    inv = reg["investments"]
    bp = (inv["ratio"].astype(float) * 10_000).round().astype(int)
    assert ((bp > 0) & (bp <= 10_000)).all()
    assert (bp.groupby(inv["investee_uscc"]).sum() <= 10_000).all()
    assert (inv["ratio"].str.fullmatch(r"[01]\.\d{4}")).all()


def test_exactly_one_current_legal_representative(reg: Registry) -> None:
    pos = reg["positions"]
    lr = pos[(pos["role"] == "法定代表人") & (pos["until"] == "")]
    counts = lr["uscc"].value_counts()
    assert set(counts.index) == set(reg["enterprises"]["uscc"])
    assert (counts == 1).all()
    past = pos[(pos["role"] == "法定代表人") & (pos["until"] != "")]
    assert len(past) > 0
    assert (past["until"] >= past["since"]).all()


def test_dates_are_within_the_window(reg: Registry) -> None:
    ent = reg["enterprises"]
    est = ent.set_index("uscc")["established"]
    thirty = dt.date(REFERENCE_DATE.year - 30, REFERENCE_DATE.month, REFERENCE_DATE.day)
    assert est.min() >= thirty.isoformat() and est.max() <= REF
    pos, inv, vio = reg["positions"], reg["investments"], reg["violations"]
    for column in (pos["since"], pos["until"], inv["since"], vio["date"], vio["removed_on"]):
        assert column[column != ""].max() <= REF
    assert (pos["since"] >= est.loc[pos["uscc"]].to_numpy()).all()
    assert (inv["since"] >= est.loc[inv["investee_uscc"]].to_numpy()).all()
    five = dt.date(REFERENCE_DATE.year - 5, REFERENCE_DATE.month, REFERENCE_DATE.day)
    assert vio["date"].min() >= (five - dt.timedelta(days=2)).isoformat()
    assert (vio["date"] >= est.loc[vio["uscc"]].to_numpy()).all()


def test_capital_is_heavy_tailed_and_paid_in_bounded(reg: Registry) -> None:
    ent = reg["enterprises"]
    ent = ent[ent["org_type"] != "分公司"]
    reg_cap = ent["registered_capital"].astype(float)
    paid = ent["paid_in_capital"].astype(float)
    pat = reg["truth/patterns"]
    excess = ent["uscc"].isin(pat.loc[pat["pattern"] == "paid_in_excess", "uscc"])
    assert excess.sum() >= 5  # planted for R22: paid in 2-10 times the registered capital
    assert (paid[excess] > 1.5 * reg_cap[excess]).all()
    assert (paid[~excess] <= reg_cap[~excess]).all() and (paid >= 0).all()
    assert ent["registered_capital"].str.fullmatch(r"\d+\.\d{2}").all()
    assert reg_cap.quantile(0.99) > 20 * reg_cap.median()
    by_type = reg_cap.groupby(ent["org_type"]).median()
    assert by_type["个体工商户"] < by_type["有限责任公司"]
    companies = ent["org_type"] == "有限责任公司"
    assert (paid[companies] == 0).mean() > 0.25


def test_addresses_cluster_like_a_registry(reg: Registry) -> None:
    per_address = reg["enterprises"]["address"].value_counts()
    assert per_address.max() <= 500
    assert (per_address >= 50).sum() >= 2
    assert (per_address <= 3).mean() > 0.9


def test_hub_persons_and_group_depth(reg: Registry, summary: dict[str, Any]) -> None:
    pos = reg["positions"]
    current = pos[pos["until"] == ""].drop_duplicates(["uscc", "id_number"])
    assert current["id_number"].value_counts().max() >= 12
    assert 2 <= summary["calibration"]["max_group_levels"] <= 4


# --- classes -----------------------------------------------------------------------------


def test_class_shares_near_targets(reg: Registry, summary: dict[str, Any]) -> None:
    shares = reg["truth/labels"]["class"].value_counts(normalize=True)
    for cls, target in CLASS_SHARES.items():
        assert abs(shares[cls] - target) < 0.01, (cls, shares[cls])
        assert abs(summary["class_shares"][cls] - target) < 0.01


def test_labels_are_a_past_classification(reg: Registry) -> None:
    labels, truth = reg["labels"], reg["truth/labels"].set_index("uscc")["class"]
    assert abs(len(labels) / N - 0.6) < 0.02
    assert (labels["as_of"] == LABEL_AS_OF.isoformat()).all()
    assert (labels["class"].to_numpy() == truth.loc[labels["uscc"]].to_numpy()).all()
    est = reg["enterprises"].set_index("uscc")["established"]
    assert (est.loc[labels["uscc"]] <= LABEL_AS_OF.isoformat()).all()


def test_association_is_a_graph_effect(summary: dict[str, Any]) -> None:
    assoc = summary["calibration"]["association_z_by_class"]
    assert assoc["A"] < assoc["B"] < assoc["C"] < assoc["D"]
    latent = summary["calibration"]["latent_risk_by_class"]
    assert latent["A"] < latent["D"]


# --- planted patterns --------------------------------------------------------------------


def _members(reg: Registry, pattern: str) -> dict[str, list[str]]:
    pat = reg["truth/patterns"]
    sel = pat[pat["pattern"] == pattern]
    return {str(pid): list(g["uscc"]) for pid, g in sel.groupby("pattern_id")}


def test_shell_rings_are_realised(reg: Registry) -> None:
    rings = _members(reg, "shell_ring")
    assert len(rings) >= 3
    ent = reg["enterprises"].set_index("uscc")
    lr = _current_lr(reg)
    abnormal = _active_abnormal(reg)
    for pid, members in rings.items():
        assert len(members) >= 5, pid
        assert lr.loc[members].nunique() == 1, pid
        assert ent.loc[members, "address"].nunique() == 1, pid
        assert (ent.loc[members, "paid_in_capital"] == "0.00").all(), pid
        assert set(members) <= abnormal, pid


def test_circular_shareholdings_are_realised(reg: Registry) -> None:
    loops = _members(reg, "circular_shareholding")
    assert len(loops) >= 3
    inv = reg["investments"]
    firm_edges = inv[inv["investor_kind"] == "enterprise"]
    for pid, members in loops.items():
        assert 2 <= len(members) <= 4, pid
        inside = firm_edges[
            firm_edges["investor_key"].isin(members) & firm_edges["investee_uscc"].isin(members)
        ]
        succ = dict(zip(inside["investor_key"], inside["investee_uscc"], strict=True))
        assert len(succ) == len(members) == len(inside), pid
        node, seen = members[0], []
        for _ in members:
            seen.append(node)
            node = succ[node]
        assert node == members[0] and sorted(seen) == sorted(members), pid


def test_no_other_enterprise_investment_cycles(reg: Registry) -> None:
    inv = reg["investments"]
    loop_firms = set(reg["truth/patterns"].query("pattern == 'circular_shareholding'")["uscc"])
    edges = inv[inv["investor_kind"] == "enterprise"]
    edges = edges[
        ~(edges["investor_key"].isin(loop_firms) & edges["investee_uscc"].isin(loop_firms))
    ]
    succ: dict[str, list[str]] = defaultdict(list)
    indeg: dict[str, int] = defaultdict(int)
    for a, b in zip(edges["investor_key"], edges["investee_uscc"], strict=True):
        succ[a].append(b)
        indeg[b] += 1
    nodes = set(succ) | set(indeg)
    queue = [v for v in nodes if indeg[v] == 0]
    done = 0
    while queue:
        v = queue.pop()
        done += 1
        for w in succ[v]:
            indeg[w] -= 1
            if indeg[w] == 0:
                queue.append(w)
    assert done == len(nodes)


def test_address_hotspots_are_realised(reg: Registry) -> None:
    hotspots = _members(reg, "address_hotspot")
    assert len(hotspots) >= 2
    ent = reg["enterprises"]
    abnormal = _active_abnormal(reg)
    for pid, members in hotspots.items():
        addresses = ent.loc[ent["uscc"].isin(members), "address"]
        assert addresses.nunique() == 1, pid
        at_address = set(ent.loc[ent["address"] == addresses.iloc[0], "uscc"])
        assert at_address == set(members), pid
        assert 50 <= len(members) <= 500, pid
        assert sum(m in abnormal for m in members) / len(members) >= 0.2, pid


def test_planted_members_are_mostly_high_risk(reg: Registry) -> None:
    pat = reg["truth/patterns"]
    truth = reg["truth/labels"].set_index("uscc")["class"]
    planted = pat.loc[pat["pattern"].isin(["shell_ring", "circular_shareholding"]), "uscc"]
    assert truth.loc[planted].isin(["C", "D"]).mean() >= 0.7
    everyone = truth.isin(["C", "D"]).mean()
    hot = pat.loc[pat["pattern"] == "address_hotspot", "uscc"]
    assert truth.loc[hot].isin(["C", "D"]).mean() > 2 * everyone
