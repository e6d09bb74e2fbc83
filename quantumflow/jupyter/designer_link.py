"""``wf.open()`` and ``%qflow open``: a workflow into JupyterLab's main-area ``.qflow`` designer.

The kernel cannot open a tab itself. It writes the workflow to a ``.qflow`` file (next to
the notebook: the kernel's working directory) and displays a :class:`DesignerLink`, an
output with the MIME type :data:`MIME`. The QuantumFlow lab extension renders that output
as a line with an "Open" button and, for an output just produced by the kernel, opens
the file in the designer (an output reloaded with a saved notebook opens nothing). Any
other front end shows the text or HTML fallback, which names the file.

A file is never silently replaced: an existing file that holds another workflow (or
another version of this one) is refused with a message that says what to do. When the
workflow has no positions (``layout``) and the file holds the same workflow with the
designer's positions, the file is kept as it is, so reopening loses nothing.
"""

from __future__ import annotations

import html
import os
import re
import time
import uuid
from pathlib import Path
from typing import Any

from ..errors import QuantumFlowError, SpecError
from ..spec import WorkflowSpec
from ..spec.loader import load_spec

#: The output's MIME type; the lab extension registers a renderer for it.
MIME = "application/vnd.quantumflow.designer+json"


class DesignerLink:
    """A ``.qflow`` file to open in the designer, as a notebook output.

    Attributes:
        path: the file (absolute).
        name: the workflow's name.
        tasks: how many tasks it has.
        written: False when the file already held this workflow and was left as it was.
    """

    def __init__(self, path: Path, spec: WorkflowSpec, *, written: bool) -> None:
        self.path = path
        self.name = spec.name
        self.tasks = len(spec.tasks)
        self.written = written
        self._shown = False
        self._id = uuid.uuid4().hex  # the extension opens each output once
        self._created = time.time()

    def __fspath__(self) -> str:
        return str(self.path)

    def __repr__(self) -> str:
        state = "saved to" if self.written else "is in"
        return (
            f"Workflow '{self.name}' ({self.tasks} tasks) {state} {self.path}\n"
            "Open it in JupyterLab with the QuantumFlow extension (it opens in the designer),"
            " or double-click the file in JupyterLab's file browser."
        )

    def _repr_mimebundle_(self, **_: Any) -> dict[str, Any]:
        data = {
            "path": self.path.as_posix(),
            "relative": _under_cwd(self.path),
            "home": Path.home().as_posix(),
            "name": self.name,
            "tasks": self.tasks,
            "written": self.written,
            "id": self._id,
            "created": self._created,
        }
        text = repr(self)
        return {
            MIME: data,
            "text/plain": text,
            "text/html": "<pre>" + html.escape(text) + "</pre>",
        }

    def _ipython_display_(self) -> None:
        # Shown once: ``wf.open()`` displays it, and as the cell's last expression IPython
        # would display the returned link a second time.
        if self._shown:
            return
        self._shown = True
        from IPython.display import display

        publish: Any = display  # IPython's display is untyped
        publish(self._repr_mimebundle_(), raw=True)


def _under_cwd(path: Path) -> str | None:
    """``path`` relative to the working directory (the notebook's folder), if under it: the
    extension's way to the file when the server's root and the kernel's paths differ (a
    root given through a symlink, a kernel on another machine)."""
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return None


def default_path(spec: WorkflowSpec, folder: Path | None = None) -> Path:
    """``<name>.qflow`` in ``folder`` (default: the working directory, the notebook's)."""
    stem = re.sub(r"[^A-Za-z0-9_\-]", "_", spec.name) or "workflow"
    return (folder or Path.cwd()) / f"{stem}.qflow"


def write_qflow(spec: WorkflowSpec, path: Path, *, overwrite: bool = False) -> bool:
    """Write ``spec`` to ``path`` unless the file already holds it; True when written.

    Raises:
        QuantumFlowError: the file holds something else (another workflow, another version
            of this one, or no workflow) and ``overwrite`` is False.
    """
    if path.exists() and not overwrite:
        if not path.is_file():
            raise QuantumFlowError(f"{path} is not a file: pass path='….qflow' to write elsewhere")
        try:
            there: WorkflowSpec | None = load_spec(path)
        except SpecError:
            there = None
        if there is not None and (there == spec or _same_but_positions(spec, there)):
            return False
        what = (
            "no workflow QuantumFlow reads"
            if there is None
            else f"another version of workflow '{there.name}'"
            if there.name == spec.name
            else f"workflow '{there.name}'"
        )
        raise QuantumFlowError(
            f"{path} already holds {what}; nothing was written. Pass overwrite=True to replace"
            f" it, path='other.qflow' to write elsewhere, or load the file to continue from"
            f" it (Workflow.load('{path.name}'))."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(spec.to_json(), encoding="utf-8")
    tmp.replace(path)  # a designer tab reading the file never sees half of it
    return True


def _same_but_positions(spec: WorkflowSpec, there: WorkflowSpec) -> bool:
    """``spec`` has no positions and the file is the same workflow with the designer's."""
    return spec.layout is None and there.with_changes(layout=None) == spec


def open_in_designer(
    spec: WorkflowSpec, *, path: str | Path | None = None, overwrite: bool = False
) -> DesignerLink:
    """Write ``spec`` to a ``.qflow`` file and show it in the designer (in a notebook).

    Args:
        spec: the workflow.
        path: the file (default: ``<name>.qflow`` in the working directory); ``.qflow``
            is added when missing.
        overwrite: replace a file that holds something else.

    Returns:
        The link; inside IPython it is displayed already.

    Raises:
        QuantumFlowError: the file holds something else and ``overwrite`` is False.
    """
    target = default_path(spec) if path is None else Path(path).expanduser()
    if target.suffix != ".qflow":
        target = target.with_name(target.name + ".qflow")
    target = target.resolve()
    link = DesignerLink(target, spec, written=write_qflow(spec, target, overwrite=overwrite))
    show(link)
    return link


def open_file(path: Path) -> DesignerLink:
    """Show an existing ``.qflow`` file in the designer (nothing is written).

    Raises:
        SpecError: the file is not a workflow.
    """
    target = path.expanduser().resolve()
    link = DesignerLink(target, load_spec(target), written=False)
    show(link)
    return link


def show(link: DesignerLink) -> None:
    """Display ``link`` when running inside IPython (elsewhere its repr says where it is)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the Jupyter extras
        return
    if get_ipython() is not None:
        link._ipython_display_()
