# geoloc: two commands on a fresh machine.
#   make demo   set everything up, then locate the bundled sample photo (offline) and write a map
#   make test   set everything up, then run the whole test suite (slow and browser tests included)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := tesseract-ocr tesseract-ocr-eng tesseract-ocr-ukr tesseract-ocr-rus tesseract-ocr-bel \
                fonts-dejavu-core npm chromium

.PHONY: setup system-packages venv assets demo test bench clean
setup: system-packages venv assets

system-packages:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if ! command -v apt-get >/dev/null; then \
	    echo "setup: this system has no apt-get; install these packages by hand:$$missing" >&2; exit 1; fi; \
	  echo "setup: installing$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

$(BIN)/geoloc: pyproject.toml
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	@touch $@

venv: $(BIN)/geoloc

assets:
	@bash scripts/fetch_assets.sh

demo: setup
	$(BIN)/geoloc locate images/chernihiv_sign.jpg --context images/chernihiv_caption.txt --offline

test: setup
	OMP_THREAD_LIMIT=1 $(BIN)/python -m pytest -q -ra

bench: setup
	@echo "see benchmarks/README.md: each script has --help"

clean:
	rm -rf $(VENV) geoloc/assets .pytest_cache maps/*.html
