"""Create (or reuse) the peers' own virtualenv and install benchmarks/requirements-peers.txt.

The peers (dask, distributed, prefect 3, ray) live in ``benchmarks/.peers-venv`` so their
dependencies never touch the project's environment. The venv is rebuilt only when the
requirements file changed (a hash is kept next to it).

Usage: ``python benchmarks/peers_env.py [--venv DIR]``; prints the venv's python path.
The harness calls :func:`ensure_peers_venv`.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "requirements-peers.txt"
DEFAULT_VENV = HERE / ".peers-venv"


def venv_python(root: Path) -> Path:
    """The interpreter inside the venv at ``root``."""
    return root / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


def ensure_peers_venv(root: Path = DEFAULT_VENV, *, quiet: bool = True) -> Path:
    """Create the venv if needed, install the peers, and return its python.

    Raises:
        subprocess.CalledProcessError: pip failed (e.g. no network for a first install).
    """
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    stamp = root / ".requirements.sha256"
    python = venv_python(root)
    if python.exists() and stamp.exists() and stamp.read_text().strip() == digest:
        return python
    if not python.exists():
        venv.EnvBuilder(with_pip=True, clear=False).create(root)
    pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check"]
    if quiet:
        pip.append("-q")
    subprocess.run([*pip, "-r", str(REQUIREMENTS)], check=True)
    stamp.write_text(digest + "\n")
    return python


def main() -> None:
    """Build the venv and print its python."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV)
    args = parser.parse_args()
    sys.stdout.write(f"{ensure_peers_venv(args.venv, quiet=False)}\n")


if __name__ == "__main__":
    main()
