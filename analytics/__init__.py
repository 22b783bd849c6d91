"""The domain: rules and alerts, clusters, inspection plans, scores and statistics.

One service function per use case, called by the CLI (``riskgraph/commands``) and the
API (``api/routes``) alike; neither holds Cypher. Imports ``graph/`` (the store),
``ingest/`` and ``gnn/`` below it, never ``api/`` or the CLI.
"""
