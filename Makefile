# 售后服务管理系统 — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
UV := .tools/bin/uv
BIN := $(VENV)/bin
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test lint typecheck pytest bench fuzz install static sysdeps clean-db

$(UV):
	$(PY) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==0.13.9

$(BIN)/.installed: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --python $(PY)
	touch $@

install: $(BIN)/.installed static

static/vendor/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/
	cp node_modules/echarts/dist/echarts.min.js static/vendor/
	cp node_modules/signature_pad/dist/signature_pad.umd.min.js static/vendor/
	touch $@

static: static/vendor/.installed

sysdeps:
	bash scripts/sysdeps.sh

run: install
	$(BIN)/python scripts/run.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy aftersales bench scripts

pytest: install sysdeps
	FAST_PASSWORD_HASHER=1 $(BIN)/python scripts/with_db.py -- $(BIN)/pytest -n 2 --dist loadgroup -q $(PYTEST_ARGS)

test: lint typecheck pytest

bench: install
	$(BIN)/python scripts/with_db.py -- bash bench/run.sh

# release check: the OpenAPI fuzz suite with many more examples and the coverage phase
# (every boundary case the schema defines); FUZZ_EXAMPLES=N to change the depth
FUZZ_EXAMPLES ?= 100
fuzz: install
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_COVERAGE=1 FAST_PASSWORD_HASHER=1 $(BIN)/python scripts/with_db.py -- \
		$(BIN)/pytest -n 2 -q aftersales/core/tests/test_schema_fuzz.py $(PYTEST_ARGS)

clean-db:
	rm -rf var/pgdata
