"""Model info, metrics and explanations, with a tiny model trained on the test graph."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from api_helpers import CLASSES, ENTERPRISES, Api, uscc

from riskgraph.api.explanations import ExplanationCache
from riskgraph.api.privacy import pseudonym
from riskgraph.graph.store import GraphStore

PIDS = {"pid-zhang", "pid-li"}


@pytest.fixture(scope="module")
def trained(api_graph: GraphStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A GraphSAGE model (a few epochs) trained on the shared graph, labels from a CSV
    file so that the graph stays as it is. Returns the models directory."""
    torch = pytest.importorskip("torch")
    from riskgraph.gnn.fit import FitConfig
    from riskgraph.gnn.hetero_sage import HeteroSAGEConfig
    from riskgraph.gnn.train import LabelSpec, TrainConfig, train

    torch.set_num_threads(1)
    root = tmp_path_factory.mktemp("models")
    labels = root.parent / "labels.csv"
    with labels.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["key", "class"])
        writer.writerows([uscc(i), CLASSES[i % 4]] for i in range(ENTERPRISES))
    config = TrainConfig(
        models=("hetero_sage",),
        gnn=(HeteroSAGEConfig(hidden_channels=16),),
        fit=FitConfig(max_epochs=20, patience=5),
        min_aggregate_edges=1,
        device="cpu",
    )
    train(api_graph, root / "models", labels=LabelSpec(source=labels), seed=0, config=config)
    return root / "models"


@pytest.fixture
def model_api(make_api: Any, trained: Path) -> Api:
    api: Api = make_api(models_dir=trained)
    return api


def test_without_a_model_the_answer_is_a_clear_404(api: Api) -> None:
    explanation = f"/api/v1/enterprises/{uscc(0)}/explanation"
    for path in ("/api/v1/model", "/api/v1/model/metrics", explanation):
        response = api.get(path, "investigator")
        assert response.status_code == 404, path
        assert response.json()["error"] == "not_found"
        assert "riskgraph train" in response.json()["message"]
    assert api.get("/api/v1/model", "service").status_code == 403
    assert api.get(explanation, "service").status_code == 403


def test_model_info_and_metrics(model_api: Api, trained: Path) -> None:
    [version] = [p.name for p in trained.iterdir()]
    info = model_api.get("/api/v1/model", "investigator")
    assert info.status_code == 200, info.text
    body = info.json()
    assert body["version"] == version and body["versions"] == [version]
    assert body["selected"] == "hetero_sage" and body["candidates"] == ["hetero_sage"]
    assert body["classes"] == ["A", "B", "C", "D"] and body["binary"] is False
    assert set(body["test"]) == {"hetero_sage"} and body["test"]["hetero_sage"]["n"] > 0
    assert body["split"]["labelled"] == ENTERPRISES

    metrics = model_api.get("/api/v1/model/metrics", "analyst")
    assert metrics.status_code == 200
    on_disk = json.loads((trained / version / "metrics.json").read_text(encoding="utf-8"))
    assert metrics.json()["selected"] == on_disk["selected"]
    assert (
        metrics.json()["models"]["hetero_sage"]["confusion_matrix"]
        == (on_disk["models"]["hetero_sage"]["confusion_matrix"])
    )
    named = model_api.get("/api/v1/model", "admin", params={"version": version})
    assert named.status_code == 200
    unknown = model_api.get("/api/v1/model/metrics", "admin", params={"version": "v1"})
    assert unknown.status_code == 404 and version in unknown.json()["message"]
    assert model_api.get("/api/v1/model", "admin", params={"version": "../x"}).status_code == 422
    assert model_api.get("/api/v1/model/metrics", "service").status_code == 403
    actions = [r["action"] for r in model_api.audit() if r["action"].startswith("model.")]
    assert actions == ["model.read", "model.metrics", "model.read"]  # 404s are not reads


