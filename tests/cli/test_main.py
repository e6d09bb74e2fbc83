"""The `quantumflow` command end to end: real engine, real SQLite file, real subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from quantumflow.cli import main
from quantumflow.store import open_store

CHAIN = """
name: chain
params: {x: 4}
tasks:
  - {id: a, kind: classical, fn: constant, inputs: {value: {param: x}}}
  - {id: b, kind: classical, fn: linspace, inputs: {start: 0, stop: {ref: a}, num: 3}}
"""

BAD = {
    "cycle": (
        "name: x\ntasks:\n  - {id: a, kind: classical, fn: constant, depends_on: [b]}\n"
        "  - {id: b, kind: classical, fn: constant, depends_on: [a]}\n",
        "cycle",
    ),
    "unknown_ref": (
        "name: x\ntasks:\n  - {id: a, kind: classical, fn: constant, inputs: {value: {ref: zz}}}\n",
        "task 'a'",
    ),
    "bad_yaml": ("name: x\ntasks: [\n", "invalid YAML"),
    "wrong_type": (
        "name: x\ntasks:\n  - {id: a, kind: classical, fn: 3, retries: many}\n",
        "retries",
    ),
    "unimportable": (
        "name: x\ntasks:\n  - {id: a, kind: classical, fn: 'no_such.mod:f'}\n",
        "no_such",
    ),
    "missing_argument": (
        "name: x\ntasks:\n  - {id: p, kind: classical, fn: parity}\n",
        "task 'p'.inputs.counts: parity() needs 'counts'",
    ),
}


def qf(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QUANTUMFLOW_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "quantumflow.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_run_json_prints_one_object(tmp_path: Path, _isolated_home: Path) -> None:
    spec = tmp_path / "chain.yaml"
    spec.write_text(CHAIN)
    proc = qf("run", str(spec), "--param", "x=81", "--json", home=_isolated_home)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)  # the whole stdout is one JSON document
    assert data["status"] == "succeeded"
    assert data["outputs"] == {"a": 81, "b": [0.0, 40.5, 81.0]}
    run = open_store(None).get_run(data["run_id"])
    assert {t.status for t in run.tasks.values()} == {"succeeded"}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_specs_exit_2_without_traceback_or_run(
    case: str, tmp_path: Path, _isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, needle = BAD[case]
    spec = tmp_path / "bad.yaml"
    spec.write_text(text)
    for command in ("validate", "run"):
        assert main([command, str(spec)]) == 2
        err = capsys.readouterr().err
        assert needle in err
        assert "Traceback" not in err
    assert open_store(None).list_runs() == []


def test_failed_run_exits_1_and_show_reports_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "fail.yaml"
    spec.write_text(
        "name: f\ntasks:\n  - {id: a, kind: classical, fn: linspace, "
        "inputs: {start: 0, stop: 1, num: 0}}\n  - {id: b, kind: classical, fn: constant, "
        "inputs: {value: {ref: a}}}\n"
    )
    assert main(["run", str(spec), "--json"]) == 1
    run_id = json.loads(capsys.readouterr().out)["run_id"]
    assert main(["show", run_id, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["status"] == "failed"
    assert shown["tasks"]["a"]["status"] == "failed"
    assert "num must be at least 1" in shown["tasks"]["a"]["error"]
    assert shown["tasks"]["b"]["status"] == "skipped"


def test_runs_lists_newest_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "chain.yaml"
    spec.write_text(CHAIN)
    ids = []
    for _ in range(2):
        assert main(["run", str(spec), "--json"]) == 0
        ids.append(json.loads(capsys.readouterr().out)["run_id"])
    assert main(["runs", "--json"]) == 0
    listed = [r["run_id"] for r in json.loads(capsys.readouterr().out)]
    assert listed[:2] == ids[::-1]


def test_unknown_run_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "nope"]) == 2
    assert "no run with id 'nope'" in capsys.readouterr().err


def test_schema_is_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "WorkflowSpec"


def test_param_must_be_name_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "chain.yaml"
    spec.write_text(CHAIN)
    assert main(["run", str(spec), "--param", "oops"]) == 2
    assert "NAME=VALUE" in capsys.readouterr().err


def test_unknown_param_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "chain.yaml"
    spec.write_text(CHAIN)
    assert main(["run", str(spec), "--param", "y=1"]) == 2
    err = capsys.readouterr().err
    assert "params.y: unknown run param 'y'" in err and "its params: x" in err
    assert open_store(None).list_runs() == []


def test_human_output_of_run_show_and_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "chain.yaml"
    spec.write_text(CHAIN)
    assert main(["run", str(spec), "--param", "x=2"]) == 0
    out = capsys.readouterr().out
    assert "duration" in out and " ms " in out  # human durations in the table
    # the outputs summary after the table
    assert "outputs:" in out and "  a: 2\n" in out and "  b: [0.0, 1.0, 2.0]" in out
    run_id = open_store(None).list_runs()[0].id
    assert main(["show", run_id]) == 0
    shown = capsys.readouterr().out
    assert (
        "created: today " in shown or "created: yesterday " in shown
    ) and "started_at" not in shown
    assert "duration: " in shown and " ms\n" in shown and "duration_s" not in shown
    assert main(["runs"]) == 0
    listed = capsys.readouterr().out
    assert ("today " in listed or "yesterday " in listed) and run_id in listed
    assert main(["show", run_id, "--json"]) == 0
    exact = json.loads(capsys.readouterr().out)
    assert isinstance(exact["created_at"], float)
    assert isinstance(exact["tasks"]["a"]["duration_s"], float)


def test_backends_table_names_the_state(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backends"]) == 0
    out = capsys.readouterr().out
    assert "needs credentials" in out and "ready" in out


def test_version_prints_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"quantumflow {version('quantumflow')}\n"
