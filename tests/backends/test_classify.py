"""Backend errors by class: transient ones are worth a retry, permanent ones never."""

from __future__ import annotations

import pytest

from quantumflow.backends.classify import classify
from quantumflow.circuits import QasmError, parse_qasm
from quantumflow.errors import (
    PERMANENT,
    TRANSIENT,
    BackendError,
    CredentialsError,
    UnsupportedFeatureError,
    should_retry,
)


class HTTPStatusError(Exception):
    """An HTTP client's error carrying the response status, as requests/httpx do."""

    def __init__(self, status_code: int) -> None:
        super().__init__(f"HTTP {status_code}")
        self.status_code = status_code


def test_network_trouble_is_transient() -> None:
    assert classify(ConnectionRefusedError(111, "Connection refused")) == "network"
    assert classify(TimeoutError("timed out")) == "network"
    assert classify(HTTPStatusError(429)) == "rate_limit"
    assert classify(HTTPStatusError(503)) == "provider"
    assert classify(HTTPStatusError(504)) == "network"


def test_sdk_errors_are_read_by_their_type() -> None:
    from qiskit.circuit.exceptions import CircuitError
    from qiskit.transpiler.exceptions import TranspilerError
    from qiskit_ibm_runtime.exceptions import (
        IBMInputValueError,
        RuntimeJobFailureError,
        RuntimeJobMaxTimeoutError,
    )

    assert classify(CircuitError("bad")) == "invalid_circuit"
    assert classify(TranspilerError("no route")) == "invalid_circuit"
    assert classify(RuntimeJobFailureError("internal error")) == "provider"
    assert classify(RuntimeJobMaxTimeoutError("timeout")) == "queue_timeout"
    assert classify(IBMInputValueError("bad input")) == "invalid_input"
    assert classify(HTTPStatusError(401)) == "credentials"
    assert classify(ValueError("something else")) == "backend"


def test_our_errors_carry_their_class() -> None:
    with pytest.raises(QasmError) as bad:
        parse_qasm("OPENQASM 2.0; qreg q[1]; frobnicate q[0];")
    assert bad.value.error_class == "invalid_circuit" and not bad.value.retryable
    assert UnsupportedFeatureError("x").error_class == "unsupported"
    assert CredentialsError("x").error_class == "credentials"
    assert BackendError("x", retryable=True).error_class == "provider"
    assert BackendError("x", error_class="network").retryable is True
    assert TRANSIENT.isdisjoint(PERMANENT)


@pytest.mark.parametrize(
    ("err", "retry_on", "expected"),
    [
        (BackendError("x", error_class="network"), None, True),
        (BackendError("x", error_class="invalid_circuit"), None, False),
        (RuntimeError("user code"), None, True),  # a classical task's own exception
        (RuntimeError("user code"), ["transient"], False),
        (BackendError("x", error_class="invalid_circuit"), ["permanent"], True),
        (BackendError("x", error_class="rate_limit"), ["network"], False),
        (BackendError("x", error_class="rate_limit"), ["rate_limit"], True),
        (BackendError("x", error_class="credentials"), ["any"], True),
    ],
)
def test_retry_on_chooses_the_classes(
    err: BaseException, retry_on: list[str] | None, expected: bool
) -> None:
    assert should_retry(err, retry_on) is expected
