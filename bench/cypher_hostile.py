"""Hostile ad-hoc Cypher against a live ``riskgraph serve``, on each engine.

    python bench/cypher_hostile.py --engines falkordb neo4j --enterprises 2000

For each engine: a fresh local server (``embedded`` or ``local-neo4j``) under a
temporary data dir, a generated registry loaded with the CLI, then ``riskgraph
serve`` on a loopback port. The corpus below (written here, not taken from
anywhere: nesting, memory bombs, spelling tricks, writes in disguise, huge
results, engine crashers, parameter bombs) goes to ``POST /api/v1/cypher`` as an
analyst, one query at a time, while a second thread looks up one score every
100 ms as a classification service would. Reported per engine: how many queries
were refused (4xx), answered (200) or stopped by the time limit (504), writes
(a fingerprint of every node and relationship before and after: must be 0),
crashes (the database's pid changed or the API's watchdog restarted it: must be
0), the slowest answer, and the score look-ups (slowest, how many took over 1 s
or failed). The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx2
from _common import emit
from api_load import free_port, percentile, riskgraph, running_server

from riskgraph.graph import open_store
from riskgraph.settings import Settings

Corpus = list[tuple[str, dict[str, Any]]]


def nesting() -> Corpus:
    wrappers = {
        "paren": ("(", ")"),
        "list": ("[", "]"),
        "map": ("{a: ", "}"),
        "not": ("NOT ", ""),
        "minus": ("-", ""),
        "case": ("CASE WHEN true THEN ", " END"),
        "call": ("abs(", ")"),
        "size": ("size([", "])"),
    }
    out: Corpus = []
    for name, (before, after) in wrappers.items():
        for depth in (16, 24, 40, 80):
            inner = "true" if name == "not" else "1"
            out.append((f"RETURN {before * depth}{inner}{after * depth} AS v", {}))
    mixed = "1"
    for level in range(30):
        before, after = list(wrappers.values())[level % len(wrappers)]
        mixed = f"{before}{mixed}{after}"
    out.append((f"RETURN {mixed} AS v", {}))
    out.append(("RETURN " + "{a1: " * 45 + "1" + "}" * 45 + " AS m", {}))
    return out


def memory_bombs() -> Corpus:
    return [
        ("RETURN size(range(1, 1000000000)) AS n", {}),
        ("RETURN size(`range`(1, 50000000)) AS n", {}),
        ("RETURN size(`range`(1, 1000000000)) AS n", {}),
        ("RETURN size(`RANGE`(1, 1000000000)) AS n", {}),
        ("RETURN size(range(1, $n)) AS n", {"n": 1_000_000_000}),
        ("RETURN size(range(0x1, 0xFFFFFFF)) AS n", {}),
        ("RETURN size(range(1, 1e9)) AS n", {}),
        ("RETURN size(range(1, toInteger('1000000000'))) AS n", {}),
        ("UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b RETURN count(*) AS n", {}),
        ("RETURN size([x IN range(1, 100000) | [y IN range(1, 100000) | y]]) AS n", {}),
        ("RETURN size(reduce(s = 'x', i IN range(1, 40) | s + s)) AS n", {}),
        ("RETURN size(`reduce`(s = 'x', i IN range(1, 40) | s + s)) AS n", {}),
        ("RETURN size(reduce(s = [1], i IN range(1, 40) | s + s)) AS n", {}),
        ("MATCH (a), (b), (c) RETURN count(*) AS n", {}),
        ("MATCH (a), (b) RETURN collect(a.uscc + b.uscc) AS pairs", {}),
        ("MATCH (a:Person), (b:Person) RETURN a.pid, b.pid LIMIT 100000000", {}),
        ("MATCH (a:Person), (b:Person) RETURN a.pid, b.pid", {}),
        ("MATCH (n) RETURN collect(n) AS everything", {}),
        ("MATCH (a)-[*1..8]-(b) RETURN count(*) AS n", {}),
        ("MATCH p = (a)-[*1..8]-(b) RETURN collect(p) AS paths", {}),
        ("MATCH (a)-[*]-(b) RETURN count(*) AS n", {}),
        ("MATCH (a)-[*1..0xFF]->(b) RETURN a LIMIT 1", {}),
        ("MATCH (a)-[*1..0o777]->(b) RETURN a LIMIT 1", {}),
        ("MATCH (a)-[*1..1_000]->(b) RETURN a LIMIT 1", {}),
        ("MATCH (a)-[*..100]->(b) RETURN a LIMIT 1", {}),
        ("MATCH (a)-[*100]->(b) RETURN a LIMIT 1", {}),
        ("MATCH p = shortestPath((a)-[*]-(b)) RETURN p", {}),
        ("MATCH p = allShortestPaths((a)-[*]-(b)) RETURN count(p) AS n", {}),
        ("UNWIND range(1, 1000000) AS x RETURN x", {}),
        ("UNWIND range(1, 1000000) AS x RETURN x LIMIT 1000000", {}),
        ("UNWIND range(1, 1000000) AS x RETURN x LIMIT $n", {"n": 1_000_000}),
        ("UNWIND range(1, 1000000) AS x RETURN x LIMIT 10 * 100000", {}),
        ("UNWIND range(1, 9) AS x RETURN x UNION UNWIND range(1, 1000000) AS x RETURN x", {}),
        ("MATCH (n) RETURN n.uscc, properties(n), labels(n), keys(n)", {}),
        ("RETURN " + " + ".join(["'x'"] * 3000) + " AS s", {}),
        ("RETURN '" + "x" * 19_000 + "' AS s", {}),
    ]


def spelling_tricks() -> Corpus:
    return [
        ("RETURN `string.join`(['a', 'b'], ',') AS s", {}),
        ("RETURN `string`.`join`(['a', 'b'], ',') AS s", {}),
        ("RETURN string.join(['a', 'b'], ',') AS s", {}),
        ("RETURN `apoc.text.join`(['a'], ',') AS s", {}),
        ("RETURN apoc.version() AS v", {}),
        ("CALL `dbms.components`()", {}),
        ("CALL `dbms`.`components`()", {}),
        ("CALL dbms.procedures()", {}),
        ("CALL dbms.listConfig()", {}),
        ("CALL dbms.security.listUsers()", {}),
        ("CALL db.idx.fulltext.createNodeIndex('Enterprise', 'name')", {}),
        ("CALL db.idx.fulltext.drop('Enterprise')", {}),
        ("CALL db.clearQueryCaches()", {}),
        ("CALL db.indexes()", {}),
        ("CALL algo.pageRank(null, null)", {}),
        ("CALL algo.BFS(null, 0, null)", {}),
        ("CALL gds.graph.list()", {}),
        ("CALL db.labels() YIELD label CALL dbms.procedures() YIELD name RETURN name", {}),
        ("RETURN ｃｏｕｎｔ(1) AS n", {}),
        ("ＭＡＴＣＨ (n) RETURN n", {}),
        ("MATCH (n) RETURN n\u200b LIMIT 1", {}),
        ("MATCH (n)\u2028CREATE (m) RETURN m", {}),
        ("MATCH (n) RETURN n /* unterminated", {}),
        ("MATCH (n) RETURN 'unterminated", {}),
        ("MATCH (n) RETURN `unterminated", {}),
        ("RETURN $`p` AS p", {"p": 1}),
        ("RETURN 0x AS n", {}),
        ("RETURN 1e999999 AS n", {}),
        ("RETURN 99999999999999999999999999999 AS n", {}),
        ("RETURN -9223372036854775808 AS n", {}),
        ("RETURN 9223372036854775807 + 1 AS n", {}),
        ("RETURN 1 / 0 AS n", {}),
        ("RETURN toInteger('x') + 1 AS n", {}),
    ]


def writes_in_disguise() -> Corpus:
    return [
        ("CREATE (n:Enterprise {uscc: 'x'})", {}),
        ("MERGE (n:Person {pid: 'p'}) RETURN n", {}),
        ("MATCH (e:Enterprise) SET e.risk_class = 'A'", {}),
        ("MATCH (e:Enterprise) SET e += {risk_class: 'A'}", {}),
        ("MATCH (e:Enterprise) REMOVE e.risk_class", {}),
        ("MATCH (e:Enterprise) DELETE e", {}),
        ("MATCH (e:Enterprise) DETACH DELETE e", {}),
        ("MATCH (n) RETURN n // harmless\nCREATE (m)", {}),
        ("MATCH (n) RETURN n /* comment */ CREATE (m)", {}),
        ("MATCH (n) RETURN n; MATCH (n) DETACH DELETE n", {}),
        ("RETURN ';' AS a; CREATE (n)", {}),
        ("CALL { CREATE (n:X) } RETURN 1", {}),
        ("CALL { MATCH (e:Enterprise) SET e.x = 1 } RETURN 1", {}),
        ("MATCH (e:Enterprise) CALL { WITH e DETACH DELETE e } IN TRANSACTIONS RETURN 1", {}),
        ("FOREACH (x IN [1] | CREATE (:X))", {}),
        ("LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line", {}),
        ("LOAD CSV FROM 'http://127.0.0.1:1/x.csv' AS line RETURN line", {}),
        ("USE system SHOW DATABASES", {}),
        ("SHOW USERS", {}),
        ("SHOW TRANSACTIONS", {}),
        ("TERMINATE TRANSACTIONS 'neo4j-transaction-1'", {}),
        ("CREATE USER eve SET PASSWORD 'x'", {}),
        ("GRANT ROLE admin TO eve", {}),
        ("ALTER USER neo4j SET PASSWORD 'x'", {}),
        ("DROP INDEX enterprise_name", {}),
        ("CREATE INDEX FOR (e:Enterprise) ON (e.phone)", {}),
        ("EXPLAIN MATCH (n) DETACH DELETE n", {}),
        ("PROFILE MATCH (n) RETURN n", {}),
        ("CYPHER runtime=slotted MATCH (n) DETACH DELETE n", {}),
        ("MATCH (n) WITH n LIMIT 1 SET n.x = 1 RETURN n", {}),
        ("MATCH (n) WITH n MERGE (m:X) RETURN m", {}),
        ("OPTIONAL MATCH (n) CREATE (m) RETURN m", {}),
        ("MATCH (e:Enterprise) SET e:Hacked RETURN e LIMIT 1", {}),
        ("MATCH (e:Enterprise) RETURN e LIMIT 1 UNION CREATE (n) RETURN n", {}),
        ("create (n)", {}),
        ("CrEaTe (n)", {}),
        ("INSERT (n:X)", {}),
    ]


def crashers() -> Corpus:
    """Valid-looking reads that hit engine bugs, and results that are merely large."""
    return [
        ("MATCH (n) RETURN [x IN [1, 2, 3, 4, 5] | count(*)]", {}),
        ("RETURN [x IN [1, 2, 3] | count(x)] AS v", {}),
        ("MATCH (n) RETURN {a: count(*), b: [y IN [1] | count(*)]} AS v", {}),
        ("MATCH (n) WITH n ORDER BY count(*) RETURN n", {}),
        ("RETURN [(n)-->(m) | m] AS v", {}),
        ("MATCH (e:Enterprise) RETURN [(e)-[*1..8]-(m) | m.uscc] AS v LIMIT 1", {}),
        ("MATCH (e:Enterprise) RETURN e ORDER BY e.name LIMIT 10", {}),
        ("MATCH (e:Enterprise) RETURN count(DISTINCT e.region_code) AS n", {}),
        ("MATCH (e:Enterprise)-[r]-(m) RETURN type(r), count(*) AS n", {}),
        ("MATCH (e:Enterprise) WHERE e.name CONTAINS '科技' RETURN e.uscc LIMIT 50", {}),
        ("MATCH (e:Enterprise) RETURN e.uscc AS k, size(e.name) AS n LIMIT 10000", {}),
        ("MATCH (p:Person)-[:LEGAL_REP_OF]->(e) RETURN p.pid, collect(e.uscc) AS firms", {}),
        ("MATCH (a:Address)<-[:REGISTERED_AT]-(e) RETURN a.aid, count(e) AS n ORDER BY n DESC", {}),
        ("MATCH p = (a:Enterprise)-[:INVESTS_IN*1..4]->(b) RETURN length(p) AS l LIMIT 1000", {}),
        ("RETURN date('2024-13-45') AS d", {}),
        ("RETURN duration('P999999999Y') AS d", {}),
        ("RETURN point({x: 1, y: 2}) AS p", {}),
        ("RETURN $p AS p", {"p": {"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": 1}}}}}}}}}),
        ("RETURN $p AS p", {"p": list(range(100_000))}),
        ("RETURN $p AS p", {"p": "x" * 900_000}),
        ("RETURN $`a b` AS p", {"a b": 1}),
        ("RETURN $timeout_s AS p", {"timeout_s": 1}),
    ]


def corpus() -> Corpus:
    """Every hostile input, each once."""
    seen: set[str] = set()
    out: Corpus = []
    for query, params in [
        *nesting(),
        *memory_bombs(),
        *spelling_tricks(),
        *writes_in_disguise(),
        *crashers(),
    ]:
        key = query + json.dumps(params, sort_keys=True, default=str)[:200]
        if key not in seen:
            seen.add(key)
            out.append((query, params))
    return out


def fingerprint(settings: Settings) -> str:
    """A hash of every node's labels and properties and every relationship."""
    with open_store(settings) as store:
        nodes = store.read_values(
            "MATCH (n) RETURN labels(n) AS l, properties(n) AS p", timeout_s=300
        )
        rels = store.read_values(
            "MATCH (a)-[r]->(b) RETURN type(r) AS t, properties(r) AS p, "
            "properties(a) AS a, properties(b) AS b",
            timeout_s=300,
        )
    rows = sorted(json.dumps(row, sort_keys=True, default=str) for row in [*nodes, *rels])
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


