"""%load_ext quantumflow, %%qflow and %qflow driven through a real IPython shell and engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell

from quantumflow.cost.estimator import DEFAULT_CLASSICAL_S
from quantumflow.engine import Run
from quantumflow.jupyter.magics import QFlowMagics
from quantumflow.jupyter.widgets import RunWidget

CELL = """\
name: magic-demo
params: {x: 1}
tasks:
  - id: a
    kind: classical
    fn: constant
    inputs: {value: {param: x}}
  - id: b
    kind: classical
    fn: linspace
    inputs: {start: 0, stop: {ref: a}, num: 3}
"""


@pytest.fixture
def shell() -> Iterator[InteractiveShell]:
    sh = InteractiveShell.instance()
    sh.run_cell("%load_ext quantumflow", store_history=False)
    yield sh
    sh.run_cell("%unload_ext quantumflow", store_history=False)
    QFlowMagics.last_spec = None


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "magics.db")


def cell(line: str, body: str) -> str:
    return f"%%qflow {line}\n{body}"


def test_qflow_cell_runs_and_binds_the_run(shell: InteractiveShell, db: str) -> None:
    result = shell.run_cell(cell(f"--db {db} --param x=4 --out res", CELL))
    assert result.success, result.error_in_exec
    run = shell.user_ns["res"]
    assert isinstance(run, Run)
    assert run.status == "succeeded"
    assert run.outputs == {"a": 4, "b": [0.0, 2.0, 4.0]}


def test_default_variable_and_name_override(shell: InteractiveShell, db: str) -> None:
    assert shell.run_cell(cell(f"run --db {db} --name renamed", CELL)).success
    run = shell.user_ns["_qflow"]
    assert run.spec.name == "renamed"
    assert run.outputs["a"] == 1


def test_json_cell(shell: InteractiveShell, db: str) -> None:
    body = '{"name": "j", "tasks": [{"id": "c", "kind": "classical", "fn": "constant",\n'
    body += ' "inputs": {"value": 7}}]}'
    assert shell.run_cell(cell(f"--db {db} --out j", body)).success
    assert shell.user_ns["j"].outputs == {"c": 7}


def test_invalid_spec_cell_is_a_short_message_pointing_at_the_line(
    shell: InteractiveShell, db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    body = CELL.replace("fn: linspace", "fn: linspace\n    shots: 3")
    result = shell.run_cell(cell(f"--db {db}", body))
    assert not result.success
    assert type(result.error_in_exec) is UsageError
    err = capsys.readouterr().err
    # the %%qflow line is line 1, so the body's 11th line is cell line 12
    assert "line 12: task 'b'.shots: unknown field" in err
    assert "Traceback" not in err
    assert "_qflow" not in shell.user_ns or shell.user_ns["_qflow"].spec.name != "bad"


def test_unknown_function_is_located(
    shell: InteractiveShell, db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    result = shell.run_cell(cell(f"--db {db}", CELL.replace("fn: constant", "fn: no_such_fn")))
    assert type(result.error_in_exec) is UsageError
    err = capsys.readouterr().err
    assert "line 7: task 'a'.fn" in err and "no_such_fn" in err
    assert "Traceback" not in err


def test_unknown_param_is_refused(
    shell: InteractiveShell, db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    result = shell.run_cell(cell(f"--db {db} --param y=4", CELL))
    assert type(result.error_in_exec) is UsageError
    err = capsys.readouterr().err
    assert "unknown run param 'y'" in err and "Traceback" not in err


def test_bad_yaml_points_at_the_line(
    shell: InteractiveShell, capsys: pytest.CaptureFixture[str]
) -> None:
    result = shell.run_cell(cell("", "name: x\ntasks:\n  - id: [oops\n"))
    assert type(result.error_in_exec) is UsageError
    err = capsys.readouterr().err
    assert "invalid YAML" in err and "line " in err
    assert "Traceback" not in err


def test_bad_options(shell: InteractiveShell, capsys: pytest.CaptureFixture[str]) -> None:
    assert type(shell.run_cell(cell("--param novalue", CELL)).error_in_exec) is UsageError
    assert type(shell.run_cell(cell("--out 1x", CELL)).error_in_exec) is UsageError
    assert "NAME=VALUE" in capsys.readouterr().err


def test_failed_task_still_binds_a_failed_run(shell: InteractiveShell, db: str) -> None:
    body = "name: f\ntasks:\n  - {id: x, kind: classical, fn: 'tests.jupyter.fns:boom'}\n"
    assert shell.run_cell(cell(f"--db {db} --out f", body)).success
    run = shell.user_ns["f"]
    assert run.status == "failed"
    assert "boom" in (run.tasks["x"].error or "")


def test_runs_show_and_load(shell: InteractiveShell, db: str, tmp_path: Path) -> None:
    assert shell.run_cell(cell(f"--db {db} --out r", CELL)).success
    run_id = shell.user_ns["r"].id
    table = shell.run_cell(f"%qflow runs --db {db}").result
    assert run_id in repr(table) and "succeeded" in repr(table)
    assert f"<td>{run_id}</td>" in table._repr_html_()

    widget = shell.run_cell(f"%qflow show {run_id} --db {db}").result
    assert isinstance(widget, RunWidget)
    assert widget.wait_followed(10)
    assert widget.status == "succeeded"
    assert widget.progress["states"] == {"succeeded": 2}

    path = tmp_path / "wf.qflow"
    path.write_text(shell.user_ns["r"].spec.to_json())
    assert shell.run_cell(f"%qflow load {path}").success
    assert shell.rl_next_input.startswith("%%qflow run\nname: magic-demo")
    body = shell.rl_next_input.split("\n", 1)[1]
    assert shell.run_cell(cell(f"--db {db} --out again", body)).success
    assert shell.user_ns["again"].outputs["b"] == [0.0, 0.5, 1.0]


def test_line_magic_errors(shell: InteractiveShell, capsys: pytest.CaptureFixture[str]) -> None:
    for line in ("%qflow", "%qflow nope", "%qflow show", "%qflow load /no/such.qflow"):
        assert type(shell.run_cell(line).error_in_exec) is UsageError, line
    assert "Traceback" not in capsys.readouterr().err


def test_show_unknown_run(shell: InteractiveShell, db: str) -> None:
    result = shell.run_cell(f"%qflow show nope --db {db}")
    assert type(result.error_in_exec) is UsageError
    assert "no run with id 'nope'" in str(result.error_in_exec)


def test_estimate_uses_the_cost_engine(shell: InteractiveShell, db: str) -> None:
    result = shell.run_cell(cell("estimate", CELL))
    assert result.success
    assert shell.run_cell("%qflow estimate").success
    assert "_qflow" not in shell.user_ns or shell.user_ns["_qflow"].spec.name != "magic-demo"


SLOW_CELL = """\
name: slow-demo
tasks:
  - id: wait
    kind: classical
    fn: tests.jupyter.fns:slow_value
    inputs: {value: 1, delay: 0.3}
