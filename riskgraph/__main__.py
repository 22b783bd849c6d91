"""``python -m riskgraph`` runs the command line."""

from riskgraph.cli import app

app()
