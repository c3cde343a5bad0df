# Two entry points for a fresh Debian/Ubuntu machine with python3 and make:
#   make demo   - create .venv if needed, then run the demo on the bundled sample ledger
#   make test   - also install the Debian packages the tests use, then run the whole suite
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test lint sysdeps workbook images bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || { echo "python3-venv is missing: apt-get install python3-venv"; exit 1; }
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/rectify-xl demo

sysdeps:
	bash scripts/install-system-deps.sh

test: $(STAMP) sysdeps
	$(PY) -m ruff check rectify_xl tests benchmarks scripts
	$(VENV)/bin/lint-imports   # the layers contract in pyproject.toml
	$(PY) -m pytest -n 2 -q

lint: $(STAMP)
	$(PY) -m ruff check rectify_xl tests benchmarks scripts
	$(VENV)/bin/lint-imports
	$(PY) -m mypy rectify_xl

# the committed binaries are generated: rebuild them after changing the schema, macros or profiles
workbook: $(STAMP)
	$(PY) scripts/build_workbooks.py
	$(PY) scripts/build_reference_docx.py

# README pictures (LibreOffice + poppler)
images: $(STAMP) sysdeps
	$(PY) scripts/render_ledger_png.py
	$(PY) scripts/render_notice_png.py

bench: $(STAMP)
	for b in benchmarks/*.py; do $(PY) $$b; done

clean:
	rm -rf $(VENV) demo-output .pytest_cache
