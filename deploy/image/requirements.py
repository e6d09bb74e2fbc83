"""Print the requirements of QuantumFlow and the given extras, one per line, from pyproject.toml.

The image installs these in a layer of their own before the wheel, so a code change rebuilds
only the small layer that installs the wheel (``pip install --no-deps``); the dependency layer
is rebuilt only when pyproject.toml changes. Self-references such as ``quantumflow[qiskit]``
(the ``all`` extra) are expanded. Standard library only: it runs in the image's bare Python.

Usage: python requirements.py PYPROJECT EXTRA[,EXTRA...]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import tomllib

_SELF = re.compile(r"^quantumflow\[(?P<extras>[^\]]+)\]$")


def requirements(pyproject: Path, extras: list[str]) -> list[str]:
    """The dependencies plus those of ``extras`` (expanded recursively), in order, once each."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    optional: dict[str, list[str]] = project.get("optional-dependencies", {})
    out: list[str] = []
    seen: set[str] = set()

    def add(items: list[str]) -> None:
        for item in items:
            match = _SELF.match(item.replace(" ", ""))
            if match:
                expand(match["extras"].split(","))
            elif item not in out:
                out.append(item)

    def expand(names: list[str]) -> None:
        for name in (n.strip() for n in names if n.strip()):
            if name not in optional:
                raise SystemExit(
                    f"requirements.py: unknown extra {name!r} (have: {sorted(optional)})"
                )
            if name not in seen:
                seen.add(name)
                add(optional[name])

    add(project["dependencies"])
    expand(extras)
    return out


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    print("\n".join(requirements(Path(sys.argv[1]), sys.argv[2].split(","))))
