"""What every ``quantumflow`` command shares: ``--param`` parsing, JSON and table output, errors.

Exit codes: 0 success, 1 the run failed (or was cancelled), 2 bad input.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

import yaml

from ..errors import SpecError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def parse_params(pairs: Sequence[str]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            raise SpecError(f"--param expects NAME=VALUE, got '{pair}'")
        try:
            params[key] = yaml.safe_load(raw) if raw else ""
        except yaml.YAMLError:
            params[key] = raw
    return params


def write_json(data: Any) -> None:
    """Print ``data`` as the one JSON document on stdout (``--json`` output)."""
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")


def print_table(title: str, columns: Sequence[str], rows: Iterable[Sequence[str]]) -> Any:
    """Draw a rich table on stdout; returns the console for any lines that follow."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for col in columns:
        table.add_column(col)
    for row in rows:
        table.add_row(*row)
    console = Console()
    console.print(table)
    return console


def err(message: str) -> None:
    sys.stderr.write(f"error: {message}\n")
