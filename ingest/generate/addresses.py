"""Stage 3, addresses: ordinary sites of 1-3 firms, cluster-registration buildings (集群注册)
hosting 50-500 and abnormal-listing hotspots among them."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .arrays import Ints, cat, duplicated, int_str, pick_weighted, replace_rows, take
from .params import CLUSTER_SHARE, COOP, INDIV, LLC, PART, SOLE
from .regions import Regions
from .registry import Registry, Sites
from .tables import INDUSTRIES, NAME_PARTS

OFFICE, CLUSTER, SHOP, RURAL = range(4)  # kinds of site


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


def _place_buildings(rng: np.random.Generator, reg: Registry, site: Ints) -> tuple[Ints, Ints]:
    """Cluster buildings and hotspots: fills ``site`` for their firms (site id = building id).

    Returns the building and the hotspot id per firm (-1 for none).
    """
    f, plan = reg.firms, reg.plan
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
        raise ValueError(f"too few enterprises ({f.n}) to plant address hotspots")
    n_b = len(sizes)
    members = rng.choice(eligible, size=int(sum(sizes)), replace=False)
    b_of = np.repeat(np.arange(n_b), sizes)
    building = np.full(f.n, -1, dtype=np.int64)
    building[members] = b_of
    b_region = pick_weighted(rng, reg.regions.firm_weight * reg.regions.chengdu, n_b)
    f.region[members] = b_region[b_of]
    hotspot = np.full(f.n, -1, dtype=np.int64)
    hot_ids = rng.choice(n_b, size=plan.n_hotspots, replace=False)
    hot_of_b = np.full(n_b, -1, dtype=np.int64)
    hot_of_b[np.sort(hot_ids)] = np.arange(plan.n_hotspots)
    hotspot[members] = hot_of_b[b_of]
    site[members] = b_of
    return building, hotspot


def _ordinary_sites(rng: np.random.Generator, reg: Registry, site: Ints, next_site: int) -> int:
    """Sites of 1-3 firms mostly, within one region, for firms without one that do not
    copy their parent's; returns the next free site id."""
    f = reg.firms
    copy = (f.group_parent >= 0) & (rng.random(f.n) < 0.3)
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
    _copy_parent_sites(reg, site, np.flatnonzero(copy))
    return next_site


def _copy_parent_sites(reg: Registry, site: Ints, todo: Ints) -> None:
    """Subsidiaries at the parent's address (and region), parents resolved first."""
    f = reg.firms
    for _ in range(4):
        pending = todo[site[f.group_parent[todo]] < 0]
        ready = todo[site[f.group_parent[todo]] >= 0]
        site[ready] = site[f.group_parent[ready]]
        f.region[ready] = f.region[f.group_parent[ready]]
        todo = pending
    if len(todo):
        raise RuntimeError("group tree deeper than expected while copying addresses")


def _site_kinds(reg: Registry, site: Ints, building: Ints, n_sites: int) -> Ints:
    """The kind of each site; buildings are the first sites."""
    f = reg.firms
    site_kind = np.zeros(n_sites, dtype=np.int64)
    site_kind[: int(building.max(initial=-1)) + 1] = CLUSTER
    shop = (f.kind == INDIV) | (f.kind == SOLE)
    site_kind[site[shop & (building < 0)]] = SHOP
    rural = (f.kind == COOP) | (np.asarray(INDUSTRIES.sections)[f.industry] == "A")
    rural &= reg.regions.countryside[f.region] & (building < 0) & (reg.plan.ring < 0)
    site_kind[site[rural]] = RURAL
    return site_kind


def stage_addresses(rng: np.random.Generator, reg: Registry) -> Sites:
    """Sites and their address texts; moves cluster and subsidiary firms to their site's
    region."""
    f, plan = reg.firms, reg.plan
    site = np.full(f.n, -1, dtype=np.int64)
    building, hotspot = _place_buildings(rng, reg, site)
    n_b = int(building.max(initial=-1)) + 1
    # One new site per shell ring.
    ring_members = np.flatnonzero(plan.ring >= 0)
    site[ring_members] = n_b + plan.ring[ring_members]
    n_sites = _ordinary_sites(rng, reg, site, n_b + plan.n_rings)
    site_region = np.zeros(n_sites, dtype=np.int64)
    site_region[site] = f.region
    site_kind = _site_kinds(reg, site, building, n_sites)
    text = _unique_addresses(rng, site_region, site_kind, reg.regions)
    return Sites(site, text, building, hotspot, n_b)


def _address_text(rng: np.random.Generator, region: Ints, kind: Ints, regions: Regions) -> Any:
    """Address text per site (kind 0 office, 1 cluster building, 2 shop front, 3 rural)."""
    n = len(region)
    parts = NAME_PARTS
    chengdu = regions.chengdu[region]
    cd_streets, streets = parts.chengdu_streets, parts.generic_streets
    street_idx = np.floor(rng.random(n) * np.where(chengdu, len(cd_streets), len(streets))).astype(
        np.int64
    )
    street = pc.if_else(
        pa.array(chengdu),
        take(cd_streets, np.minimum(street_idx, len(cd_streets) - 1)),
        take(streets, np.minimum(street_idx, len(streets) - 1)),
    )
    full = take(regions.full, region)
    door = cat(street, int_str(rng.integers(1, 1000, n)), "号")
    floor = int_str(rng.integers(1, 34, n))
    room = cat(floor, int_str(rng.integers(1, 21, n), 2))
    building = int_str(rng.integers(1, 13, n))
    office = cat(full, door, building, "栋", int_str(rng.integers(1, 5, n)), "单元", room, "号")
    brand_chars, town_chars = list(parts.brand_chars), list(parts.town_chars)
    nb, nt = len(brand_chars), len(town_chars)
    tower = cat(
        take(brand_chars, rng.integers(0, nb, n)),
        take(brand_chars, rng.integers(0, nb, n)),
        take(parts.tower_suffixes, rng.integers(0, len(parts.tower_suffixes), n)),
    )
    cluster = cat(full, door, tower, floor, "楼", room, "室")
    shop = cat(full, door, "附", int_str(rng.integers(1, 30, n)), "号")
    town = cat(
        take(town_chars, rng.integers(0, nt, n)), take(town_chars, rng.integers(0, nt, n)), "镇"
    )
    village = cat(
        take(brand_chars, rng.integers(0, nb, n)), take(town_chars, rng.integers(0, nt, n)), "村"
    )
    rural = cat(full, town, village, int_str(rng.integers(1, 16, n)), "组")
    out = pc.if_else(pa.array(kind == CLUSTER), cluster, office)
    out = pc.if_else(pa.array(kind == SHOP), shop, out)
    return pc.if_else(pa.array(kind == RURAL), rural, out)


def _unique_addresses(rng: np.random.Generator, region: Ints, kind: Ints, regions: Regions) -> Any:
    text = _address_text(rng, region, kind, regions)
    for _ in range(50):
        idx = np.flatnonzero(duplicated(text))
        if len(idx) == 0:
            return text
        text = replace_rows(text, idx, _address_text(rng, region[idx], kind[idx], regions))
    raise RuntimeError("could not draw distinct addresses")
