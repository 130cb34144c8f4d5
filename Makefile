# Motcua: two commands.
#   make demo   set up everything and run the demo (SQLite, real geography, demo users, simulators)
#   make test   set up everything and run the whole suite on SQLite and PostgreSQL, plus ruff and mypy
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
BIN := .venv/bin
PORT ?= 8000
# Throw-away PostgreSQL database for the suite (pytest-django creates test_<name> and drops it).
PG_BASE_URL ?= postgres://postgres@127.0.0.1:5432
PG_DB := motcua_$(shell od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
# Production mode refuses to start without its secrets; `check --deploy` gets throw-away ones.
CHECK_SECRET := check-deploy-$(PG_DB)-$(PG_DB)-$(PG_DB)-only-for-the-check
DEPLOY_CHECK_ENV := MOTCUA_PRODUCTION=1 MOTCUA_SECRET_KEY=$(CHECK_SECRET) \
  MOTCUA_ALLOWED_HOSTS=motcua.example.gov.vn MOTCUA_VNEID_CLIENT_SECRET=$(CHECK_SECRET) \
  MOTCUA_PAYMENT_SECRET=$(CHECK_SECRET) \
  $(foreach s,PORTAL POPULATION SMS PAYMENT BUSINESS VNEID CIVIL_STATUS LAND JUDICIAL DOCAXIS,MOTCUA_EXCHANGE_$(s)_KEY=$(CHECK_SECRET))
SYSTEM_TOOLS := msgfmt:gettext pdftoppm:poppler-utils chromium:chromium

.PHONY: help demo test test-fast install system-deps messages lint typecheck test-sqlite test-postgres clean

help:
	@echo "make demo   # set up and run the demo (http://127.0.0.1:$(PORT)/)"
	@echo "make test   # set up and run the whole suite (SQLite + PostgreSQL, ruff, mypy)"

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Bytecode compiled at install (uv does not by default): a fresh process then reads .pyc files
# instead of compiling every module it imports (seconds on the first request; issue #14 item 9).
.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet --compile-bytecode
	touch $@

# Debian packages the project needs: gettext (translations), poppler (PDF checks), chromium
# (browser tests, driven by Playwright through executable_path; no browser download).
system-deps:
	@missing=""; for pair in $(SYSTEM_TOOLS); do tool=$${pair%%:*}; pkg=$${pair##*:}; \
	  command -v $$tool >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

messages: .venv/.synced system-deps
	@$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=.tools -v 0

# axe-core (accessibility checks in the browser tests) from the npm registry, no network at run time.
# Leaflet (the public reports' map, issue #18) from the same registry, installed with axe-core
# (npm prunes packages it was not asked for) and copied where Django's app finder serves it: no CDN.
NPM_PACKAGES = axe-core@4.10 leaflet@1.9
LEAFLET = motcua/petitions/static/petitions/leaflet
node_modules/axe-core/axe.min.js node_modules/leaflet/dist/leaflet.js:
	npm install --no-save --no-audit --no-fund $(NPM_PACKAGES) >/dev/null

$(LEAFLET)/leaflet.js: node_modules/leaflet/dist/leaflet.js
	mkdir -p $(LEAFLET) && cp -R node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images $(LEAFLET)/

install: .venv/.synced system-deps messages node_modules/axe-core/axe.min.js $(LEAFLET)/leaflet.js

demo: install
	$(BIN)/python -m compileall -q -j 0 motcua config
	$(BIN)/motcua demo_setup --url http://127.0.0.1:$(PORT)
	$(BIN)/motcua collectstatic --noinput -v 0
	MOTCUA_PORT=$(PORT) exec $(BIN)/honcho -f Procfile start

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run -v 0
	env $(DEPLOY_CHECK_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

typecheck: install
	$(BIN)/mypy .

test-sqlite: install
	MOTCUA_SQLITE_PATH=var/test-$(PG_DB).sqlite3 $(BIN)/pytest -q

# The browser tests and the bench contract tests drive their own servers and databases
# (independent of the suite's database); they run once, in the SQLite pass. The PostgreSQL
# pass runs everything else against PostgreSQL.
test-postgres: install
	@$(BIN)/python -m motcua.core.pgcheck "$(PG_BASE_URL)/postgres"
	DATABASE_URL=$(PG_BASE_URL)/$(PG_DB) $(BIN)/pytest -q -m "not browser and not slow"

test: lint typecheck test-sqlite test-postgres

# A developer's loop (not CI): one app's tests on SQLite, reusing a seeded database kept in
# var/ between runs (the seed is written once; a migration added since is applied).
#   make test-fast APP=motcua/petitions   [ARGS="-k answer -x"]
APP ?= motcua/core
test-fast: install
	MOTCUA_SQLITE_PATH=var/fast.sqlite3 $(BIN)/pytest -q --reuse-db \
	  -m "not browser and not slow" $(APP) $(ARGS)

clean:
	rm -rf .venv .tools var/static
