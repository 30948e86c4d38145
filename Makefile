# shegong: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VENDOR := shegong/static/vendor
PG_URL ?= postgres:///test
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint fix bench assets deps test-deps chromium office sqlite-tests pg-tests clean

## make run: install, migrate, load the demo data once, serve http://127.0.0.1:8000
run: deps assets
	DEBUG=true $(BIN)/shegong migrate --no-input
	DEBUG=true $(BIN)/shegong seed-demo
	DEBUG=true $(BIN)/shegong runserver 127.0.0.1:8000

## make test: lint, then the whole suite on SQLite and on PostgreSQL
test: test-deps assets chromium office lint sqlite-tests pg-tests

sqlite-tests:
	env -u DATABASE_URL $(BIN)/pytest -n 2 --dist loadfile

pg-tests:
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -n 2 --dist loadfile

lint: test-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fix: test-deps
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## make bench: the benchmarks under bench/ (never part of make test)
bench: test-deps assets
	$(BIN)/python bench/run_all.py

$(VENV)/pyvenv.cfg:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.deps: $(VENV)/pyvenv.cfg pyproject.toml
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.test-deps: $(VENV)/.deps pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	touch $@

deps: $(VENV)/.deps
test-deps: $(VENV)/.test-deps

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

## Front-end files are served by the site itself: government intranets have no internet.
assets: $(VENDOR)/.done
$(VENDOR)/.done: node_modules/.package-lock.json
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/bootstrap $(VENDOR)/bootstrap-icons/fonts $(VENDOR)/htmx $(VENDOR)/echarts
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map \
	   node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map \
	   $(VENDOR)/bootstrap/
	cp node_modules/bootstrap-icons/font/bootstrap-icons.min.css $(VENDOR)/bootstrap-icons/
	cp node_modules/bootstrap-icons/font/fonts/* $(VENDOR)/bootstrap-icons/fonts/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	touch $@

## Browser tests drive Debian's chromium (Playwright never downloads a browser here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

## The Word exports' PDF test: LibreOffice, free CJK fonts for the fonts they name
## (shegong/documents/fonts.conf maps them) and poppler's pdfinfo/pdffonts.
office:
	@command -v soffice >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1 \
	  && fc-list | grep -q "Noto Serif CJK SC" && fc-list | grep -q "AR PL UKai" \
	  || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
	       libreoffice-writer-nogui fonts-noto-cjk fonts-arphic-ukai poppler-utils >/dev/null; }

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var/static
