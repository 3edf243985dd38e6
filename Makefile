# Two commands do all set-up on a fresh machine:
#   make demo   - the whole job on the embedded default (sample museums -> harvest -> search -> web)
#   make test   - the test suite, with the real services it needs (PostgreSQL, OpenSearch, Elasticsearch)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint venv assets services services-stop clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,demo]'
	touch $(STAMP)

venv: $(STAMP) assets

# Front-end files from the npm registry, never committed: <model-viewer> (served under
# /static/vendor/) and axe-core (the accessibility tests). Skips when installed already.
assets:
	bash devtools/install_assets.sh

demo: $(STAMP) assets
	$(BIN)/python -m demo $(DEMO_ARGS)

# Style, the one-way flow between the packages (import-linter), and types (mypy --strict).
lint: $(STAMP)
	$(BIN)/ruff check $(wildcard config harvester mappings aggregator demo tests devtools benchmarks)
	$(BIN)/lint-imports
	$(BIN)/mypy

# Starts PostgreSQL, an OpenSearch node and an Elasticsearch node (installing their tools
# when run as root), runs pytest with their URLs in the environment, and stops them by PID.
# The suite mostly waits (services, loopback peers, subprocesses, Chromium), so it runs in
# 3 pytest-xdist workers even on 2 cores; each test file stays on one worker (module fixtures
# such as a harvested site or a browser context are built once). `make test PYTEST_WORKERS=`
# runs it in one process.
PYTEST_WORKERS ?= -n 3 --dist loadfile
test: $(STAMP) assets
	bash devtools/install_tools.sh
	$(BIN)/python devtools/test_services.py -- $(BIN)/pytest $(PYTEST_WORKERS) $(PYTEST_ARGS)

clean:
	rm -rf var .pytest_cache .hypothesis