"""


def test_estimate_reads_the_store_given_by_db(
    shell: InteractiveShell, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    used, fresh = str(tmp_path / "used.db"), str(tmp_path / "fresh.db")
    assert shell.run_cell(cell(f"--db {used} --out slow", SLOW_CELL)).success
    took = shell.user_ns["slow"].tasks["wait"].duration
    assert took >= 0.3

    # line magic: the estimate of the last cell, from the run's store (its history) ...
    est = shell.run_cell(f"%qflow estimate --db {used}").result
    assert est["tasks"]["wait"]["source"] == "history"
    assert est["tasks"]["wait"]["seconds"] == pytest.approx(took, rel=0.05)
    # ... and from a store that never ran it: the classical default, not the history
    other = shell.run_cell(f"%qflow estimate --db={fresh}").result
    assert other["tasks"]["wait"]["source"] == "default"
    assert other["tasks"]["wait"]["seconds"] == DEFAULT_CLASSICAL_S != pytest.approx(took, rel=0.5)

    # the cell magic passes --db through as well (the displayed estimate shows the source)
    capsys.readouterr()
    assert shell.run_cell(cell(f"estimate --db {used}", SLOW_CELL)).success
    assert "'source': 'history'" in capsys.readouterr().out
    assert shell.run_cell(cell(f"estimate --db {fresh}", SLOW_CELL)).success
    assert "'source': 'default'" in capsys.readouterr().out

    bad = shell.run_cell("%qflow estimate --db")
    assert type(bad.error_in_exec) is UsageError
    assert "--db needs a store" in str(bad.error_in_exec)


def test_estimate_cell_with_an_invalid_spec_is_a_short_message(
    shell: InteractiveShell, db: str
) -> None:
    body = SLOW_CELL.replace("kind: classical", "kind: classical\n    shots: 3")
    result = shell.run_cell(cell(f"estimate --db {db}", body))
    assert type(result.error_in_exec) is UsageError
    assert "shots" in str(result.error_in_exec)


def test_importing_quantumflow_does_not_import_ipython() -> None:
    import subprocess
    import sys

    code = "import quantumflow, sys; print('IPython' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.slow
def test_backend_override_runs_every_quantum_task_there(shell: InteractiveShell, db: str) -> None:
    body = (
        "name: q\ntasks:\n"
        "  - {id: ghz, kind: quantum, backend: qiskit.aer, shots: 200, seed: 3,\n"
        "     circuit: {builtin: ghz, args: {n: 2}}}\n"
        "  - {id: p, kind: classical, fn: parity, inputs: {counts: {ref: ghz.counts}}}\n"
    )
    assert shell.run_cell(cell(f"--db {db} --backend cirq.simulator --out q", body)).success
    run = shell.user_ns["q"]
    assert run.spec.task("ghz").backend == "cirq.simulator"
    assert run.outputs["ghz"]["metadata"]["backend"] == "cirq.simulator"
    assert set(run.outputs["ghz"]["counts"]) <= {"00", "11"}
    assert run.outputs["p"] == 1.0
