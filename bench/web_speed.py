"""Speed of the investigator web app against the graph the settings name (issue 7).

    RISKGRAPH_DATA_DIR=/tmp/webdemo python bench/web_speed.py

Starts ``riskgraph serve`` on a free loopback port (as ``bench/api_load.py`` does),
creates an ``investigator`` key (revoked at the end) and measures:

1. ``expand``: node expansion (``GET /graph/neighbours``, 20 per type, as a click in
   the relationship view asks) on the biggest hubs, an address, an enterprise and a
   violation-free firm, ``--repeat`` times each: the server's own time from its
   access log (``duration_ms``) and the round trip seen by the client.
2. ``first_paint``: headless Chromium (Debian's, never a downloaded one) loads the
   app with a signed-in session on ``#/search?q=<prefix>``, ``--loads`` times:
   first contentful paint, the shell, and the first meaningful paint (the search
   results rendered: the app's ``rg:search-done`` mark), all from navigation start.
3. ``big_view``: a risk-cluster view of ``--big-nodes`` nodes (a synthetic cluster
   answer served by the page's request interception, so any registry will do):
   time until drawn and laid out, then frame times while zooming and panning with
   the mouse wheel and drags (interactive: no frame gap near a second).
4. ``saved_view_reopen``: a saved view of ``--view-nodes`` real enterprises (saved
   through ``POST /views``, deleted at the end) reopened by its link
   ``#/views/<vid>``, ``--loads`` times: from navigation start until the view is
   restored (the app's ``rg:view-restored`` mark) and until the next frame is drawn.

5. ``search``: ``GET /api/v1/search`` (issue 17) over a set of queries drawn from the
   graph, ``--search-samples`` of each type: an exact USCC, a name prefix (the first 4
   characters), a 3-character infix from the middle of a name, 4 characters from the
   middle of an address and a person's name (asked with an ``analyst`` key, the role
   that may search persons): server durations and client round trips per type and
   over all, p95 against the 100 ms target.

``--only SECTION`` (repeatable: ``search``, ``expand``, ``browser`` for the first paint
and the big view, ``saved_view_reopen``) measures just those sections.

The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from api_load import free_port, percentile, riskgraph, running_server

from riskgraph.graph import open_store
from riskgraph.settings import get_settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HUBS = {
    "address": "MATCH (a:Address)<-[r:REGISTERED_AT]-() WITH a, count(r) AS n "
    "RETURN a.aid AS key, 'Address' AS label, n ORDER BY n DESC LIMIT 1",
    "enterprise": "MATCH (e:Enterprise)-[r]-() WITH e, count(r) AS n "
    "RETURN e.uscc AS key, 'Enterprise' AS label, n ORDER BY n DESC LIMIT 1",
}


def figures(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "p50_ms": _round(percentile(values, 0.5)),
        "p95_ms": _round(percentile(values, 0.95)),
        "max_ms": _round(max(values) if values else None),
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def expand(
    base: str, key: str, hubs: dict[str, dict[str, Any]], log: Path, repeat: int
) -> dict[str, Any]:
    """Neighbour expansions of each hub: client round trips and server durations."""
    out: dict[str, Any] = {}
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        for name, hub in hubs.items():
            params = {"key": hub["key"], "label": hub["label"], "limit": 20}
            client.get("/api/v1/graph/neighbours", params=params).raise_for_status()  # warm-up
            mark = len(log.read_text(encoding="utf-8").splitlines())
            trips = []
            for _ in range(repeat):
                started = time.perf_counter()
                client.get("/api/v1/graph/neighbours", params=params).raise_for_status()
                trips.append((time.perf_counter() - started) * 1000)
            time.sleep(0.2)  # the access log line is written after the answer
            server = [
                float(line["duration_ms"])
                for line in map(_json, log.read_text(encoding="utf-8").splitlines()[mark:])
                if line.get("route") == "/api/v1/graph/neighbours"
            ]
            out[name] = {"degree": hub["n"], "server": figures(server), "client": figures(trips)}
    return out


SEARCH_SAMPLES = {
    "firms": "MATCH (e:Enterprise) WHERE e.name IS NOT NULL AND size(e.name) >= 8 "
    "RETURN e.uscc AS uscc, e.name AS name LIMIT $n",
    "addresses": "MATCH (a:Address) WHERE size(a.address) >= 12 RETURN a.address AS address "
    "LIMIT $n",
    "persons": "MATCH (p:Person) WHERE size(p.name) >= 2 RETURN p.name AS name LIMIT $n",
}


def search_queries(store: Any, samples: int) -> dict[str, list[str]]:
    """Search texts of each type, drawn from the graph (spread over its first nodes)."""
    got = {name: store.read(query, n=samples * 50) for name, query in SEARCH_SAMPLES.items()}
    firms = got["firms"][:: max(1, len(got["firms"]) // samples)][:samples]
    addresses = got["addresses"][:: max(1, len(got["addresses"]) // samples)][:samples]
    persons = got["persons"][:: max(1, len(got["persons"]) // samples)][:samples]
    return {
        "uscc": [f["uscc"] for f in firms],
        "prefix": [f["name"][:4] for f in firms],
        "infix": [f["name"][len(f["name"]) // 2 - 1 :][:3] for f in firms],
        "address": [a["address"][len(a["address"]) // 2 :][:4] for a in addresses],
        "person": [p["name"] for p in persons],
    }


def search_speed(
    base: str, keys: dict[str, str], queries: dict[str, list[str]], log: Path
) -> dict[str, Any]:
    """Each search text once (after one warm-up round): server durations from the access
    log and client round trips, per type and over all, with the hits found."""
    out: dict[str, Any] = {}
    all_server: list[float] = []
    all_client: list[float] = []
    clients = {
        role: httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=30)
        for role, key in keys.items()
    }
    try:
        for kind, texts in queries.items():
            client = clients["analyst" if kind == "person" else "investigator"]
            for text in texts[:2]:  # warm-up
                client.get("/api/v1/search", params={"q": text}).raise_for_status()
            mark = len(log.read_text(encoding="utf-8").splitlines())
            trips, hits = [], []
            for text in texts:
                started = time.perf_counter()
                answer = client.get("/api/v1/search", params={"q": text, "limit": 20})
                trips.append((time.perf_counter() - started) * 1000)
                answer.raise_for_status()
                hits.append(len(answer.json()["items"]))
            time.sleep(0.2)
            server = [
                float(line["duration_ms"])
                for line in map(_json, log.read_text(encoding="utf-8").splitlines()[mark:])
                if line.get("route") == "/api/v1/search"
            ]
            all_server += server
            all_client += trips
            out[kind] = {
                "server": figures(server),
                "client": figures(trips),
                "hits_mean": round(statistics.mean(hits), 1) if hits else 0,
                "examples": texts[:3],
            }
    finally:
        for client in clients.values():
            client.close()
    out["all"] = {"server": figures(all_server), "client": figures(all_client)}
    p95 = out["all"]["client"].get("p95_ms")
    out["target_p95_ms"] = 100
    out["meets_target"] = p95 is not None and p95 <= 100
    return out


def _json(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def big_cluster(nodes: int) -> dict[str, Any]:
    """A synthetic cluster answer: enterprises in rings around persons and addresses."""
    hubs = max(1, nodes // 20)
    members = [
        {
            "uscc": f"BENCH{i:013d}",
            "name": f"压测企业{i:05d}",
            "status": "存续",
            "risk_class": "ABCD"[i % 4],
            "risk_score": (i % 100) / 100,
        }
        for i in range(nodes - hubs)
    ]
    graph_nodes = [
        {
            "id": m["uscc"],
            "kind": "Enterprise",
            "label": m["name"],
            "member": True,
            "risk_class": m["risk_class"],
            "risk_score": m["risk_score"],
        }
        for m in members
    ]
    graph_nodes += [
        {
            "id": f"hub-{h}",
            "kind": "Address" if h % 2 else "Person",
            "label": f"枢纽{h}",
            "member": False,
        }
        for h in range(hubs)
    ]
    edges = [
        {"source": m["uscc"], "target": f"hub-{i % hubs}", "type": "REGISTERED_AT"}
        for i, m in enumerate(members)
    ]
    edges += [
        {
            "source": members[i]["uscc"],
            "target": members[i + 1]["uscc"],
            "type": "INVESTS_IN",
            "ratio": 0.5,
        }
        for i in range(0, len(members) - 1, 3)
    ]
    return {
        "cid": "RC-BENCH",
        "size": len(members),
        "cd_count": len(members) // 2,
        "risk_mass": 1.0,
        "reasons": ["address"],
        "reason_counts": [len(members)],
        "members": members,
        "nodes": graph_nodes,
        "edges": edges,
        "persons_masked": True,
    }


FRAME_RECORDER = """() => { window.__frames = []; let last = performance.now();
  const tick = (now) => { window.__frames.push(now - last); last = now;
    if (window.__recording) requestAnimationFrame(tick); };
  window.__recording = true; requestAnimationFrame(tick); }"""


def signed_in(playwright: Any, base: str, key: str) -> tuple[Any, Any]:
    """Debian's Chromium with a page of the app signed in with ``key``."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{base}/")
    page.get_by_test_id("key-input").fill(key)
    page.get_by_test_id("signin-go").click()
    page.get_by_test_id("search-input").wait_for()
    return browser, page


