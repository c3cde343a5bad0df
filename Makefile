# Two entry points for a fresh Debian/Ubuntu machine with python3, python3-venv and make:
#   make demo   - create .venv if needed, then run the demo on the bundled sample ledger
#   make test   - also install the Debian packages the tests use, then run the whole suite
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test lint sysdeps workbook images bench clean clean-root-check lock

# The venv is (re)built when it has no working pip: a .venv left half-made (python3-venv was missing
# when it was first created) is deleted and created again instead of failing with "No module named pip".
# Everything comes from requirements.lock (exact versions, sha256 hashes, scripts/lock-deps.sh).
PIPQ := $(PY) -m pip --disable-pip-version-check -q
$(STAMP): pyproject.toml requirements.lock Makefile
	@$(PY) -c 'import pip' 2>/dev/null || { \
	  if [ -e $(VENV) ]; then echo "$(VENV) 不完整（缺少 pip），删除后重建"; rm -rf $(VENV); fi; \
	  echo "建立 $(VENV) ……"; \
	  $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	    echo "无法建立虚拟环境：请先安装 python3-venv（sudo apt-get install python3-venv），再运行 make"; exit 1; }; }
	@echo "安装锁定版本的依赖（requirements.lock）……"
	$(PIPQ) install --require-hashes -r requirements.lock
	@# setuptools warns on every editable install of a flat layout ("folders with the same name as
	@# your package"): true of any source checkout, nothing to act on, so it is not shown.
	@# compat mode: a plain path in a .pth file, where the default mode imports an import hook
	@# into every Python start (≈ 10 ms a click or command: benchmarks/click_speed.py)
	PYTHONWARNINGS=ignore $(PIPQ) install --no-deps --no-build-isolation -e . \
	  --config-settings editable_mode=compat
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
	$(PY) scripts/render_print_png.py

bench: $(STAMP)
	for b in benchmarks/*.py; do $(PY) $$b; done

# regenerate requirements.lock from pyproject.toml (needs uv); keeps the versions already locked
lock:
	bash scripts/lock-deps.sh

# README's two commands on a fresh Debian 12 root (mmdebstrap); writes docs/dev/clean-root-check.log
clean-root-check:
	bash scripts/clean-root-check.sh

clean:
	rm -rf $(VENV) demo-output .pytest_cache
