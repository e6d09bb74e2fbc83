"""What `import quantumflow` pulls in: heavy modules stay out until they are needed.

Each check runs in a fresh interpreter (this one has imported everything already). No timings:
only which modules are loaded.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("yaml", "importlib.metadata", "pydantic", "quantumflow.spec.checker")


def _loaded_after(code: str) -> list[str]:
    """The modules of HEAVY in ``sys.modules`` after running ``code`` in a fresh process."""
    probe = (
        "import sys\n"
        f"{code}\n"
        "import json\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    loaded: list[str] = json.loads(out.stdout.strip().splitlines()[-1])
    return loaded


def test_import_quantumflow_is_light() -> None:
    # Not the spec classes' checker, not pydantic (whose plugin lookup imports
    # importlib.metadata), not YAML, not the package metadata behind __version__.
    assert _loaded_after("import quantumflow") == []


def test_version_is_still_there() -> None:
    assert _loaded_after("import quantumflow\nassert isinstance(quantumflow.__version__, str)") == [
        "importlib.metadata"
    ]


@pytest.mark.parametrize(
    "source",
    [
        "{'name': 'w', 'tasks': [{'kind': 'classical', 'id': 'a', 'fn': 'm:f'}]}",
        '\'{"name": "w", "tasks": []}\'',  # JSON text
    ],
    ids=["dict", "json-text"],
)
def test_dict_and_json_specs_do_not_import_yaml(source: str) -> None:
    loaded = _loaded_after(f"import quantumflow\nquantumflow.load_spec({source})")
    # checked by the plain checker: no pydantic, no YAML
    assert loaded == ["quantumflow.spec.checker"]


def test_running_a_dict_spec_never_imports_pydantic(tmp_path) -> None:
    # The measure: `import quantumflow` to the first task running. Only the JSON Schema
    # and the HTTP API need pydantic; a run checks its spec with quantumflow.spec.checker.
    from quantumflow.store import open_store

    db = f"sqlite:///{tmp_path / 'w.db'}"
    open_store(db, artifacts_dir=tmp_path).close()  # an existing store: the plain sqlite3 path
    code = (
        "import quantumflow\n"
        "spec = {'name': 'w', 'tasks': [{'id': 'a', 'kind': 'classical', 'fn': 'json:dumps',"
        " 'inputs': {'obj': [1, 2]}}]}\n"
        f"run = quantumflow.run(spec, db={db!r})\n"
        "assert run.outputs['a'] == '[1, 2]', run.outputs\n"
    )
    loaded = _loaded_after(code)
    assert "pydantic" not in loaded
    assert "importlib.metadata" not in loaded
    assert "quantumflow.spec.checker" in loaded  # the spec really was checked


def test_the_schema_still_comes_from_pydantic() -> None:
    assert "pydantic" in _loaded_after(
        "from quantumflow.spec.schema import json_schema\njson_schema()"
    )


def test_yaml_text_still_loads_yaml() -> None:
    loaded = _loaded_after("import quantumflow\nquantumflow.load_spec('name: w\\ntasks: []\\n')")
    assert "yaml" in loaded


def test_engine_import_does_not_import_yaml() -> None:
    assert "yaml" not in _loaded_after("import quantumflow.engine.api")


def test_lazy_names_resolve() -> None:
    import quantumflow
    from quantumflow import ClassicalTask, QuantumTask, WorkflowSpec, load_spec, spec

    assert WorkflowSpec is spec.WorkflowSpec
    assert ClassicalTask is spec.ClassicalTask and QuantumTask is spec.QuantumTask
    assert load_spec is spec.load_spec
    assert quantumflow.WorkflowSpec is WorkflowSpec
    assert set(quantumflow.__all__) <= set(dir(quantumflow)) | {"__version__"}


def test_executors_do_not_import_package_metadata() -> None:
    # Entry points are read only for a third-party executor name.
    assert _loaded_after("import quantumflow.executors") == []


def test_cost_for_planning_skips_budget_and_compare() -> None:
    probe = (
        "import sys, quantumflow.cost as cost\n"
        "assert 'quantumflow.cost.compare' not in sys.modules\n"
        "assert 'quantumflow.cost.budget' not in sys.modules\n"
        "assert cost.check_budget.__module__ == 'quantumflow.cost.budget'\n"
        "assert cost.plan_vs_actual.__module__ == 'quantumflow.cost.compare'\n"
        "import quantumflow.cost.calibrate\n"
        "assert callable(cost.calibrate) and cost.calibrate.__name__ == 'calibrate'\n"
    )
    subprocess.run([sys.executable, "-c", probe], check=True, timeout=120)
