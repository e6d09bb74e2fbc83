"""deploy/image/requirements.py: the image's dependency layer installs what the wheel requires."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import requires

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.deploy.deploy_helpers import DEPLOY, ROOT

SCRIPT = DEPLOY / "image" / "requirements.py"


def _printed(extras: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(ROOT / "pyproject.toml"), extras],
        capture_output=True,
        text=True,
        check=False,
    )


def _key(req: Requirement) -> tuple[str, str, frozenset[str]]:
    return canonicalize_name(req.name), str(req.specifier), frozenset(req.extras)


def _from_metadata(extras: list[str]) -> set[tuple[str, str, frozenset[str]]]:
    """The installed distribution's requirements for ``extras``, self-references expanded."""
    reqs = [Requirement(r) for r in requires("quantumflow") or []]
    out = {_key(r) for r in reqs if r.marker is None}
    todo, seen = list(extras), set()
    while todo:
        extra = todo.pop()
        if extra in seen:
            continue
        seen.add(extra)
        for req in reqs:
            if req.marker is not None and req.marker.evaluate({"extra": extra}):
                if canonicalize_name(req.name) == "quantumflow":
                    todo.extend(req.extras)
                else:
                    out.add(_key(req))
    return out


def test_all_matches_the_package_metadata() -> None:
    result = _printed("all")
    assert result.returncode == 0, result.stderr
    printed = {_key(Requirement(line)) for line in result.stdout.splitlines()}
    assert printed == _from_metadata(["all"])
    assert ("qsimcirq", ">=0.21", frozenset()) in printed


def test_an_unknown_extra_is_named() -> None:
    result = _printed("qiskit,nope")
    assert result.returncode != 0
    assert "unknown extra 'nope'" in result.stderr
