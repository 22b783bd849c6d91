"""The riskgraph HTTP API (FastAPI): ``create_app`` lives in :mod:`riskgraph.api.app`."""
