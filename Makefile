# The README's two commands: `make up` (the main job) and `make test` (the whole suite, lint and type checks).
# Both do every set-up step themselves on a fresh machine.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
VENV_STAMP := $(VENV)/.installed
PY := $(VENV)/bin/python
NODE_COMPAT := tests/compat/node

.PHONY: help
help:
	@echo "make up              start the bundled Qlik Cloud emulator and 'pulumi up' the root project"
	@echo "make down            'pulumi destroy' the root project and stop the emulator"
	@echo "make test            set-up, lint, type checks and the whole test suite (real Pulumi engine)"
	@echo "make engine          build (once) or find the Pulumi toolchain"
	@echo "make pulumi-version  print the version of the engine the project uses (last line)"
	@echo "make bench           fleet benchmark against the emulator: table, bench/results/fleet.csv and .png"
	@echo "make docs            regenerate the resource reference (docs/resources/) from the specs"

$(PY):
	$(PYTHON) -m venv $(VENV)

# pulumi-policy (the policy pack's library, pulumi_qlik/policy) goes in with --no-deps: it pins protobuf ~=5.29
# while the Pulumi SDK runs protobuf 6 here; it uses only the SDK's own generated modules, and
# tests/engine/test_policy_pack.py runs it.
# Re-installs when the pins change or the interpreter is gone (e.g. a deleted .venv that left its stamp).
$(VENV_STAMP): $(PY) pyproject.toml constraints.txt
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[emulator,dev,examples]'
	$(PY) -m pip install --quiet --no-deps -c constraints.txt pulumi-policy
	@touch $@

# The package is installed editable, so pip compiled none of it, and where PYTHONDONTWRITEBYTECODE is set (CI
# machines set it) no process ever writes its bytecode: each of the program, provider and policy processes of every
# `pulumi` command then compiled pulumi_qlik from source again (about 0.25 s of CPU each). Up-to-date files are
# skipped, so this costs nothing when nothing changed.
.PHONY: venv
venv: $(VENV_STAMP)
	@$(PY) -m compileall -q -j 0 provider examples >/dev/null

# The benchmark's extra (matplotlib) on top of the usual venv.
BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): $(VENV_STAMP)
	$(PY) -m pip install --quiet -c constraints.txt -e '.[emulator,dev,bench]'
	@touch $@

.PHONY: bench
bench: $(BENCH_STAMP) engine
	$(PY) bench/fleet.py $(BENCH_ARGS)

.PHONY: engine
engine:
	@scripts/ensure-pulumi.sh >/dev/null

.PHONY: pulumi-version
pulumi-version: engine
	@scripts/pulumi version

# actionlint for the README's CI job (tests/unit/test_readme_ci.py), built once like the engine.
.PHONY: actionlint
actionlint:
	@scripts/ensure-actionlint.sh >/dev/null

# Debian's Chromium for the browser test of embedding (tests/engine/test_embedding_browser.py), installed once.
.PHONY: chromium
chromium:
	@scripts/ensure-chromium.sh >/dev/null

# Debian's redis-server: the broker of the onboarding service's queue tests (tests/engine/redis_broker.py).
.PHONY: redis
redis:
	@scripts/ensure-redis.sh

.PHONY: node-deps
node-deps:
	@if [ -f $(NODE_COMPAT)/package-lock.json ]; then \
	  if [ ! -d $(NODE_COMPAT)/node_modules ] || [ $(NODE_COMPAT)/package-lock.json -nt $(NODE_COMPAT)/node_modules ]; then \
	    (cd $(NODE_COMPAT) && npm ci --no-audit --no-fund --loglevel=error) && touch $(NODE_COMPAT)/node_modules; \
	  fi; \
	fi

.PHONY: lint
lint: venv
	$(VENV)/bin/ruff check provider tests examples bench __main__.py
	$(VENV)/bin/ruff format --check provider tests examples bench __main__.py
	$(VENV)/bin/mypy

.PHONY: test
test: venv engine actionlint chromium redis node-deps lint
	$(VENV)/bin/pytest

.PHONY: docs
docs: venv
	$(VENV)/bin/python scripts/gen-resource-docs.py

.PHONY: up
up: venv engine
	@scripts/up.sh

.PHONY: down
down: venv engine
	@scripts/down.sh

.PHONY: lock
lock:
	rm -rf /tmp/pulumi-qlik-lock && $(PYTHON) -m venv /tmp/pulumi-qlik-lock
	/tmp/pulumi-qlik-lock/bin/pip install --quiet -e '.[emulator,dev,examples,bench]'
	{ echo "# Pinned versions of every Python package the project installs (runtime + emulator + dev + examples + bench)."; \
	  echo "# Regenerate with: make lock"; \
	  /tmp/pulumi-qlik-lock/bin/pip freeze --exclude-editable | grep -v '^pulumi-qlik'; } > constraints.txt
