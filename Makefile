# The two commands that matter: `make demo` and `make test`. Everything else builds on them.
PYTHON ?= $(shell command -v python3.12 || command -v python3)
UV_VERSION := 0.13.8
UV := .tools/bin/uv
VENV := .venv
RUN := $(VENV)/bin/atclusters
# uv uses the interpreter found here and never downloads one.
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(shell $(PYTHON) -c 'import sys; print(sys.executable)' 2>/dev/null)

.PHONY: demo test test-postgres test-browser fuzz lint typecheck messages bench bench-metrics loadtest install clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --quiet
	touch $@

install: $(VENV)/.synced

demo: install
	DEBUG=$${DEBUG:-1} $(RUN) demo $(if $(ADDRPORT),--addrport $(ADDRPORT))

test: install
	$(VENV)/bin/pytest -q

test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/atclusters} $(VENV)/bin/pytest -q

test-browser: install
	$(VENV)/bin/pytest -q -m browser tests/browser

# Random and long: many more examples per API operation, and sequences of calls. Not part of
# `make test` (which stays reproducible); every finding becomes a regression test.
fuzz: install
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-500} FUZZ_SEQUENCES=$${FUZZ_SEQUENCES:-100} $(VENV)/bin/pytest -q -m fuzz tests/api/test_schemathesis.py

lint: install
	$(VENV)/bin/ruff check atclusters tests bench scripts
	$(VENV)/bin/ruff format --check atclusters tests bench scripts
	DEBUG=1 $(VENV)/bin/mypy atclusters
	$(VENV)/bin/lint-imports

messages: install
	cd atclusters && DEBUG=1 ../$(RUN) makemessages -l es -l gl -l pt -l fr --no-obsolete --no-location
	cd atclusters && DEBUG=1 ../$(RUN) compilemessages

bench: install
	$(VENV)/bin/python bench/run.py

# The metrics section of docs/benchmarks.md alone (about 15 minutes on 2 cores).
bench-metrics: install
	$(VENV)/bin/python bench/metrics.py

# Load, soak and fault runs against gunicorn and two workers on a throwaway PostgreSQL database
# (BENCH_POSTGRES_URL); writes the Load section of docs/benchmarks.md. About half an hour at full
# size on a quiet 2-core machine (docs/operations.md); `make loadtest ARGS=--smoke` is a quick
# check; `ARGS=--restart-postgres` adds the restart of PostgreSQL (for everyone on that server).
loadtest: install
	$(VENV)/bin/python bench/loadtest.py $(ARGS)

clean:
	rm -rf $(VENV) .tools var
