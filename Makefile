# Programming with Data: `make book` builds the site, `make test` runs every check.
# Any Python 3.10 or newer: `make book PYTHON=python3.13` (default: python3).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCK := requirements/lock.txt
# uv installs the lock in seconds; INSTALLER=pip installs the same versions with pip.
INSTALLER ?= uv
# The stamp names the Python version, so another PYTHON makes the venv again.
PY_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
STAMP := $(VENV)/.installed-$(PY_VERSION)
# -W turns warnings (a failed cell is one) into errors; --all re-reads every page so an
# incremental rebuild can never republish a page whose cells failed before. The
# notebooks' outputs still come from .jupyter_cache when their code has not changed.
JB_FLAGS := --all -W -n --keep-going

.PHONY: book site test lab serve bench doctor lock format clean

book: site
	@echo
	@echo "The book is built: open file://$(CURDIR)/_build/html/index.html"
	@echo "(or run 'make serve' and visit http://localhost:8000)"

$(STAMP): $(LOCK) pyproject.toml
	@$(PYTHON) utils/mlbook/doctor.py --before-install
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	PYTHON=$(BIN)/python INSTALLER=$(INSTALLER) sh requirements/install.sh $(LOCK)
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (mlbook)" >/dev/null
	-git rev-parse --git-dir >/dev/null 2>&1 && $(BIN)/nbstripout --install
	touch $@

# The execution cache matches a notebook by its code alone: after a change in mlbook every
# page would still show the old helpers' numbers, so the cache goes when mlbook changes.
MLBOOK_SUM := $(shell cat utils/mlbook/*.py | cksum | cut -d' ' -f1)

# MLBOOK_SITE=1: interactive figures are written for the offline site.
# MLBOOK_PROGRESS=0: pages show training results, not every redraw of a progress bar.
site: $(STAMP)
	@[ -f .jupyter_cache/mlbook-$(MLBOOK_SUM) ] || { rm -rf .jupyter_cache && \
		mkdir .jupyter_cache && touch .jupyter_cache/mlbook-$(MLBOOK_SUM); }
	MLBOOK_SITE=1 MLBOOK_PROGRESS=0 $(BIN)/jupyter-book build . $(JB_FLAGS)

# The browser tests drive Debian's Chromium (never a downloaded one), and the speech
# tests try Debian's eSpeak NG as the fallback that Linux aarch64 uses: install both when
# missing and we are root (as on CI); elsewhere those tests skip and say how to get them.
DEBIAN_PACKAGES := chromium libespeak-ng1 espeak-ng-data
test: $(STAMP)
	@[ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null || \
		dpkg -s $(DEBIAN_PACKAGES) >/dev/null 2>&1 || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBIAN_PACKAGES) >/dev/null; }
	$(BIN)/python -m pytest

lab: $(STAMP)
	$(BIN)/jupyter lab chapters

serve: site
	$(BIN)/python -m http.server --directory _build/html 8000

bench: $(STAMP)
	$(BIN)/python tests/bench.py

# What works on this machine, and the fix for what does not (also: python -m mlbook.doctor).
doctor:
	@if [ -x $(BIN)/python ]; then $(BIN)/python -m mlbook.doctor; \
	else $(PYTHON) utils/mlbook/doctor.py; fi

# Format the chapters, mlbook and the tests at 79 columns (make test checks it).
format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Re-resolve the universal lock from requirements/*.in, for Python 3.10 and newer on
# every platform (needs the package index), and write environment.yml from it.
lock:
	$(PYTHON) -m venv /tmp/mlbook-lock && /tmp/mlbook-lock/bin/pip install --quiet uv
	/tmp/mlbook-lock/bin/uv pip compile --quiet --universal --python-version 3.10 \
		--override requirements/overrides.txt --annotation-style line \
		--custom-compile-command "make lock" \
		requirements/book.in requirements/test.in -o $(LOCK)
	$(PYTHON) requirements/conda_environment.py $(LOCK) > environment.yml

clean:
	rm -rf _build .jupyter_cache $(VENV)
