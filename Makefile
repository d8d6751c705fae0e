# Two commands: `make run` serves the app on a demo database, `make test` runs every test.
# Both set up what they need first (a virtual environment; Chromium for the browser tests;
# LibreOffice Calc for the workbook round trip through Calc).

VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= data/review.duckdb
PORT ?= 8501

.PHONY: run test setup browser libreoffice bench demo clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)
	@bash scripts/ensure-fonts.sh

setup: $(STAMP)

$(DB): | $(STAMP)
	$(BIN)/review --db $(DB) demo

demo: setup
	$(BIN)/review --db $(DB) demo --replace

run: setup $(DB)
	REVIEW_DB=$(DB) $(BIN)/streamlit run streamlit_app.py --server.port $(PORT)

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
