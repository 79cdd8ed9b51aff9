# The two commands that do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export OMNIOPS_HOME ?= $(CURDIR)/data

.PHONY: demo test install install-dev browser postgresql lint run serve generate clean

# The install steps are quiet: pip's output (and setuptools' warnings) go to $(INSTALL_LOG), shown only
# when a step fails.
INSTALL_LOG = $(VENV)/install.log
QUIETLY = > $(INSTALL_LOG) 2>&1 || { tail -n 40 $(INSTALL_LOG); echo "install failed; full log: $(INSTALL_LOG)"; exit 1; }

$(BIN)/python:
	@echo "creating $(VENV)"
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --upgrade pip $(QUIETLY)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "installing OmniOps and its dependencies (log: $(INSTALL_LOG))"
	@$(BIN)/pip install -e . $(QUIETLY)
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	@echo "installing OmniOps with its development tools (log: $(INSTALL_LOG))"
	@$(BIN)/pip install -e '.[dev,spark]' $(QUIETLY)
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The end-to-end test drives Debian's Chromium, with fonts for the Chinese pages and the menu icons;
# install them when the machine lacks them.
CHROMIUM ?= /usr/bin/chromium
BROWSER_PACKAGES := chromium fonts-noto-cjk fonts-noto-color-emoji
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@if ! command -v $(CHROMIUM) >/dev/null || ! fc-list :lang=zh | grep -q .; then \
		echo "installing $(BROWSER_PACKAGES) for the end-to-end test"; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null; \
	fi

# tests/decisions runs the operational store's suite on a real PostgreSQL server it starts itself
# (as an unprivileged user, in a temporary folder); install Debian's server when it is missing.
postgresql:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		echo "installing postgresql for the operational store's tests"; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	fi

demo: install
	@$(BIN)/omniops demo

test: install-dev browser postgresql
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

generate: install
	$(BIN)/omniops generate

run: install
	$(BIN)/omniops run

serve: install
	$(BIN)/omniops serve

lint: install-dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) dbt_project/target dbt_project/logs