class Lookups(threading.Thread):
    """A score look-up every ``interval_s`` until stopped: latencies and failures."""

    def __init__(self, base: str, key: str, uscc: str, interval_s: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.url = f"{base}/api/v1/scores/{uscc}"
        self.headers = {"Authorization": f"Bearer {key}"}
        self.interval_s = interval_s
        self.seconds: list[float] = []
        self.failures: list[str] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        with httpx2.Client(timeout=30) as client:
            while not self.stopped.wait(self.interval_s):
                started = time.monotonic()
                try:
                    status = client.get(self.url, headers=self.headers).status_code
                except httpx2.HTTPError as exc:
                    status, kind = 0, type(exc).__name__
                self.seconds.append(time.monotonic() - started)
                if status != 200:
                    self.failures.append(str(status) if status else kind)


def prepare(env: dict[str, str], data_dir: Path, enterprises: int, seed: int) -> str:
    """Start the database, load a registry, give some firms a score; a scored key."""
    riskgraph("db", "start", env=env, timeout=300)
    riskgraph("db", "init", env=env)
    riskgraph(
        "generate",
        "--enterprises",
        str(enterprises),
        "--seed",
        str(seed),
        "--out",
        str(data_dir / "registry"),
        "--json",
        env=env,
    )
    riskgraph("ingest", str(data_dir / "registry"), "--json", env=env, timeout=1800)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    with open_store(settings) as store:
        [row] = store.write(
            "MATCH (e:Enterprise) WITH e ORDER BY e.uscc LIMIT 100 "
            "SET e.risk_class = 'B', e.risk_score = 0.2 RETURN collect(e.uscc)[0] AS key"
        )
    return str(row["key"])


def run_engine(engine: str, enterprises: int, seed: int, root: Path) -> dict[str, Any]:
    data_dir = root / engine
    env = dict(os.environ)
    env.update(
        RISKGRAPH_DATA_DIR=str(data_dir),
        RISKGRAPH_GRAPH_URI="embedded" if engine == "falkordb" else "local-neo4j",
        RISKGRAPH_DEMO="1",
        RISKGRAPH_NEO4J_HEAP_MB="2048",
        RISKGRAPH_NEO4J_PAGE_CACHE_MB="512",
        RISKGRAPH_EMBEDDED_QUERY_MEMORY_MB="1024",
    )
    os.environ.update(env)  # Settings() in this process reads the same
    try:
        uscc = prepare(env, data_dir, enterprises, seed)
        before = fingerprint(Settings(_env_file=None))  # type: ignore[call-arg]
        pid = json.loads(riskgraph("db", "status", "--json", env=env))["pid"]
        analyst = riskgraph("keys", "create", "--role", "analyst", env=env).strip().split()[-1]
        answers: list[dict[str, Any]] = []
        with running_server(free_port(), data_dir / "serve.log", 300) as server:
            lookups = Lookups(server["base"], server["key"], uscc)
            lookups.start()
            with httpx2.Client(timeout=120) as client:
                for query, params in corpus():
                    started = time.monotonic()
                    response = client.post(
                        f"{server['base']}/api/v1/cypher",
                        headers={"Authorization": f"Bearer {analyst}"},
                        json={"query": query, "params": params, "timeout_s": 5},
                    )
                    answers.append(
                        {
                            "query": query[:120],
                            "status": response.status_code,
                            "seconds": time.monotonic() - started,
                        }
                    )
            lookups.stopped.set()
            lookups.join()
        after = fingerprint(Settings(_env_file=None))  # type: ignore[call-arg]
        status = json.loads(riskgraph("db", "status", "--json", env=env))
        audit = (data_dir / "audit.log").read_text(encoding="utf-8").splitlines()
        restarts = sum(json.loads(line)["action"] == "database_restart" for line in audit)
        audited = sum(json.loads(line)["action"] == "cypher" for line in audit)
    finally:
        riskgraph("db", "stop", env=env, timeout=300)
    slowest = max(answers, key=lambda a: a["seconds"])
    statuses: dict[str, int] = {}
    for answer in answers:
        statuses[str(answer["status"])] = statuses.get(str(answer["status"]), 0) + 1
    return {
        "queries": len(answers),
        "statuses": dict(sorted(statuses.items())),
        "refused": sum(400 <= a["status"] < 500 for a in answers),
        "answered": sum(a["status"] == 200 for a in answers),
        "timed_out": sum(a["status"] == 504 for a in answers),
        "server_errors": [a for a in answers if a["status"] >= 500 and a["status"] != 504],
        "writes": int(before != after),
        "crashes": restarts + int(status["pid"] != pid or not status["running"]),
        "audited": audited,
        "slowest_answer_s": round(slowest["seconds"], 3),
        "slowest_query": slowest["query"],
        "score_lookups": {
            "count": len(lookups.seconds),
            "max_ms": round(max(lookups.seconds) * 1000, 1),
            "p99_ms": round((percentile(lookups.seconds, 0.99) or 0) * 1000, 1),
            "over_1s": sum(s > 1.0 for s in lookups.seconds),
            "failures": lookups.failures[:20],
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--engines", nargs="+", default=["falkordb", "neo4j"])
    parser.add_argument("--enterprises", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    result: dict[str, Any] = {"corpus": len(corpus()), "enterprises": args.enterprises}
    with tempfile.TemporaryDirectory() as tmp:
        for engine in args.engines:
            result[engine] = run_engine(engine, args.enterprises, args.seed, Path(tmp))
    emit(result)


if __name__ == "__main__":
    main()
