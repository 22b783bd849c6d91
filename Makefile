# riskgraph: everything a fresh machine needs is installed from here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
TORCH_VERSION := 2.13.0
export RISKGRAPH_DATA_DIR ?= ./data

.PHONY: install web browser java neo4j lint test demo db-start db-stop clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# torch goes first and pinned, so that no other package pulls a multi-GB CUDA build.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet torch==$(TORCH_VERSION)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# The Cypher linter (Neo4j's own parser and semantic analysis) runs on node.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The investigator web app: bundled from node_modules by esbuild into api/webapp/dist.
WEB_SOURCES := $(shell find api/webapp/src -type f) api/webapp/index.html api/webapp/build.mjs \
  api/webapp/swagger-init.js
api/webapp/dist/index.html: node_modules/.installed $(WEB_SOURCES)
	node api/webapp/build.mjs

web: api/webapp/dist/index.html

# Headless Chromium from Debian for the browser tests (tests/web). If it cannot be
# installed (no root, no network) the build goes on and those tests skip, saying why.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  { apt-get update -qq && apt-get install -y --no-install-recommends chromium fonts-noto-cjk; } \
	  || echo "warning: could not install chromium; the browser tests will be skipped"; \
	fi

# Neo4j Community (the local Neo4j and the Neo4j half of the tests), fetched by Maven
# into .neo4j/lib from graph/neo4j_server/pom.xml. Java 17 and Maven come from Debian
# when missing. If Maven cannot reach its registry the build goes on, says so in one
# line, and the Neo4j tests skip with that reason.
NEO4J_LIB := .neo4j/lib
java:
	@if ! command -v java >/dev/null || ! command -v mvn >/dev/null; then \
	  { apt-get update -qq && apt-get install -y --no-install-recommends openjdk-17-jre-headless maven; } \
	  || echo "warning: could not install Java 17 and Maven; the local Neo4j will be unavailable"; \
	fi

$(NEO4J_LIB)/.installed: graph/neo4j_server/pom.xml | java
	@rm -rf $(NEO4J_LIB) && mkdir -p $(NEO4J_LIB)
	@if mvn -q -B -f graph/neo4j_server/pom.xml dependency:copy-dependencies \
	      -DoutputDirectory=$(abspath $(NEO4J_LIB)) -DincludeScope=runtime > .neo4j/maven.log 2>&1; then \
	  touch $@; \
	else \
	  echo "warning: Maven could not fetch Neo4j Community (see .neo4j/maven.log); the Neo4j tests will be skipped"; \
	fi

neo4j: $(NEO4J_LIB)/.installed

install: $(VENV)/.installed node_modules/.installed web browser neo4j

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

db-start: install
	$(BIN)/riskgraph db start

db-stop:
	$(BIN)/riskgraph db stop

# ENGINE=neo4j runs the demo (and db-start, db-stop) on the local Neo4j instead of
# the embedded FalkorDB.
ENGINE ?= falkordb
ifeq ($(ENGINE),neo4j)
demo db-start db-stop: export RISKGRAPH_GRAPH_URI = local-neo4j
else ifneq ($(ENGINE),falkordb)
$(error ENGINE must be falkordb or neo4j)
endif

DEMO_ENTERPRISES ?= 20000
DEMO_SEED ?= 7
DEMO_DIR := $(RISKGRAPH_DATA_DIR)/demo-registry
MODELS_DIR := $(RISKGRAPH_DATA_DIR)/models

# The demo loads synthetic data only, so it may use the shipped person-ID secret.
demo: export RISKGRAPH_DEMO = 1
demo: install
	$(BIN)/riskgraph db start
	$(BIN)/riskgraph db init
	$(BIN)/riskgraph generate --enterprises $(DEMO_ENTERPRISES) --seed $(DEMO_SEED) --out $(DEMO_DIR) --json > /dev/null
	$(BIN)/riskgraph ingest $(DEMO_DIR)
	$(BIN)/riskgraph db stats
	$(BIN)/riskgraph train --out $(MODELS_DIR) --score
	$(BIN)/riskgraph clusters build
	$(BIN)/riskgraph clusters list --limit 10
	$(BIN)/riskgraph rules run
	$(BIN)/riskgraph db status
	@key=$$($(BIN)/riskgraph keys create --role investigator --label "make demo" | tail -n 1); \
	  url=$$($(BIN)/riskgraph url); \
	  echo; echo "API: $$url/api/v1 (OpenAPI at /api/v1/docs)"; \
	  echo "web app: $$url/ (sign in with the key below)"; \
	  echo "demo investigator key: $$key"; \
	  echo "try: curl -H 'Authorization: Bearer $$key' $$url/api/v1/scores/<uscc>"; echo
	$(BIN)/riskgraph serve

clean:
	-$(BIN)/riskgraph db stop
	rm -rf $(VENV) node_modules .neo4j .mypy_cache .ruff_cache .pytest_cache
