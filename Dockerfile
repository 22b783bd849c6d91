# The riskgraph service image (used by docker-compose.yml against Neo4j).
FROM python:3.11-slim
WORKDIR /app
RUN pip install --no-cache-dir torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
COPY pyproject.toml README.md ./
COPY riskgraph ./riskgraph
COPY graph ./graph
COPY ingest ./ingest
COPY gnn ./gnn
COPY api ./api
COPY cypher ./cypher
RUN pip install --no-cache-dir .
USER nobody
ENTRYPOINT []
