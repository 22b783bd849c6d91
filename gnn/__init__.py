"""Risk models: graph export, features, a heterogeneous GNN, baselines, scoring, explanations.

``train`` (:mod:`riskgraph.gnn.train`), ``score`` and ``prune_history``
(:mod:`riskgraph.gnn.score`) and ``explain`` (:mod:`riskgraph.gnn.explain`) are the
entry points; see docs/risk-model.md. They import torch, so import them where
they are used rather than at start-up.
"""