def browser_figures(base: str, key: str, query: str, loads: int, big_nodes: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    out: dict[str, Any] = {}
    with sync_playwright() as playwright:
        browser, page = signed_in(playwright, base, key)
        paints: dict[str, list[float]] = {"fcp_ms": [], "shell_ms": [], "meaningful_ms": []}
        for _ in range(loads):
            page.goto(f"{base}/#/search?q={query}")
            page.reload()
            page.get_by_test_id("search-table").wait_for()
            timing = page.evaluate(
                """() => ({
                  fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
                  shell: performance.getEntriesByName('rg:shell')[0]?.startTime,
                  meaningful: performance.getEntriesByName('rg:search-done')[0]?.startTime })"""
            )
            paints["fcp_ms"].append(timing["fcp"])
            paints["shell_ms"].append(timing["shell"])
            paints["meaningful_ms"].append(timing["meaningful"])
        out["first_paint"] = {
            name: _round(statistics.median(found)) if (found := [v for v in values if v]) else None
            for name, values in paints.items()
        } | {"loads": loads, "query": query}

        answer = json.dumps(big_cluster(big_nodes), ensure_ascii=False)
        page.route(
            "**/api/v1/clusters/RC-BENCH",
            lambda route: route.fulfill(status=200, body=answer, content_type="application/json"),
        )
        started = time.perf_counter()
        page.goto(f"{base}/#/clusters/RC-BENCH")
        page.wait_for_function(
            "n => document.querySelector('[data-testid=cluster-graph]')"
            "?.dataset.nodes === String(n)",
            arg=big_nodes,
            timeout=120_000,
        )
        page.evaluate(
            "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
        )
        drawn = (time.perf_counter() - started) * 1000
        box = page.get_by_test_id("cluster-graph").bounding_box()
        assert box is not None
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.evaluate(FRAME_RECORDER)
        page.mouse.move(cx, cy)
        for step in range(20):
            page.mouse.wheel(0, -120 if step < 10 else 120)
            page.wait_for_timeout(40)
        page.mouse.down()
        for step in range(30):
            page.mouse.move(cx + 8 * step, cy + 4 * step)
            page.wait_for_timeout(16)
        page.mouse.up()
        frames = page.evaluate("() => { window.__recording = false; return window.__frames; }")
        out["big_view"] = {
            "nodes": big_nodes,
            "edges": len(json.loads(answer)["edges"]),
            "drawn_ms": round(drawn),
            "frames": figures(frames[1:]),
        }
        browser.close()
    return out


VIEW_KEYS = "MATCH (e:Enterprise) RETURN e.uscc AS key ORDER BY e.uscc LIMIT $n"


def saved_view_state(keys: list[str]) -> dict[str, Any]:
    """A saved relationship view: the first key in the middle, the others on a spiral
    around it, each linked to the middle one."""
    nodes = [{"kind": "Enterprise", "key": keys[0], "x": 0.0, "y": 0.0}]
    for i, key in enumerate(keys[1:], start=1):
        angle, radius = i * 2.399963, 60 + 18 * i**0.5
        nodes.append(
            {
                "kind": "Enterprise",
                "key": key,
                "x": round(radius * math.cos(angle), 1),
                "y": round(radius * math.sin(angle), 1),
            }
        )
    edges = [{"source": key, "target": keys[0], "type": "INVESTS_IN"} for key in keys[1:]]
    return {"version": 1, "root": {"kind": "Enterprise", "key": keys[0]}, "nodes": nodes,
            "edges": edges, "expansions": []}  # fmt: skip


def saved_view_reopen(base: str, key: str, keys: list[str], loads: int) -> dict[str, Any]:
    """Reopening a saved view by its link: navigation start → restored, → drawn."""
    from playwright.sync_api import sync_playwright

    headers = {"Authorization": f"Bearer {key}"}
    body = {"title": "bench saved view", "state": saved_view_state(keys)}
    made = httpx.post(f"{base}/api/v1/views", json=body, headers=headers, timeout=60)
    made.raise_for_status()
    vid = made.json()["vid"]
    restored: list[float] = []
    drawn: list[float] = []
    try:
        with sync_playwright() as playwright:
            browser, page = signed_in(playwright, base, key)
            for _ in range(loads):
                page.goto(f"{base}/#/views/{vid}")
                page.reload()
                page.wait_for_selector(f"[data-restored='{vid}'][data-nodes='{len(keys)}']")
                times = page.evaluate(
                    """() => new Promise((done) => requestAnimationFrame(() =>
                      requestAnimationFrame(() => done({
                        restored: performance.getEntriesByName('rg:view-restored')[0]?.startTime,
                        drawn: performance.now() }))))"""
                )
                restored.append(times["restored"])
                drawn.append(times["drawn"])
            browser.close()
    finally:
        httpx.delete(f"{base}/api/v1/views/{vid}", headers=headers, timeout=60)
    return {
        "nodes": len(keys),
        "loads": loads,
        "restored_ms": _round(statistics.median(restored)),
        "drawn_ms": _round(statistics.median(drawn)),
        "drawn_max_ms": _round(max(drawn)),
    }


SECTIONS = ("search", "expand", "browser", "saved_view_reopen")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=20, help="expansions per hub")
    parser.add_argument("--loads", type=int, default=5, help="page loads for the paint figures")
    parser.add_argument("--query", default="成都", help="the name prefix searched")
    parser.add_argument("--big-nodes", type=int, default=2000)
    parser.add_argument("--view-nodes", type=int, default=200, help="nodes of the saved view")
    parser.add_argument("--startup-timeout", type=float, default=180.0)
    parser.add_argument("--search-samples", type=int, default=30, help="texts per search type")
    parser.add_argument(
        "--only", choices=SECTIONS, action="append", help="measure only this section (repeatable)"
    )
    args = parser.parse_args()
    wanted = set(args.only or SECTIONS)
    if wanted & {"browser", "saved_view_reopen"} and not Path(CHROMIUM).is_file():
        raise SystemExit(f"{CHROMIUM} is missing: make install installs Debian's chromium")

    settings = get_settings()
    with open_store(settings, start_embedded=True) as store:
        hubs = {name: store.read(q)[0] for name, q in HUBS.items()} if "expand" in wanted else {}
        queries = search_queries(store, args.search_samples) if "search" in wanted else {}
        view_keys = [row["key"] for row in store.read(VIEW_KEYS, n=args.view_nodes)]
    env = dict(os.environ)
    keys = {
        role: riskgraph("keys", "create", "--role", role, "--label", "bench web_speed", env=env)
        .strip()
        .splitlines()[-1]
        for role in ("investigator", "analyst")
    }
    key = keys["investigator"]
    result: dict[str, Any] = {
        "bench": "web_speed",
        "backend": settings.backend,
        "graph": settings.graph_name,
    }
    try:
        with tempfile.TemporaryDirectory(prefix="web_speed_") as tmp:
            log = Path(tmp) / "serve.log"
            with running_server(free_port(), log, args.startup_timeout) as server:
                base = server["base"]
                if "search" in wanted:
                    result["search"] = search_speed(base, keys, queries, log)
                if "expand" in wanted:
                    result["expand"] = expand(base, key, hubs, log, args.repeat)
                if "browser" in wanted:
                    result |= browser_figures(base, key, args.query, args.loads, args.big_nodes)
                if "saved_view_reopen" in wanted:
                    result["saved_view_reopen"] = saved_view_reopen(
                        base, key, view_keys, args.loads
                    )
    finally:
        for made in keys.values():
            riskgraph("keys", "revoke", made.split("_")[1], env=env)
    sys.stdout.write(json.dumps(result, ensure_ascii=False, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
