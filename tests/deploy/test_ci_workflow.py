""".github/workflows/ci.yml: valid GitHub Actions workflow with every job the project needs."""

from __future__ import annotations

import re
from typing import Any

import jsonschema
import pytest
import yaml

from tests.deploy.deploy_helpers import ROOT, load_vendored_schema

WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    # YAML 1.1 reads the bare key `on` as True; GitHub reads it as "on".
    if True in data:
        data["on"] = data.pop(True)
    return data


def test_matches_github_workflow_schema(workflow: dict[str, Any]) -> None:
    schema = load_vendored_schema("github-workflows")
    validator = jsonschema.validators.validator_for(schema)(schema)
    assert [e.message for e in validator.iter_errors(workflow)] == []


def test_has_every_job(workflow: dict[str, Any]) -> None:
    jobs = {"lint", "rust", "python", "notebooks", "browser", "image", "wheels"}
    assert set(workflow["jobs"]) >= jobs
    oses = {row["os"] for row in workflow["jobs"]["wheels"]["strategy"]["matrix"]["include"]}
    assert any(o.startswith("ubuntu") for o in oses) and any(o.startswith("macos") for o in oses)
    steps = workflow["jobs"]["wheels"]["steps"]
    assert any(str(s.get("uses", "")).startswith("PyO3/maturin-action") for s in steps)


def test_make_targets_it_calls_exist(workflow: dict[str, Any]) -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    defined = set(re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.MULTILINE))
    called: set[str] = set()
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            for m in re.finditer(r"\bmake ((?:[a-z][a-z-]* ?)+)", step.get("run", "")):
                called.update(m.group(1).split())
    assert called, "CI should call make targets"
    assert called <= defined, called - defined


def _prerequisites(makefile: str, target: str) -> list[str]:
    m = re.search(rf"^{re.escape(target)}:([^#\n]*)", makefile, flags=re.MULTILINE)
    assert m, target
    return [p for p in m.group(1).replace("|", " ").split() if not p.startswith(("$", "node_"))]


def test_it_runs_every_part_of_make_test(workflow: dict[str, Any]) -> None:
    # The jobs together run what `make test` (.ci/run) runs, target for target, so the two
    # cannot drift apart: a target made only of other targets counts through its parts.
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    called = {
        target
        for job in workflow["jobs"].values()
        for step in job["steps"]
        for m in re.finditer(r"\bmake ((?:[a-z][a-z-]* ?)+)", step.get("run", ""))
        for target in m.group(1).split()
    }
    missing, todo = [], list(_prerequisites(makefile, "test"))
    while todo:
        target = todo.pop()
        if target in called:
            continue
        parts = _prerequisites(makefile, target)
        recipe = re.search(rf"^{re.escape(target)}:[^\n]*\n\t", makefile, flags=re.MULTILINE)
        if recipe or not parts:
            missing.append(target)
        todo.extend(parts if not recipe else [])
    assert missing == []


def test_the_image_is_built_and_run_in_its_own_job(workflow: dict[str, Any]) -> None:
    runs = {
        name: " ".join(s.get("run", "") for s in job["steps"])
        for name, job in workflow["jobs"].items()
    }
    assert "make image-test" in runs["image"]
    assert "buildah" in runs["image"] and "debootstrap" in runs["image"]
    # CI=true everywhere there: the image tests would fail in a job without buildah, not skip,
    # so the other pytest targets leave them to image-test.
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    core = re.search(r"^py-core-test:.*\n\t(.*)$", makefile, flags=re.MULTILINE)
    assert core and 'not image"' in core.group(1)
