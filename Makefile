# geoloc: two commands on a fresh machine.
#   make demo   set everything up, then locate the bundled sample photo (offline) and write a map
#   make test   set everything up, check style and import contracts, then run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: setup system-packages venv assets demo lint test clean
setup: system-packages venv assets

system-packages:
	@bash scripts/system_packages.sh

$(BIN)/geoloc: pyproject.toml
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test,archive,cluster]"
	@touch $@

venv: $(BIN)/geoloc

assets: venv
	@bash scripts/fetch_assets.sh
	@bash scripts/fetch_ocr_model.sh
	@bash scripts/fetch_postal_places.sh

demo: setup
	$(BIN)/geoloc locate images/chernihiv_sign.jpg --context images/chernihiv_caption.txt --offline --within-km 20

# style, formatting and the import contracts that keep the stages one-way (pyproject.toml)
lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

test: setup lint
	OMP_THREAD_LIMIT=1 GEOLOC_STRICT_TESTS=1 $(BIN)/python -m pytest -q -ra

clean:
	rm -rf $(VENV) geoloc/assets .pytest_cache maps/*.html
