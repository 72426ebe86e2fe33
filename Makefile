# Every target installs what it needs: a fresh Debian/Ubuntu clone needs only `make run`
# or `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA_DIR ?= $(CURDIR)/var/demo

.PHONY: run test lint typecheck unit screenshots bench system-deps test-tools clean

$(STAMP): pyproject.toml scripts/system-deps.sh
	bash scripts/system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[backend,desktop,dev]'
	touch $(STAMP)

system-deps:
	bash scripts/system-deps.sh

test-tools:
	bash scripts/system-deps.sh --with-test-tools

run: $(STAMP)
	bash scripts/run-demo.sh "$(DATA_DIR)"

lint: $(STAMP)
	shellcheck scripts/*.sh packaging/*.sh .ci/run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	QT_QPA_PLATFORM=offscreen bash scripts/with-test-postgres.sh $(BIN)/pytest -q

test: test-tools $(STAMP)
	$(MAKE) lint typecheck unit

screenshots: $(STAMP)
	bash scripts/screenshots.sh

bench: $(STAMP)
	$(BIN)/python -m bench.backend_load
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.client_latency
	$(BIN)/python -m bench.scan_corpus ../shared/corpus/zxing-qrcode
	$(BIN)/python -m bench.scan_corpus --synthetic 300
	$(BIN)/python -m bench.scan_latency
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.journal

clean:
	rm -rf $(VENV) build dist *.egg-info .mypy_cache .ruff_cache .pytest_cache

# Installers: `make package`, `make verify-package` (see packaging/README.md).
include packaging/package.mk
