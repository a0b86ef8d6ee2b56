# The two commands: `make up` (run a demo hub on http://127.0.0.1:8000) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PROXY := $(VENV)/node/node_modules/.bin/configurable-http-proxy
# Public dashboards load the widget manager from the hub, never a CDN (offline workshops).
HTML_MANAGER := $(VENV)/node/node_modules/@jupyter-widgets/html-manager/package.json
MERMAID := $(VENV)/node/node_modules/mermaid/package.json
EXTRAS := hub,data,test
PYTEST_ARGS ?=

.PHONY: up test unit integration browser lint system-deps engine images docs clean help

help:
	@echo "make up    - set up and run the hub on http://127.0.0.1:8000 with demo accounts"
	@echo "make test  - set up and run all the tests (unit, integration, browser)"
	@echo "make unit | integration | browser | lint | docs | clean"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip wheel hatchling
	$(BIN)/pip install -q -e '.[$(EXTRAS)]'
	# An optional extra of jsonschema that costs 1.3 CPU-s at every import (see images/user/Dockerfile).
	$(BIN)/pip uninstall -q -y rfc3987-syntax lark
	touch $(STAMP)

$(PROXY):
	npm install --silent --no-audit --no-fund --prefix $(VENV)/node configurable-http-proxy@4

# Only the package's dist/ is served: `npm pack` fetches it without its 127 MB of dependencies.
$(HTML_MANAGER):
	mkdir -p $(dir $@) && cd $(dir $@) && npm pack --silent @jupyter-widgets/html-manager@1.0.15 \
	  | xargs -I{} sh -c 'tar -xzf {} --strip-components=1 && rm {}'

# Mermaid's ES module build only (13 MB of the package's 60): diagrams in dashboards.
$(MERMAID):
	mkdir -p $(dir $@) && cd $(dir $@) && npm pack --silent mermaid@11.10.0 \
	  | xargs -I{} sh -c 'tar -xzf {} --strip-components=1 package/package.json package/LICENSE \
	    package/dist/mermaid.esm.min.mjs package/dist/chunks/mermaid.esm.min && rm {}'

# Host packages (Docker engine, npm; Chromium for tests) when run as root on Debian/Ubuntu.
system-deps:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then bash scripts/system-deps.sh $(SYSTEM_DEPS_ARGS); \
	else echo "not root or not Debian: skipping host packages (see README)"; fi

engine: $(STAMP)
	$(BIN)/python -m ungp_hub.engine

up: SYSTEM_DEPS_ARGS=
up: system-deps $(STAMP) $(PROXY) $(HTML_MANAGER) $(MERMAID)
	$(BIN)/ungp hub run --settings settings/demo.yaml

test: SYSTEM_DEPS_ARGS=--test
# Unit tests on both cores (pytest-xdist), then the integration and browser tests one at a
# time (each starts hubs and containers that need the machine). PYTEST_ARGS: one plain run.
test: system-deps $(STAMP) $(PROXY) $(HTML_MANAGER) $(MERMAID) engine lint
ifeq ($(strip $(PYTEST_ARGS)),)
	$(BIN)/pytest -n 2 tests/unit
	$(BIN)/pytest tests/integration tests/browser
else
	$(BIN)/pytest $(PYTEST_ARGS)
endif

unit: $(STAMP)
	$(BIN)/pytest tests/unit $(PYTEST_ARGS)

integration: $(STAMP) $(PROXY) $(HTML_MANAGER) $(MERMAID) engine
	$(BIN)/pytest tests/integration $(PYTEST_ARGS)

browser: $(STAMP) $(PROXY) $(HTML_MANAGER) $(MERMAID) engine
	$(BIN)/pytest tests/browser $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

docs: $(STAMP)
	$(BIN)/ungp settings reference > docs/reference/settings.md
	$(BIN)/ungp settings example > settings/example.yaml

clean:
	rm -rf $(VENV) build state test-artifacts
