"""wf.open() and %qflow open: the workflow written to .qflow and shown as a designer link."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from quantumflow.dsl import Workflow
from quantumflow.engine import open_db
from quantumflow.errors import QuantumFlowError
from quantumflow.jupyter.designer_link import MIME
from quantumflow.jupyter.magics import QFlowMagics
from quantumflow.spec import WorkflowSpec, load_spec


@pytest.fixture
def shell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[InteractiveShell]:
    monkeypatch.chdir(tmp_path)  # the kernel's working directory: the notebook's folder
    sh = InteractiveShell.instance()
    sh.run_cell("%load_ext quantumflow", store_history=False)
    yield sh
    sh.run_cell("%unload_ext quantumflow", store_history=False)
    QFlowMagics.last_spec = None


def build(name: str = "bell pair") -> Workflow:
    with Workflow(name, params={"shots": 100}) as wf:
        bell = wf.quantum(
            "bell", backend="qiskit.aer", circuit={"builtin": "ghz", "args": {"n": 2}}
        )
        wf.classical("parity", fn="parity", inputs={"counts": bell["counts"]})
    return wf


def shown(run: object) -> list[dict[str, object]]:
    """The designer links a call displayed."""
    with capture_output() as out:
        run()  # type: ignore[operator]
    return [o.data[MIME] for o in out.outputs if MIME in o.data]


def test_open_writes_the_file_next_to_the_notebook_and_shows_a_link(
    shell: InteractiveShell, tmp_path: Path
) -> None:
    wf = build()
    shell.user_ns["wf"] = wf
    links = shown(lambda: shell.run_cell("link = wf.open()"))
    target = tmp_path / "bell_pair.qflow"
    assert load_spec(target) == wf.spec
    assert len(links) == 1
    link = links[0]
    assert link["path"] == target.resolve().as_posix() and link["written"] is True
    assert link["name"] == "bell pair" and link["tasks"] == 2 and link["id"]
    assert link["relative"] == "bell_pair.qflow"  # from the notebook's folder
    assert shell.user_ns["link"].path == target.resolve()
    # the returned link, as a cell's last expression, is not shown a second time
    assert shown(lambda: shell.run_cell("link")) == []
    # the same workflow again: the file is left alone
    again = shown(lambda: shell.run_cell("wf.open()"))
    assert again[0]["written"] is False and again[0]["id"] != link["id"]


def test_designer_positions_in_the_file_are_kept(tmp_path: Path) -> None:
    wf = build()
    path = tmp_path / "flow.qflow"
    wf.open(path)
    moved = {**wf.spec.to_dict(), "layout": {"bell": {"x": 10, "y": 20}}}
    path.write_text(json.dumps(moved))  # what the designer saves after a drag
    assert wf.open(path).written is False
    assert load_spec(path).layout is not None  # nothing lost
    placed = Workflow.load(path)  # positions travel with Workflow.load/open
    placed.place("parity", x=0, y=0)
    with pytest.raises(QuantumFlowError, match="another version of workflow 'bell pair'"):
        placed.open(path)


def test_a_different_file_is_never_silently_replaced(tmp_path: Path) -> None:
    path = tmp_path / "bell_pair.qflow"
    other = build("other")
    other.save(path)
    with pytest.raises(QuantumFlowError, match=r"already holds workflow 'other'.*overwrite=True"):
        build().open(path)
    assert load_spec(path).name == "other"
    path.write_text("not a workflow")
    with pytest.raises(QuantumFlowError, match="holds no workflow QuantumFlow reads"):
        build().open(path)
    assert path.read_text() == "not a workflow"
    link = build().open(path, overwrite=True)
    assert link.written and load_spec(path) == build().spec
    # ".qflow" is added to a path without it
    assert build().open(tmp_path / "plain").path.name == "plain.qflow"


def test_qflow_open_magic(shell: InteractiveShell, tmp_path: Path) -> None:
    shell.user_ns["wf"] = build()
    assert shown(lambda: shell.run_cell("%qflow open wf"))[0]["path"].endswith("/bell_pair.qflow")
    yaml_file = tmp_path / "spec.yaml"
    yaml_file.write_text("name: from-yaml\ntasks:\n  - {id: a, kind: classical, fn: parity}\n")
    link = shown(lambda: shell.run_cell(f"%qflow open {yaml_file}"))[0]
    assert link["path"] == (tmp_path / "spec.qflow").as_posix() and link["written"] is True
    elsewhere = tmp_path.parent / f"{tmp_path.name}-elsewhere.qflow"
    shell.user_ns["target"] = str(elsewhere)
    outside = shown(lambda: shell.run_cell("wf.open(target)"))[0]
    assert outside["relative"] is None and outside["path"] == elsewhere.as_posix()
    # an existing .qflow file opens as it is
    before = (tmp_path / "spec.qflow").stat().st_mtime_ns
    assert shown(lambda: shell.run_cell("%qflow open spec.qflow"))[0]["written"] is False
    assert (tmp_path / "spec.qflow").stat().st_mtime_ns == before
    # a workflow saved in the store, by name
    db = str(tmp_path / "store.db")
    open_db(db).save_workflow(WorkflowSpec.parse({"name": "saved-flow", "tasks": []}))
    link = shown(lambda: shell.run_cell(f"%qflow open saved-flow --db {db}"))[0]
    assert link["name"] == "saved-flow" and Path(str(link["path"])).name == "saved-flow.qflow"
    for line, message in [
        ("%qflow open", "usage: %qflow open"),
        ("%qflow open nothing-here", "no variable, workflow file or saved workflow named"),
        ("%qflow open shell_number", "not a workflow"),
    ]:
        shell.user_ns["shell_number"] = 3
        error = shell.run_cell(line).error_in_exec
        assert type(error) is UsageError and message in str(error), line
    shell.user_ns["wf"] = build("other")
    (tmp_path / "other.qflow").write_text(build("another").spec.to_json())
    error = shell.run_cell("%qflow open wf").error_in_exec
    assert type(error) is UsageError and "overwrite=True" in str(error)


def test_outside_jupyter_the_link_names_the_file(tmp_path: Path) -> None:
    code = (
        "from quantumflow.dsl import Workflow\n"
        "wf = Workflow('script-flow')\n"
        "link = wf.open()\n"
        "print(repr(link))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert f"saved to {(tmp_path / 'script-flow.qflow').resolve()}" in out.stdout
    assert "JupyterLab" in out.stdout
