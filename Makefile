# Two commands for a fresh clone:
#   make tutor   set up .venv and start the tutor
#   make test    set up .venv and run lint, format check and every test (the CI command)
.PHONY: tutor test setup lint bench schema

VENV := .venv
BIN := $(VENV)/bin

setup:
	@scripts/setup.sh

tutor: setup
	@$(BIN)/nn-tutor $(ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python -m pytest

bench: setup
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

schema: setup
	$(BIN)/python -m tutor.decks.schema_gen
