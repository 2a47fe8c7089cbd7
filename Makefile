# Programming with Data: `make book` builds the site, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# -W turns warnings (a failed cell is one) into errors; --all re-reads every page so an
# incremental rebuild can never republish a page whose cells failed before. The
# notebooks' outputs still come from .jupyter_cache when their code has not changed.
JB_FLAGS := --all -W -n --keep-going

.PHONY: book site test lab serve bench lock clean

book: site
	@echo
	@echo "The book is built: open file://$(CURDIR)/_build/html/index.html"
	@echo "(or run 'make serve' and visit http://localhost:8000)"

$(STAMP): requirements/book.txt requirements/test.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/book.txt -r requirements/test.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (mlbook)" >/dev/null
	-git rev-parse --git-dir >/dev/null 2>&1 && $(BIN)/nbstripout --install
	touch $@

# MLBOOK_PROGRESS=0: pages show training results, not every redraw of a progress bar.
site: $(STAMP)
	MLBOOK_PROGRESS=0 $(BIN)/jupyter-book build . $(JB_FLAGS)

# The browser tests drive Debian's Chromium (never a downloaded one): install it when
# missing and we are root (as on CI); elsewhere those tests skip and say how to get it.
test: $(STAMP)
	@command -v chromium >/dev/null || [ "$$(id -u)" != 0 ] || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	$(BIN)/python -m pytest

lab: $(STAMP)
	$(BIN)/jupyter lab chapters

serve: site
	$(BIN)/python -m http.server --directory _build/html 8000

bench: $(STAMP)
	$(BIN)/python tests/bench.py

# Re-resolve the pinned lock files from requirements/*.in (needs the package index).
lock:
	rm -rf /tmp/mlbook-lock && $(PYTHON) -m venv /tmp/mlbook-lock
	/tmp/mlbook-lock/bin/pip install --quiet -r requirements/book.in
	/tmp/mlbook-lock/bin/pip freeze --all | grep -vE '^(pip|wheel)==' | LC_ALL=C sort > requirements/book.txt
	/tmp/mlbook-lock/bin/pip install --quiet -r requirements/book.txt -r requirements/test.in
	/tmp/mlbook-lock/bin/pip freeze --all | grep -vE '^(pip|wheel)==' | LC_ALL=C sort | LC_ALL=C comm -23 - requirements/book.txt > requirements/test.txt
	{ sed -n '1,/^  - pip:$$/p' environment.yml; sed 's/^/      - /' requirements/book.txt; } > environment.yml.new
	mv environment.yml.new environment.yml

clean:
	rm -rf _build .jupyter_cache $(VENV)
