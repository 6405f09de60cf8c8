# The README's commands. A fresh clone needs nothing else: each target sets up .venv.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-k8slint

.PHONY: demo test bench fuzz docs golden lint screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# A short tour: `check` on a small app with a few mistakes (errors and warnings listed,
# infos counted), then `explain` of the same app. `check` exits 1 there, the expected
# outcome, so only exit 2 (usage or I/O error) fails the demo.
demo: $(STAMP)
	@echo '$$ k8slint check fixtures/everyday/'
	@$(BIN)/k8slint check fixtures/everyday/ || [ $$? -eq 1 ]
	@echo; echo '$$ k8slint explain fixtures/everyday/shop.yaml'
	@$(BIN)/k8slint explain fixtures/everyday/shop.yaml
	@echo; echo 'More: k8slint check fixtures/broken/ (every rule family), k8slint rules, README.md'

test: $(STAMP)
	$(BIN)/python -m pytest

# KUBECONFORM=/path/to/kubeconform adds kubeconform side by side (offline, on the bundled
# schemas); BENCH_SIZES=10000,100000,1000000 replaces the corpus sizes (1M: long).
bench: $(STAMP)
	$(BIN)/python bench/run.py

# Coverage-guided fuzzing of the loader, check and fix (atheris, in the test extra):
# FUZZ_SECONDS per harness; crashes land in fuzz/out/ (see fuzz/run.py).
FUZZ_SECONDS ?= 60
fuzz: $(STAMP)
	$(BIN)/python fuzz/run.py --seconds $(FUZZ_SECONDS)

docs: $(STAMP)
	$(BIN)/python scripts/gen_docs.py
	$(BIN)/python scripts/gen_rule_index.py

# Rewrites tests/golden/ (every check and explain output format); review the diff.
golden: $(STAMP)
	$(BIN)/python scripts/update_golden.py

# The demo's HTML pages in headless Chromium (apt-get install chromium), PNGs in docs/img/.
screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py

# Mutation testing (docs/mutation.md): slow, not part of `make test` or CI. One worker, so
# the machine stays usable; MUTANTS narrows it, e.g. make mutate MUTANTS='k8slint.selector*'.
MUTANTS ?=
mutate: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,mutate]'
	$(BIN)/mutmut run --max-children 1 $(MUTANTS)
	$(BIN)/mutmut results

lint: $(STAMP)
	$(BIN)/ruff check k8slint tests scripts bench

clean:
	rm -rf $(VENV) build *.egg-info
