# Two commands do everything: `make bench` (the main job) and `make test` (the
# whole test suite). Each creates the virtual environment on first use and
# reinstalls only when pyproject.toml changes.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.maskinterp-installed

.PHONY: setup bench test export clean-nbs docs evidence

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev,photos,distributed,compare]"
	@echo "$(CURDIR)" > $(STAMP)

# reinstall when the clone moved (the editable install points at one folder)
setup:
	@if [ -f $(STAMP) ] && [ "$$(cat $(STAMP))" != "$(CURDIR)" ]; then rm -f $(STAMP); fi
	@$(MAKE) --no-print-directory $(STAMP)

bench: setup
	$(BIN)/maskinterp bench $(ARGS)

test: setup
	$(BIN)/python -m pytest $(ARGS)

# the notebooks are the source: clean them, then export the library
export: setup
	$(BIN)/nbdev-clean
	$(BIN)/nbdev-export

# re-run one notebook with its slow cells (the committed evidence) and keep its outputs:
# make evidence NB=03a_pretrain
# or only the named slow cells (with every cell that is not slow), keeping the other slow cells' outputs:
# make evidence NB=10_bench CELLS="e006"
# Each run appends its notebook, cells and commit to nbs/outputs_log.csv (python tools/outputs_log.py status).
evidence: setup
	@test -n "$(NB)" || (echo "usage: make evidence NB=<notebook name, e.g. 03a_pretrain> [CELLS=\"<slow cell ids>\"]"; exit 2)
	@if [ -n "$(CELLS)" ]; then $(BIN)/python tools/run_cells.py nbs/$(NB).ipynb $(CELLS); \
	else cd nbs && $(abspath $(BIN))/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.timeout=-1 $(NB).ipynb; fi
	$(BIN)/python tools/clean_outputs.py nbs/$(NB).ipynb
	$(BIN)/nbdev-clean
	$(BIN)/python tools/outputs_log.py stamp nbs/$(NB).ipynb $(CELLS)

# the docs site (needs Quarto, https://quarto.org)
docs: setup
	$(BIN)/nbdev-docs
