"""What ``%qflow runs``, ``%qflow load`` and ``%qflow estimate`` compute and display."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from IPython.core.error import UsageError

from ..spec import WorkflowSpec
from ..spec.loader import load_spec

if TYPE_CHECKING:
    from ..store.store import Store


class RunsTable:
    """Recent runs; shown as an HTML table in notebooks and as text elsewhere."""

    COLUMNS = ("id", "name", "status", "started", "duration")

    def __init__(self, rows: list[dict[str, str]]) -> None:
        self.rows = rows

    def __repr__(self) -> str:
        if not self.rows:
            return "no runs yet (run a %%qflow cell)"
        widths = {c: max(len(c), *(len(r[c]) for r in self.rows)) for c in self.COLUMNS}
        lines = ["  ".join(c.ljust(widths[c]) for c in self.COLUMNS)]
        lines += ["  ".join(r[c].ljust(widths[c]) for c in self.COLUMNS) for r in self.rows]
        return "\n".join(line.rstrip() for line in lines)

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{c}</th>" for c in self.COLUMNS)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(r[c])}</td>" for c in self.COLUMNS) + "</tr>"
            for r in self.rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _when(t: float | None) -> str:
    return dt.datetime.fromtimestamp(t).strftime("%Y-%m-%d %H:%M:%S") if t else "-"


def runs_table(store: Store, *, limit: int = 20) -> RunsTable:
    """The ``limit`` newest runs of ``store``."""
    rows = []
    for r in store.list_runs(limit=limit):
        took = r.finished_at - r.started_at if r.started_at and r.finished_at else None
        rows.append(
            {
                "id": r.id,
                "name": r.name,
                "status": r.status,
                "started": _when(r.started_at),
                "duration": f"{took:.2f} s" if took is not None else "-",
            }
        )
    return RunsTable(rows)


def load_file(path: str) -> WorkflowSpec:
    """A workflow file (``.qflow``, ``.json``, ``.yaml``) as a spec; UsageError if missing."""
    if not Path(path).expanduser().is_file():
        raise UsageError(f"no workflow file '{path}'")
    return load_spec(Path(path))


def estimate(
    spec: WorkflowSpec, *, db: str | None = None, params: dict[str, Any] | None = None
) -> Any:
    """The cost engine's estimate of ``spec`` (time, money, per task).

    Args:
        spec: the workflow.
        db: the store whose calibrations and run history the estimator reads (the same
            ``--db`` as the run's); None: the default store.
        params: run parameters (``--param``).
    """
    from ..cost.workflow import estimate_workflow

    return estimate_workflow(spec, db=db, params=params or None)


def open_target(word: str, ns: dict[str, Any], *, db: str | None = None) -> Any:
    """``%qflow open WORD``: a variable (Workflow, Run, spec or dict), a workflow file, or
    the name of a workflow saved in the store, opened in the designer.

    A ``.qflow`` file opens as it is; a YAML/JSON file is written as ``.qflow`` beside it.
    """
    from .designer_link import open_file, open_in_designer

    if word in ns:
        value = ns[word]
        spec = getattr(value, "spec", value)
        if isinstance(spec, dict):
            spec = WorkflowSpec.parse(spec)
        if not isinstance(spec, WorkflowSpec):
            raise UsageError(f"'{word}' is a {type(value).__name__}, not a workflow or a Run")
        return open_in_designer(spec)
    path = Path(word).expanduser()
    if path.is_file():
        if path.suffix == ".qflow":
            return open_file(path)
        return open_in_designer(load_spec(path), path=path.with_suffix(".qflow"))
    from ..engine import open_db

    saved = [w for w in open_db(db).list_workflows() if w.name == word]
    if not saved:
        raise UsageError(f"no variable, workflow file or saved workflow named '{word}'")
    newest = max(saved, key=lambda w: w.updated_at)
    return open_in_designer(WorkflowSpec.parse(newest.spec))
