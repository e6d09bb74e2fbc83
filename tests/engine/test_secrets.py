"""Secrets by reference: ``{secret: NAME}`` is read when the task runs
(``QUANTUMFLOW_SECRET_NAME``, then the secrets file), never stored, redacted from errors;
inline runs, saved workflows, resume and rerun behave alike; an inline credential is refused
with the ``{secret: NAME}`` form, never dropped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from quantumflow.api import create_app
from quantumflow.engine import rerun, resume, run
from quantumflow.errors import SpecError

from .conftest import ctask, wf

VALUE = "s3cr3t-value-0c9f"


def spec(key: Any = None) -> dict[str, Any]:
    key = {"secret": "SERVICE_KEY"} if key is None else key
    return wf(
        ctask("a", "keyed", inputs={"api_key": key, "x": 1}),
        ctask("b", "inc", inputs={"x": {"ref": "a"}}),
    )


def _stored_bytes(db_url: str) -> bytes:
    path = Path(db_url.removeprefix("sqlite:///"))
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


@pytest.fixture
def secret_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUANTUMFLOW_SECRET_SERVICE_KEY", VALUE)


def test_an_inline_run_reads_the_secret_and_stores_only_its_name(
    db_url: str, secret_env: None
) -> None:
    result = run(spec(), db=db_url)
    assert result.status == "succeeded" and result.outputs["b"] == len(VALUE) + 2
    stored = _stored_bytes(db_url)
    assert VALUE.encode() not in stored and b'"secret":"SERVICE_KEY"' in stored


def test_the_secrets_file_is_read_when_the_environment_has_none(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets = tmp_path / "secrets.env"
    secrets.write_text(f"# service credentials\nSERVICE_KEY = '{VALUE}'\n")
    monkeypatch.setenv("QUANTUMFLOW_SECRETS_FILE", str(secrets))
    assert run(spec(), db=db_url).outputs["a"] == len(VALUE) + 1


def test_a_param_may_name_a_secret(db_url: str, secret_env: None) -> None:
    w = wf(ctask("a", "keyed", inputs={"api_key": {"param": "key"}}))
    w["params"] = {"key": {"secret": "SERVICE_KEY"}}
    assert run(w, db=db_url).outputs["a"] == len(VALUE)


def test_saved_workflows_resume_and_rerun_read_it_again(
    db_url: str, secret_env: None, tmp_path: Path
) -> None:
    flag = tmp_path / "fails"
    w = wf(
        ctask("a", "keyed", inputs={"api_key": {"secret": "SERVICE_KEY"}, "x": 1}),
        ctask("b", "flaky", inputs={"path": str(flag), "fails": 1}, depends_on=["a"]),
        ctask("c", "keyed", inputs={"api_key": {"secret": "SERVICE_KEY"}}, depends_on=["b"]),
    )
    with TestClient(create_app(store_url=db_url)) as client:
        wid = client.post("/api/workflows", json=w).json()["id"]
        assert client.get(f"/api/workflows/{wid}").json()["spec"]["tasks"][0]["inputs"] == {
            "api_key": {"secret": "SERVICE_KEY"},
            "x": 1,
        }
        run_id = client.post("/api/workflows/run", json={"workflow_id": wid}).json()["run_id"]
        from tests.api.helpers import wait_run

        first = wait_run(client, run_id)
    assert first["status"] == "failed"  # b fails once
    resumed = resume(run_id, db=db_url)
    assert resumed.status == "succeeded" and resumed.outputs["c"] == len(VALUE)
    again = rerun(run_id, from_task="a", db=db_url)
    assert again.status == "succeeded" and again.outputs["a"] == len(VALUE) + 1
    assert VALUE.encode() not in _stored_bytes(db_url)


def test_an_error_quoting_the_secret_is_redacted(db_url: str, secret_env: None) -> None:
    result = run(wf(ctask("a", "leaky", inputs={"api_key": {"secret": "SERVICE_KEY"}})), db=db_url)
    error = result.tasks["a"].error or ""
    assert result.status == "failed" and VALUE not in error and "*** and '***'" in error
    assert VALUE.encode() not in _stored_bytes(db_url)


def test_a_cached_task_given_a_secret_is_not_cached(db_url: str, secret_env: None) -> None:
    w = wf(ctask("a", "keyed", inputs={"api_key": {"secret": "SERVICE_KEY"}}, cache=True))
    run(w, db=db_url)
    assert run(w, db=db_url).tasks["a"].cache_hit is False


@pytest.mark.parametrize(("key", "where"), [("api_key", "inputs"), ("ibm_token", "inputs")])
def test_an_inline_credential_is_refused_with_the_secret_form(
    db_url: str, key: str, where: str
) -> None:
    w = wf(ctask("a", "keyed", inputs={key: VALUE}))
    with pytest.raises(SpecError) as info:
        run(w, db=db_url)
    # (keyed() takes api_key only: an ibm_token input is also an unknown parameter)
    (problem,) = [p for p in info.value.problems if "secret" in p.message]
    name = key.upper()
    assert (problem.task, problem.field) == ("a", f"{where}.{key}")
    assert (
        f"{{secret: {name}}}" in problem.message and f"QUANTUMFLOW_SECRET_{name}" in problem.message
    )
    w = wf(ctask("a", "keyed", inputs={"api_key": {"param": "p"}}))
    w["params"] = {"password": VALUE}
    with pytest.raises(SpecError, match=r"params.password.*\{secret: PASSWORD\}"):
        run(w, db=db_url)


def test_a_secret_that_is_not_set_is_found_before_the_run(db_url: str) -> None:
    with pytest.raises(SpecError, match="secret 'SERVICE_KEY' is not set"):
        run(spec(), db=db_url)