def test_explanations_are_cached_and_masked(model_api: Api) -> None:
    path = f"/api/v1/enterprises/{uscc(0)}/explanation"
    first = model_api.get(path, "analyst", params={"top_k": 50})
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["uscc"] == uscc(0) and body["model"] == "hetero_sage"
    assert body["method"] == "integrated gradients" and body["cached"] is False
    assert body["risk_class"] in CLASSES
    assert abs(sum(body["probabilities"].values()) - 1) < 1e-3
    assert body["features"] and body["persons_masked"] is False
    persons = [n for n in body["neighbours"] if n["type"] == "person"]
    assert persons and {n["key"] for n in persons} <= PIDS

    again = model_api.get(path, "investigator", params={"top_k": 50})
    assert again.status_code == 200
    masked = again.json()
    assert masked["cached"] is True and masked["persons_masked"] is True
    assert not any(pid in again.text for pid in PIDS)
    assert {n["key"] for n in masked["neighbours"] if n["type"] == "person"} <= {
        pseudonym(pid) for pid in PIDS
    }
    assert masked["features"] == body["features"]
    assert masked["probabilities"] == body["probabilities"]
    assert model_api.get(path, "analyst").json()["cached"] is False  # another top_k

    assert model_api.get("/api/v1/enterprises/NOPE/explanation", "admin").status_code == 404
    assert model_api.get(path, "service").status_code == 403
    records = [r for r in model_api.audit() if r["action"] == "enterprises.explanation"]
    assert [(r["role"], r["cached"], r["persons_unmasked"]) for r in records] == [
        ("analyst", False, True),
        ("investigator", True, False),
        ("analyst", False, True),
    ]
    assert records[0]["risk_class"] == body["risk_class"]


def test_explanations_read_in_words_and_name_neighbours(model_api: Api) -> None:
    path = f"/api/v1/enterprises/{uscc(0)}/explanation"
    body = model_api.get(path, "analyst", params={"top_k": 50}).json()
    assert body["exact"] is True and body["sampled"] == []
    assert 1 <= body["nodes_read"]["enterprise"] <= ENTERPRISES
    categories = {"基础属性", "动态信息", "监管信息", "关联关系", "社会评价"}
    for item in body["features"]:
        assert item["code"] == item["feature"]
        assert item["label"]["zh"] and "[" not in item["label"]["zh"], item
        assert item["category"]["zh"] in categories
        assert item["text"]["zh"]
        if item["unit"] in ("count", "days") and item["value"] is not None:
            assert isinstance(item["value"], int) and f"{item['value']:,}" in item["text"]["zh"]
        if item["unit"] == "flag":
            assert isinstance(item["value"], bool)
    names = {n["key"]: n.get("name") for n in body["neighbours"]}
    assert names.get("pid-zhang") in (None, "张三丰") and names.get("pid-li") in (None, "李四")
    assert any(name for name in names.values())
    masked = model_api.get(path, "investigator", params={"top_k": 50}).json()
    for item in masked["neighbours"]:
        if item["type"] == "person":
            assert item["name"] in ("张**", "李*")
    assert "张三丰" not in json.dumps(masked, ensure_ascii=False)


def test_explanation_cache_is_bounded_and_single_flight() -> None:
    cache = ExplanationCache(max_entries=2)
    calls: list[str] = []

    def make(key: str) -> Any:
        def compute() -> dict[str, Any]:
            calls.append(key)
            return {"key": key, "items": [1]}

        return compute

    value, cached = cache.get_or_compute("a", make("a"))
    assert cached is False
    value["items"].append(2)  # callers get copies
    assert cache.get_or_compute("a", make("a")) == ({"key": "a", "items": [1]}, True)
    cache.get_or_compute("b", make("b"))
    cache.get_or_compute("c", make("c"))
    assert len(cache) == 2 and calls == ["a", "b", "c"]
    assert cache.get_or_compute("a", make("a"))[1] is False


def test_masking_of_explanations_covers_paths_and_hub_persons() -> None:
    from riskgraph.api.privacy import mask_explanation

    explanation = {
        "key": uscc(0),
        "neighbours": [
            {
                "key": "pid-zhang",
                "type": "person",
                "relation": "LEGAL_REP_OF",
                "path": f"(enterprise {uscc(0)})<-[LEGAL_REP_OF]-(person pid-zhang)",
            },
            {
                "key": uscc(2),
                "type": "enterprise",
                "relation": "LEGAL_REP_OF~person",
                "via": "pid-zhang",
            },
            {
                "key": uscc(5),
                "type": "enterprise",
                "relation": "REGISTERED_AT~address",
                "via": "a2",
            },
        ],
    }
    masked = mask_explanation(explanation)
    alias = pseudonym("pid-zhang")
    assert "pid-zhang" not in json.dumps(masked)
    assert masked["neighbours"][0]["key"] == alias
    assert masked["neighbours"][0]["path"].endswith(f"(person {alias})")
    assert masked["neighbours"][1]["via"] == alias and masked["neighbours"][2]["via"] == "a2"
    assert explanation["neighbours"][0]["key"] == "pid-zhang"  # the cached answer is untouched
