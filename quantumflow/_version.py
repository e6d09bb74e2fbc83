"""The installed package's version (``quantumflow.__version__``, the API's ``/api`` info)."""

from __future__ import annotations


def package_version() -> str:
    """The version pip installed, or ``0.0.0`` when running from a source tree."""
    # importlib.metadata costs ~30 ms to import: only pay for it when the version is asked for.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("quantumflow")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0"
