"""Command groups of the ``riskgraph`` CLI, one module per domain."""
