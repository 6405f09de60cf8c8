# The README's commands. A fresh clone needs nothing else: each target sets up .venv.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-k8slint

.PHONY: demo test bench docs golden lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# Shows the findings on the broken fixtures; `k8slint check` exits 1 there, which is the
# expected outcome for the demo, so only exit 2 (usage or I/O error) fails it.
demo: $(STAMP)
	$(BIN)/k8slint check fixtures/ || [ $$? -eq 1 ]
	@if $(BIN)/k8slint explain --help >/dev/null 2>&1; then \
		$(BIN)/k8slint explain fixtures/demo/web.yaml; fi

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/run.py

docs: $(STAMP)
	$(BIN)/python scripts/gen_docs.py

# Rewrites tests/golden/ (every check and explain output format); review the diff.
golden: $(STAMP)
	$(BIN)/python scripts/update_golden.py

lint: $(STAMP)
	$(BIN)/ruff check k8slint tests scripts bench

clean:
	rm -rf $(VENV) build *.egg-info
