# Two commands: `make run` serves the app on a demo database, `make test` runs every test.
# Both set up what they need first (a virtual environment; Chromium for the browser tests;
# LibreOffice Calc for the workbook round trip through Calc).

VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= data/review.duckdb
SNAPSHOT ?= data/snapshot
PORT ?= 8501

.PHONY: run test setup browser libreoffice bench demo snapshot serve-snapshot clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)
	@bash scripts/ensure-fonts.sh
	@bash scripts/ensure-poppler.sh

setup: $(STAMP)

$(DB): | $(STAMP)
	$(BIN)/review --db $(DB) demo

demo: setup
	$(BIN)/review --db $(DB) demo --replace

run: setup $(DB)
	REVIEW_DB=$(DB) $(BIN)/streamlit run streamlit_app.py --server.port $(PORT)

# A public replica: `snapshot` writes the published data of $(DB) to $(SNAPSHOT) (again each time);
# `serve-snapshot` serves the public pages from that folder alone (no database file opened; run as
# many replicas as needed), writing it first only when it is missing.
snapshot: setup $(DB)
	$(BIN)/review --db $(DB) publish-snapshot $(SNAPSHOT)

$(SNAPSHOT)/manifest.json: | $(STAMP) $(DB)
	$(BIN)/review --db $(DB) publish-snapshot $(SNAPSHOT)

serve-snapshot: setup $(SNAPSHOT)/manifest.json
	REVIEW_SNAPSHOT=$(SNAPSHOT) $(BIN)/streamlit run streamlit_app.py --server.port $(PORT)

browser:
	@bash scripts/ensure-chromium.sh

libreoffice:
	@bash scripts/ensure-libreoffice.sh

test: setup browser libreoffice
	$(BIN)/pytest

bench: setup
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache
