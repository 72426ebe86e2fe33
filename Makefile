# Every target installs what it needs: a fresh Debian/Ubuntu clone needs only `make run`
# or `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA_DIR ?= $(CURDIR)/var/demo
# Real QR photographs for `make bench`, kept outside the repository (licences of their own);
# absent, the benchmark says so in one line and the others run. `export`: a test marked
# `corpus` reads the same variable.
QR_CORPUS ?= ../shared/corpus/zxing-qrcode
export QR_CORPUS

.PHONY: run test lint typecheck unit screenshots bench system-deps test-tools web-assets clean

# The portals' DSFR files (backend/web/static/dsfr) and axe-core, from the npm registry.
WEB_ASSETS := backend/web/static/dsfr/dsfr.min.css
$(WEB_ASSETS): package.json package-lock.json scripts/web-assets.sh
	bash scripts/web-assets.sh

web-assets: $(WEB_ASSETS)

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

run: $(STAMP) $(WEB_ASSETS)
	bash scripts/run-demo.sh "$(DATA_DIR)"

lint: $(STAMP)
	shellcheck scripts/*.sh packaging/*.sh .ci/run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# The packaging suite skips itself here (one line) and runs in `make test-package`
# (packaging/package.mk, CI): it installs the client into /opt and /usr of the machine.
unit: $(STAMP) $(WEB_ASSETS)
	QT_QPA_PLATFORM=offscreen bash scripts/with-test-postgres.sh $(BIN)/pytest -q

test: test-tools $(STAMP)
	$(MAKE) lint typecheck unit

screenshots: $(STAMP)
	bash scripts/screenshots.sh

bench: $(STAMP)
	$(BIN)/python -m bench.backend_load
	@if [ -n "$$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null)" ]; then \
	  $(BIN)/python -m bench.backend_load --postgres --instances 2 --workers 1; \
	else echo "PostgreSQL absent: no two-instance figure (apt-get install postgresql)"; fi
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.client_latency
	$(BIN)/python -m bench.scan_corpus "$(QR_CORPUS)"
	$(BIN)/python -m bench.scan_corpus --synthetic 300
	$(BIN)/python -m bench.scan_hard --frames 50 --streams 25
	$(BIN)/python -m bench.scan_latency
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.journal

clean:
	rm -rf $(VENV) node_modules backend/web/static/dsfr build dist *.egg-info .mypy_cache .ruff_cache .pytest_cache

# Installers: `make package`, `make verify-package` (see packaging/README.md).
include packaging/package.mk
