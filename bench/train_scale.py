"""Training and scoring on a large loaded graph: wall time and peak memory.

    python bench/full_load.py --enterprises 1570000 --seed 1 --keep /tmp/big
    RISKGRAPH_DATA_DIR=/tmp/big python bench/train_scale.py --gnn-minutes 6 --tree-minutes 2

Runs ``riskgraph train`` and then ``riskgraph score`` (writing the scores back)
as child processes against the graph the settings name, timing each and taking
each child's peak resident memory; with ``--together``, one ``riskgraph train
--score`` (scoring from the training run's export) instead; with ``--model
DIR``, only ``riskgraph score`` of that version. Targets (issue: risk
model): export and training ≤ 20 min within 16 GB on 2 CPU cores, scoring every
enterprise ≤ 2 min.
Prints one JSON line with the figures and the models' test-split figures.

On FalkorDB, a timed run first waits (up to 15 minutes) until the server has
had no background fork for a minute: every score write-back re-indexes 1.57M
enterprises, and the index's garbage collector then forks the server and
keeps a core busy for half a minute or more; a run started meanwhile
measures the previous run's collection too (as a monthly run would not).
``server_forks`` says how long the run waited and how many forks began
during it (its own write-back's collection, an AOF rewrite).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import redis
from _common import emit

from riskgraph.graph.connect import embedded_database
from riskgraph.settings import Settings


def timed_child(args: list[str]) -> tuple[float, float, str]:
    """Run ``riskgraph ARGS``; (seconds, peak RSS in MB, stdout).

    The last argument names the file stdout goes to; stderr (the step log) goes
    to the same name with ``.log`` added.
    """
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child becomes the CLI, so its rusage is the CLI's alone
        out = os.open(args[-1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        log = os.open(args[-1] + ".log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(out, 1)
        os.dup2(log, 2)
        os.execv(sys.executable, [sys.executable, "-m", "riskgraph", *args[:-1]])
    _, status, usage = os.wait4(pid, 0)
    seconds = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"riskgraph {' '.join(args[:-1])} failed ({status})")
    return seconds, usage.ru_maxrss / 1024, Path(args[-1]).read_text(encoding="utf-8")


TARGETS = {"train_seconds": 1200, "train_rss_mb": 16384, "score_seconds": 120}


class Server:
    """The FalkorDB server the settings name, for its background forks (None on Neo4j)."""

    def __init__(self) -> None:
        settings = Settings()
        self.client: redis.Redis | None = None
        if settings.backend == "falkordb":
            secret = settings.graph_password
            password = secret.get_secret_value() if secret else None
            uri = settings.graph_uri
            if settings.is_embedded:  # its password is generated unless one is configured
                database = embedded_database(settings)
                uri, password = database.uri(), database.password
            self.client = redis.Redis.from_url(uri, password=password)

    def forks(self) -> int:
        return int(self.client.info("stats")["total_forks"]) if self.client else 0

    def wait_quiet(self, settle_s: float = 60.0, timeout_s: float = 900.0) -> float:
        """Wait until no fork (index garbage collection, AOF rewrite) runs and none has
        begun for ``settle_s`` (the collector looks for garbage every 30 s, and an
        AOF rewrite can hold it back); seconds waited."""
        started = quiet_since = time.monotonic()
        forks = self.forks()
        while self.client and time.monotonic() - started < timeout_s:
            info = self.client.info("persistence")
            busy = ("module_fork_in_progress", "aof_rewrite_in_progress", "rdb_bgsave_in_progress")
            now_forks = self.forks()
            if any(int(info.get(name, 0)) for name in busy) or now_forks != forks:
                forks, quiet_since = now_forks, time.monotonic()
            elif time.monotonic() - quiet_since >= settle_s:
                break
            time.sleep(2)
        return round(time.monotonic() - started, 1)


def timed_run(server: Server, args: list[str]) -> tuple[float, float, str, dict[str, float]]:
    """:func:`timed_child` on a quiet server; also the wait and the forks during the run."""
    waited = server.wait_quiet()
    before = server.forks()
    seconds, peak_mb, stdout = timed_child(args)
    return seconds, peak_mb, stdout, {"waited_s": waited, "forks": server.forks() - before}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("bench-models"))
    parser.add_argument("--gnn-minutes", type=float, default=6.0)
    parser.add_argument("--tree-minutes", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--together", action="store_true", help="one `riskgraph train --score` run instead"
    )
    parser.add_argument(
        "--model", type=Path, help="only score with this trained version (no training)"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    server = Server()
    if args.model is not None:
        emit(_score_only(server, args.model, args.out))
        return

    train_args = [
        "train",
        "--out",
        str(args.out),
        "--seed",
        str(args.seed),
        "--gnn-minutes",
        str(args.gnn_minutes),
        "--tree-minutes",
        str(args.tree_minutes),
    ]
    if args.together:
        emit(_together(server, args.out, train_args))
        return
    train_s, train_mb, train_out, train_server = timed_run(
        server, [*train_args, "--json", str(args.out / "train.json")]
    )
    trained: dict[str, Any] = json.loads(train_out)
    score_s, score_mb, score_out, score_server = timed_run(
        server, ["score", "--model", trained["model_dir"], "--json", str(args.out / "score.json")]
    )
    scored: dict[str, Any] = json.loads(score_out)
    emit(
        {
            "benchmark": "train_scale",
            "train_seconds": round(train_s, 1),
            "train_peak_rss_mb": round(train_mb),
            "score_seconds": round(score_s, 1),
            "score_peak_rss_mb": round(score_mb),
            "server_forks": {"train": train_server, "score": score_server},
            "targets": TARGETS,
            "selected": trained["selected"],
            "test": _test_figures(trained),
            "scored": _flat(scored),
            "train_steps": _steps(args.out / "train.json.log"),
            "score_steps": _steps(args.out / "score.json.log"),
        }
    )


def _score_only(server: Server, model: Path, out: Path) -> dict[str, Any]:
    """``riskgraph score`` of an existing version: the separate scoring run alone."""
    seconds, peak_mb, stdout, during = timed_run(
        server, ["score", "--model", str(model), "--json", str(out / "score.json")]
    )
    return {
        "benchmark": "train_scale",
        "mode": "score",
        "score_seconds": round(seconds, 1),
        "score_peak_rss_mb": round(peak_mb),
        "server_forks": during,
        "targets": TARGETS,
        "scored": _flat(json.loads(stdout)),
        "score_steps": _steps(out / "score.json.log"),
    }


def _together(server: Server, out: Path, train_args: list[str]) -> dict[str, Any]:
    """``riskgraph train --score``: one child that trains, then scores from the same export."""
    seconds, peak_mb, stdout, during = timed_run(
        server, [*train_args, "--score", "--json", str(out / "both.json")]
    )
    result: dict[str, Any] = json.loads(stdout)
    return {
        "benchmark": "train_scale",
        "mode": "train --score",
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(peak_mb),
        "server_forks": during,
        "score_step_seconds": round(float(result["score"]["seconds"]), 1),
        "targets": TARGETS,
        "selected": result["selected"],
        "test": _test_figures(result),
        "scored": _flat(result["score"]),
        "steps": _steps(out / "both.json.log"),
    }


def _test_figures(trained: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: {k: figures.get(k) for k in ("macro_f1", "d_recall", "roc_auc")}
        for name, figures in trained["metrics"]["models"].items()
    }


def _flat(summary: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in summary.items() if not isinstance(v, dict | list)}


def _steps(path: Path) -> list[str]:
    """The step log's lines ("  12.3 s exported …"), without blank ones."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [" ".join(line.split()) for line in lines if line.strip()]


if __name__ == "__main__":
    main()
