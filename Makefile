# MyChat: `make run` serves a demo database, `make test` runs every test tier.
# Odoo 19.0 is found by scripts/odoo_env.sh ($ODOO_PATH, the `odoo` command, or an importable odoo).
SHELL := /bin/bash
.ONESHELL:
.SILENT:
.SHELLFLAGS := -eu -o pipefail -c

ADDONS := mychat_omnichannel,chatbot_sync,live_routing,mychat_project,mychat_helpdesk,spreadsheet_dashboard_mychat
DEMO_DB ?= mychat_demo
TEST_DB ?= mychat_test
HTTP_PORT ?= 8069
# the test tier's pytest paths (default: every addon's tests); e.g. TESTS=addons/live_routing/tests/test_queue.py
TESTS ?= $(foreach a,$(subst $(comma), ,$(ADDONS)),addons/$(a)/tests)
comma := ,
ENV = odoo_env=$$(scripts/odoo_env.sh); eval "$$odoo_env"; export PYTHONPATH="$${PYTHONPATH:-}"
ODOO = "$$ODOO_PYTHON" -m odoo --addons-path="$$ODOO_ADDONS,$(CURDIR)/addons"

.PHONY: run test test-fast test-odoo test-soak soak simulate lint bench i18n

run:
	$(ENV)
	scripts/ensure_deps.sh "$$ODOO_PYTHON"
	scripts/ensure_postgres.sh
	if psql -d postgres -Atqc "select 1 from pg_database where datname='$(DEMO_DB)'" | grep -q 1; then
	    echo "mychat: updating $(DEMO_DB)"
	    $(ODOO) -d $(DEMO_DB) -u $(ADDONS) --stop-after-init --log-level=warn
	else
	    echo "mychat: creating $(DEMO_DB) with demo data"
	    $(ODOO) -d $(DEMO_DB) -i $(ADDONS) --with-demo --stop-after-init --log-level=warn
	fi
	echo "mychat: serving http://127.0.0.1:$(HTTP_PORT)  (login: admin / password: admin)"
	exec $(ODOO) -d $(DEMO_DB) --db-filter='^$(DEMO_DB)$$' --http-interface=127.0.0.1 --http-port=$(HTTP_PORT)

test: lint test-fast test-odoo test-soak

test-fast:
	$(ENV)
	scripts/ensure_deps.sh "$$ODOO_PYTHON" --test
	"$$ODOO_PYTHON" -m pytest -p no:odoo -p no:cacheprovider tests

test-odoo:
	$(ENV)
	scripts/ensure_deps.sh "$$ODOO_PYTHON" --test
	scripts/ensure_postgres.sh
	dropdb --if-exists $(TEST_DB)
	echo "mychat: installing $(ADDONS) in a fresh $(TEST_DB)"
	$(ODOO) -d $(TEST_DB) -i $(ADDONS) --stop-after-init --log-level=warn
	"$$ODOO_PYTHON" -m pytest -p no:cacheprovider --odoo-database=$(TEST_DB) --odoo-http \
	    --odoo-addons-path="$$ODOO_ADDONS,$(CURDIR)/addons" --odoo-log-level=warn --odoo-extra=http-interface=127.0.0.1 \
	    $(TESTS)

# Fault harness (bench/soak.py): a real server killed with SIGKILL while it ingests, then fuzzed.
SOAK_DB ?= mychat_soak
soak:
	$(ENV)
	scripts/ensure_deps.sh "$$ODOO_PYTHON"
	scripts/ensure_postgres.sh
	"$$ODOO_PYTHON" bench/soak.py --db $(SOAK_DB)

# the smaller run of the same harness that `make test` includes (1,000 messages, one kill)
test-soak:
	$(ENV)
	scripts/ensure_deps.sh "$$ODOO_PYTHON"
	scripts/ensure_postgres.sh
	"$$ODOO_PYTHON" bench/soak.py --db $(SOAK_DB)_small --messages 1000 --kills 1 --fuzz 300

simulate:
	$(ENV)
	"$$ODOO_PYTHON" scripts/simulate.py --db $(DEMO_DB) --url http://127.0.0.1:$(HTTP_PORT)

# every benchmark but the fault harness (bench/soak.py: `make soak`)
bench:
	$(ENV)
	scripts/ensure_deps.sh "$$ODOO_PYTHON"
	scripts/ensure_postgres.sh
	for b in bench/*.py; do [ "$$b" = bench/soak.py ] || "$$ODOO_PYTHON" "$$b"; done
	"$$ODOO_PYTHON" bench/ingest.py --workers 2 --ack-only

lint:
	$(ENV)
	scripts/ensure_deps.sh "$$ODOO_PYTHON" --test
	"$$ODOO_PYTHON" -m ruff check addons tests scripts bench
	"$$ODOO_PYTHON" -m ruff format --check addons tests scripts bench
	"$$ODOO_PYTHON" -m pylint --rcfile=.pylintrc-mandatory addons

# Regenerate each addon's .pot from a fresh database and merge it into the he/ar/ru/bg .po files.
i18n:
	$(ENV)
	scripts/ensure_postgres.sh
	dropdb --if-exists mychat_i18n
	$(ODOO) -d mychat_i18n -i $(ADDONS) --stop-after-init --log-level=warn
	"$$ODOO_PYTHON" -m odoo --addons-path="$$ODOO_ADDONS,$(CURDIR)/addons" i18n export -d mychat_i18n \
	    $(subst $(comma), ,$(ADDONS))
	"$$ODOO_PYTHON" scripts/i18n_merge.py
	dropdb mychat_i18n
