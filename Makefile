# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: venv run test lint sdk-sync unit clean bench bench-data soak

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[server,dev,bench]'
	touch $(STAMP)

run: venv
	@echo "contactd: serving on http://$(HOST):$(PORT) (SQLite file ./contactd.db)"
	@echo "  create an app:   $(BIN)/contactd app create --name 'My call centre'"
	@echo "  add a user:      curl -s http://$(HOST):$(PORT)/v3/user/add -H 'content-type: application/json' \\"
	@echo "                     -d '{\"appid\": APPID, \"secret\": \"SECRET\", \"extension\": 1001, \"first_name\": \"Asha\", \"last_name\": \"Rao\", \"phone_number\": \"919200000000\", \"password\": \"a-long-password\"}'"
	@echo "  log in:          curl -s http://$(HOST):$(PORT)/v2/user/login -H 'content-type: application/json' \\"
	@echo "                     -d '{\"id\": \"1001_APPID\", \"password\": \"a-long-password\"}'"
	@echo "  API docs:        http://$(HOST):$(PORT)/docs"
	$(BIN)/contactd serve --host $(HOST) --port $(PORT)

# .pre-commit-config.yaml runs these same checks.
lint: venv
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/python scripts/unasync_sdk.py --check

# The SDK's sync modules, written from the async ones (docs/sdk.md).
sdk-sync: venv
	$(BIN)/python scripts/unasync_sdk.py

# The suite runs in parallel, a pytest-xdist worker per CPU and 4 at most (each worker
# starts servers and opens PostgreSQL connections of its own); TEST_WORKERS=0 runs it
# in one process.
TEST_WORKERS ?= auto

test: venv lint
	scripts/ensure_chromium.sh
	$(BIN)/pytest -n $(TEST_WORKERS) --maxprocesses 4

unit: venv
	$(BIN)/pytest tests/unit

# Benchmarks (bench/README.md): the data set is built once into bench/data/ (gitignored)
# and reused; PostgreSQL is skipped with a message when it is not reachable.
BENCH_BACKEND ?= both
SOAK_SECONDS ?= 600

bench-data: venv
	$(BIN)/python -m bench.data --backend $(BENCH_BACKEND)

bench: bench-data
	$(BIN)/python -m bench.run --backend $(BENCH_BACKEND)

soak: venv
	$(BIN)/python -m bench.soak --backend sqlite --seconds $(SOAK_SECONDS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
