# The two front-door commands: `make run` builds the dataset, `make test` runs ruff and pytest.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export DAGSTER_HOME ?= $(CURDIR)/.dagster

.PHONY: run test dev bench adversarial dictionary clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/jianding build --raw-dir data/raw --curated-dir data/curated

test: $(STAMP)
	$(BIN)/ruff check pipeline tests benchmarks
	$(BIN)/python -m pytest

dev: $(STAMP)
	$(BIN)/jianding dev --host 127.0.0.1 --port 3000

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

adversarial: $(STAMP)
	$(BIN)/python benchmarks/adversarial.py $(ADVERSARIAL_ARGS)

dictionary: $(STAMP)
	$(BIN)/jianding dictionary > docs/data-dictionary.md

clean:
	rm -rf data/curated/*.parquet data/curated/report data/curated/versions data/curated/.work
