#!/usr/bin/env bash
# Regenerate requirements.lock: every package `make` installs (runtime, dev tools and the setuptools
# build backend), exact versions with sha256 hashes for every platform, resolved against PyPI only.
# Versions already in the lock are kept; pass --upgrade (or --upgrade-package NAME) to move them.
# Needs uv (the `uv` package on the Python package index): `python3 -m pip install --user uv` or `pipx install uv`.
set -euo pipefail
cd "$(dirname "$0")/.."
build_in=build-system.in   # a fixed name: it appears in the lock's "via" notes
trap 'rm -f "$build_in"' EXIT
# the build backend comes from the lock too: make installs the project with --no-build-isolation
python3 - "$build_in" <<'PY'
import sys, tomllib
reqs = tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"]
open(sys.argv[1], "w").write("\n".join(reqs) + "\n")
PY
uv pip compile pyproject.toml "$build_in" --extra dev --generate-hashes --universal \
  --python-version 3.11 --no-config \
  --custom-compile-command "scripts/lock-deps.sh" -o requirements.lock "$@"
