"""Cloud credentials never leak into errors, results or logs."""

from __future__ import annotations

import json
import logging

import pytest

from quantumflow.backends import execute_quantum_task
from quantumflow.backends.qiskit_ibm import IBMBackend
from quantumflow.errors import CredentialsError
from quantumflow.spec import QuantumTask

SECRET = "qf-test-secret-token-7f3a9c"


def test_missing_ibm_account_is_a_credentials_error_without_secrets(
    tmp_path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # an empty home: no saved account; a bogus token in the SDK's own variable
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("QISKIT_IBM_TOKEN", SECRET)
    monkeypatch.setenv("QISKIT_IBM_CHANNEL", "not-a-channel")
    caplog.set_level(logging.DEBUG)
    backend = IBMBackend("ibm_nowhere")
    with pytest.raises(CredentialsError) as info:
        backend.device()
    assert SECRET not in str(info.value)
    assert info.value.__cause__ is None
    assert SECRET not in caplog.text


def test_results_from_local_testing_mode_carry_no_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QISKIT_IBM_TOKEN", SECRET)
    task = QuantumTask(
        id="t",
        backend="qiskit.ibm:fake_manila",
        circuit={"builtin": "ghz", "args": {"n": 2}},
        shots=50,
        seed=1,
    )
    out = execute_quantum_task(task, inputs={})
    text = json.dumps(out)
    assert SECRET not in text
    assert out["metadata"]["local_testing_mode"] is True
    assert out["metadata"]["job_id"]


def test_account_check_follows_the_sdk_and_says_what_to_set(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quantumflow.backends import qiskit_ibm

    monkeypatch.setenv("HOME", str(tmp_path))  # no saved account
    monkeypatch.delenv("QISKIT_IBM_TOKEN", raising=False)
    monkeypatch.setattr(qiskit_ibm, "_account", None)
    hint = qiskit_ibm.missing_credentials("ibm_brisbane")
    assert hint is not None and "QISKIT_IBM_TOKEN" in hint
    assert qiskit_ibm.missing_credentials("fake_manila") is None  # local testing mode
    # the SDK's own variable is enough (checked offline; the token is not read by us)
    monkeypatch.setenv("QISKIT_IBM_TOKEN", SECRET)
    monkeypatch.setattr(qiskit_ibm, "_account", None)
    assert qiskit_ibm.missing_credentials("ibm_brisbane") is None
