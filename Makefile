# Two commands do everything on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
SCALE  ?= default

.PHONY: run test venv dev demo demo-rebuild lint bench clean

run: venv demo
	$(BIN)/streamlit run app.py --server.port $(PORT)

test: dev
	$(BIN)/ruff check .
	$(BIN)/pytest

venv: $(VENV)/.installed
dev: $(VENV)/.installed-dev

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# Builds the embedded demo database only when it is missing (DATABASE_URL / secrets.toml respected).
demo: venv
	$(BIN)/python -m data_access.demo --scale $(SCALE) --if-missing

demo-rebuild: venv
	$(BIN)/python -m data_access.demo --scale $(SCALE)

lint: dev
	$(BIN)/ruff check .

bench: dev
	$(BIN)/python bench/queries.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
