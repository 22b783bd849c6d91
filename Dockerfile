# The riskgraph service image: the API and the investigator web app, against Neo4j
# (docker-compose.yml). Everything comes from the registries (PyPI, npm).

# The web app, bundled by esbuild from npm packages.
FROM node:20-slim AS web
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY api/webapp ./api/webapp
# The risk map's outlines are joined to the region table's codes (api/webapp/geo.mjs).
COPY riskgraph/reference/regions.tsv ./riskgraph/reference/regions.tsv
RUN node api/webapp/build.mjs

FROM python:3.11-slim
WORKDIR /app
# torch first and pinned, so that no other package picks another build.
RUN pip install --no-cache-dir torch==2.13.0
COPY pyproject.toml README.md ./
COPY riskgraph ./riskgraph
COPY graph ./graph
COPY ingest ./ingest
COPY gnn ./gnn
COPY analytics ./analytics
COPY api ./api
COPY cypher ./cypher
COPY --from=web /build/api/webapp/dist ./api/webapp/dist
RUN pip install --no-cache-dir . \
 && useradd --system --uid 10001 --home-dir /data riskgraph \
 && mkdir -p /data && chown riskgraph /data
USER riskgraph
ENV RISKGRAPH_DATA_DIR=/data
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=5 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4)"]
CMD ["sh", "-c", "riskgraph db init && exec riskgraph serve --host 0.0.0.0 --port 8000"]
