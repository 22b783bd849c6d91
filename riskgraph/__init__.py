"""riskgraph: enterprise credit-risk classification on a relationship graph."""

__version__ = "0.1.0"
