# Accueil Massif central: every developer and CI task goes through these targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Rasa 3.6 runs on Python 3.10 only: take pyenv's, else one on PATH that really runs
# (a pyenv shim on PATH may exist without a 3.10 behind it).
PYTHON310 ?= $(shell ls -d $$HOME/.pyenv/versions/3.10*/bin/python3.10 2>/dev/null | tail -1 | grep . || \
	(python3.10 -c '' 2>/dev/null && command -v python3.10))
# data·inclusion's schema package needs 3.11 or later (its test environment only).
PYTHON311 ?= $(shell ls -d $$HOME/.pyenv/versions/3.11*/bin/python3.11 2>/dev/null | tail -1 | grep . || \
	(python3.11 -c '' 2>/dev/null && command -v python3.11))
BOT_VENV := .venvs/bot
DIRECTORY_VENV := .venvs/directory
BENCH_VENV := .venvs/bench
DATA_INCLUSION_VENV := .venvs/data-inclusion
BOT_PY := $(BOT_VENV)/bin/python
DIRECTORY_PY := $(DIRECTORY_VENV)/bin/python
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 3

.PHONY: help install run run-scale test lint unit validate stories e2e scale eval eval-floor crossval bench train clean

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BOT_VENV)/.installed: requirements/bot.txt
	@test -n "$(PYTHON310)" || { echo "Python 3.10 not found: install it (e.g. 'pyenv install 3.10') or set PYTHON310=/path/to/python3.10"; exit 1; }
	rm -rf $(BOT_VENV) && $(PYTHON310) -m venv $(BOT_VENV)
	$(BOT_PY) -m pip install --quiet --require-hashes --no-deps -r requirements/bot.txt
	touch $@

$(DIRECTORY_VENV)/.installed: requirements/directory.txt
	@test -n "$(PYTHON310)" || { echo "Python 3.10 not found: install it (e.g. 'pyenv install 3.10') or set PYTHON310=/path/to/python3.10"; exit 1; }
	rm -rf $(DIRECTORY_VENV) && $(PYTHON310) -m venv $(DIRECTORY_VENV)
	$(DIRECTORY_PY) -m pip install --quiet --require-hashes --no-deps -r requirements/directory.txt
	touch $@

$(BENCH_VENV)/.installed: requirements/bench.txt
	@test -n "$(PYTHON310)" || { echo "Python 3.10 not found: install it (e.g. 'pyenv install 3.10') or set PYTHON310=/path/to/python3.10"; exit 1; }
	rm -rf $(BENCH_VENV) && $(PYTHON310) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements/bench.txt
	touch $@

# data·inclusion's official schema package (pydantic 2, Python 3.11), for the export tests only.
$(DATA_INCLUSION_VENV)/.installed: requirements/data-inclusion.txt
	@test -n "$(PYTHON311)" || { echo "Python 3.11 not found: install it (e.g. 'pyenv install 3.11') or set PYTHON311=/path/to/python3.11"; exit 1; }
	rm -rf $(DATA_INCLUSION_VENV) && $(PYTHON311) -m venv $(DATA_INCLUSION_VENV)
	$(DATA_INCLUSION_VENV)/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements/data-inclusion.txt
	touch $@

install: $(BOT_VENV)/.installed $(DIRECTORY_VENV)/.installed ## Create both environments from the hash-pinned lock files

train: $(BOT_VENV)/.installed ## Train the assistant if the model is missing or stale
	$(BOT_PY) scripts/train_if_stale.py

run: install train ## Run the whole product on the embedded default (Ctrl-C stops it)
	$(DIRECTORY_PY) scripts/run.py

run-scale: install train ## Scale mode on this machine's PostgreSQL and Redis (Ctrl-C stops it)
	$(DIRECTORY_PY) scripts/run_scale.py

lint: install ## ruff on all Python code
	$(DIRECTORY_VENV)/bin/ruff check .

validate: $(BOT_VENV)/.installed ## rasa data validate
	$(BOT_VENV)/bin/rasa data validate --config config.yml --domain domain.yml --data data --fail-on-warnings

unit: install train $(DATA_INCLUSION_VENV)/.installed ## Unit tests of the directory, the actions and the chat channels (with the model)
	DATA_INCLUSION_REQUIRED=1 $(DIRECTORY_PY) -m pytest -q tests/directory
	$(BOT_PY) -m pytest -q tests/actions tests/bot

stories: train ## Test stories for every dialogue flow
	$(BOT_VENV)/bin/rasa test core --model bot/models --stories tests/stories \
		--fail-on-prediction-errors --out var/story-results

e2e: install train ## The three processes on free ports: chat, widget and back-office in Chromium, faults, exposure
	$(DIRECTORY_PY) -m pytest -q tests/e2e

scale: install train ## Two Rasa instances on PostgreSQL and Redis share conversations, lose nothing
	$(BOT_PY) -m pytest -q --noconftest tests/scale/test_lock_store.py
	$(DIRECTORY_PY) -m pytest -q tests/scale --ignore=tests/scale/test_lock_store.py

eval: train ## NLU figures on the held-out set (report in docs/evaluation.md)
	$(BOT_PY) scripts/evaluate.py

eval-floor: train ## Fail if the held-out figures fall under their floors (in make test)
	$(BOT_PY) scripts/evaluate.py --floor --no-report

.PHONY: eval-conversations
eval-conversations: install train ## Multi-turn conversation suite through the webhook (report in docs/evaluation.md)
	$(DIRECTORY_PY) scripts/eval_conversations.py

# The floor sits a few points under the last measured turn rate (docs/evaluation.md): raise it
# as the assistant gets better, never lower it to let a change through.
.PHONY: eval-conversations-floor
eval-conversations-floor: install train ## Fail if the conversation suite's turn rate falls under its floor (in make test)
	$(DIRECTORY_PY) scripts/eval_conversations.py --floor 0.66 --no-report

crossval: $(BOT_VENV)/.installed ## 3-fold NLU cross-validation on the training data (~15 min)
	$(BOT_VENV)/bin/rasa test nlu --nlu data/nlu --config config.yml --cross-validation \
		--folds 3 --out var/crossval
	$(BOT_PY) scripts/crossval_report.py var/crossval

bench: install train $(BENCH_VENV)/.installed ## Latency, throughput, memory, start-up (~10 min here; BENCH_TRAIN=1 adds training)
	$(DIRECTORY_PY) bench/run.py

.PHONY: data-inclusion
data-inclusion: $(DIRECTORY_VENV)/.installed $(DATA_INCLUSION_VENV)/.installed ## data·inclusion exports validated by the schema's own package (also in make unit)
	DATA_INCLUSION_REQUIRED=1 $(DIRECTORY_PY) -m pytest -q tests/directory/test_data_inclusion.py

.PHONY: audit
audit: $(DIRECTORY_VENV)/.installed ## Dependency audit of the four lock files (pip-audit)
	$(DIRECTORY_PY) scripts/audit_dependencies.py

test: lint audit unit validate stories eval-floor eval-conversations-floor e2e scale ## Everything CI runs

.PHONY: bench-directory
bench-directory: install ## Directory search p50/p95 and req/s at 1k/10k/100k entries, SQLite and PostgreSQL
	$(DIRECTORY_PY) -m services_directory.bench

clean: ## Remove environments, models and local data
	rm -rf .venvs bot/models var
