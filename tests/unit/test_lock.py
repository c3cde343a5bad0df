"""requirements.lock (what `make` installs) still satisfies pyproject.toml: a dependency added there
without `make lock` (scripts/lock-deps.sh) fails here, not on a clean machine."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def _locked() -> dict[str, tuple[str, list[str], str | None]]:
    """name → (version, hashes, marker) of every package in the lock."""
    text = (ROOT / "requirements.lock").read_text("utf-8")
    found: dict[str, tuple[str, list[str], str | None]] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        head = re.match(r"([A-Za-z0-9._-]+)==([^ ;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\", block)
        if head:
            found[canonicalize_name(head[1])] = (head[2], re.findall(r"--hash=sha256:([0-9a-f]{64})", block),
                                                 head[3])
    return found


def _required() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    names = [*project["project"]["dependencies"], *project["project"]["optional-dependencies"]["dev"],
             *project["build-system"]["requires"]]
    return [Requirement(r) for r in names]


def test_every_locked_package_has_a_hash() -> None:
    locked = _locked()
    assert len(locked) > 40
    assert all(hashes for _, hashes, _ in locked.values())


def test_every_dependency_of_pyproject_is_locked_at_a_version_it_allows() -> None:
    locked = _locked()
    linux = {"sys_platform": "linux", "platform_system": "Linux", "python_version": "3.11",
             "python_full_version": "3.11.2", "implementation_name": "cpython"}
    for req in _required():
        if req.marker is not None and not req.marker.evaluate(linux):
            continue
        name = canonicalize_name(req.name)
        assert name in locked, f"{req.name} is not in requirements.lock: run `make lock`"
        version, _, marker = locked[name]
        assert req.specifier.contains(version, prereleases=True), f"{req} but locked {version}: `make lock`"
        assert marker is None or Marker(marker).evaluate(linux), f"{name} is not locked for Linux"
