# Two commands do everything on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
SCALE  ?= default
# pytest-xdist workers for make test (tests/conftest.py: a module per worker, browser tests together). Three on
# 2 cores: the two browser chains mostly wait on a browser and a server (about 20% of a core each), so a third
# worker runs the other tests meanwhile (the suite used 55% of both cores with two).
TEST_WORKERS ?= 3

.PHONY: run test venv dev demo demo-rebuild demo-users forecast browser-deps lint bench clean

# SHOP_DEMO=1 lets the demo run without a configured cookie key (a random one per server process).
run: venv demo forecast demo-users
	SHOP_DEMO=1 $(BIN)/streamlit run app.py --server.port $(PORT)

test: dev browser-deps
	$(BIN)/ruff check .
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

# Real-browser tests use Debian's Chromium (Playwright cannot download browsers here) and CJK fonts.
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		echo "installing chromium and fonts-noto-cjk with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

venv: $(VENV)/.installed
dev: $(VENV)/.installed-dev

# requirements-nodeps.txt: packages whose declared pins (pandas<3) are wrong for us; their deps are listed there.
$(VENV)/.installed: requirements.txt requirements-nodeps.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -r requirements-nodeps.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# Builds the embedded demo database only when it is missing (DATABASE_URL / secrets.toml respected).
demo: venv
	$(BIN)/python -m data_access.demo --scale $(SCALE) --if-missing
	$(BIN)/python -m data_access.rollups --if-stale

# The inventory page reads the latest forecast run: make one when the database has none (about 20 s).
# A database with nothing to forecast yet must not stop the app from starting, hence the leading '-'.
forecast: venv
	-$(BIN)/python -m forecasting.batch --if-missing

demo-rebuild: venv
	$(BIN)/python -m data_access.demo --scale $(SCALE)

# Creates the demo users once and prints their passwords that one time (SHOP_DEMO_PASSWORD fixes them).
demo-users: venv
	$(BIN)/python -m data_access.users demo

lint: dev
	$(BIN)/ruff check .

bench: dev
	$(BIN)/python -m bench.queries --pandas-runs 1
	$(BIN)/python -m bench.sales_page
	$(BIN)/python -m bench.pages
	$(BIN)/python -m bench.satisfaction
	$(BIN)/python -m bench.logistics
	$(BIN)/python -m bench.inventory
	$(BIN)/python -m bench.walmart
	$(BIN)/python -m bench.marketing
	$(BIN)/python -m bench.campaign
	$(BIN)/python -m bench.ingest
	$(BIN)/python -m bench.ingest_wide
	$(BIN)/python -m bench.campaign_trials
	$(BIN)/python -m bench.demo_health
	$(BIN)/python -m bench.alerts
	$(BIN)/python -m bench.jobs
	$(BIN)/python -m bench.concurrency
	$(BIN)/python -m bench.upload_memory

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
