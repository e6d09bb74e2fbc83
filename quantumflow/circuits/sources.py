"""Turn a task's ``circuit`` source (QASM text/file, built-in, callable) into the IR.

Every source ends in the same IR; SDK circuit objects returned by callables are exported
to OpenQASM by their own SDK and parsed by our one parser, so they get the same checks.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import json
from pathlib import Path
from typing import Any

from .._cache import IdentityCache
from ..config import files_root, module_policy
from ..errors import BackendError, ModuleNotAllowedError, Problem, not_allowed_message
from ..spec import CircuitSource
from .generators import generate
from .ir import Circuit
from .lexer import QasmError
from .qasm import parse_qasm


def load_circuit(source: CircuitSource) -> Circuit:
    """The IR circuit for a task's circuit source (parsed results are cached).

    Raises:
        QasmError: bad QASM (message has the line).
        BackendError: missing file, unknown generator, a callable that fails or returns
            something that is not a circuit.
        UnsupportedFeatureError: QASM features the IR cannot express.
    """
    if source.qasm is not None:
        return _QASM(source)
    if source.qasm_file is not None:
        return _parse_file(source.qasm_file)
    if source.builtin is not None:
        return _builtin(source.builtin, json.dumps(source.args, sort_keys=True, default=str))
    assert source.callable is not None  # the spec validator guarantees exactly one source
    return from_object(_call(source.callable, source.args))


#: A task's parsed QASM, per source object: validation, the plan's cost estimate, the cache
#: key and the attempt read the same task's circuit, and the text cache (256 texts) would
#: be cycled through by a workflow of more tasks than that, parsing each one every time.
_QASM: IdentityCache[CircuitSource, Circuit] = IdentityCache(
    lambda source: parse_qasm(source.qasm or ""), size=8192
)


@functools.lru_cache(maxsize=256)
def _builtin(name: str, args_json: str) -> Circuit:
    return generate(name, json.loads(args_json))


def qasm_file_path(name: str) -> Path:
    """Where a task's ``qasm_file`` is: relative paths are under the server's root (when
    one is set, the file must be too; symbolic links are followed first).

    Raises:
        BackendError: the path leaves the root.
    """
    root = files_root()
    path = Path(name).expanduser()
    if root is None:
        return path
    full = (root / path).resolve()
    if not full.is_relative_to(root):
        raise BackendError(
            f"qasm_file '{name}' is outside the server's root directory; give a path "
            "under it (relative paths start there)"
        )
    return full


def _parse_file(name: str) -> Circuit:
    """Read and parse a ``qasm_file``; errors name the file and line, never its content
    (the file may not be QASM at all)."""
    path = qasm_file_path(name)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise BackendError(f"QASM file '{name}' is not UTF-8 text") from None
    except OSError as exc:
        raise BackendError(f"cannot read QASM file '{name}': {exc.strerror}") from None
    try:
        return parse_qasm(text)
    except QasmError as exc:
        raise QasmError(f"QASM file '{name}' cannot be read as OpenQASM", line=exc.line) from None
    except BackendError as exc:  # unsupported features, limits: their own words, no content
        raise type(exc)(
            f"QASM file '{name}' uses something this parser does not support or allow "
            f"({type(exc).__name__})",
            backend=exc.backend,
        ) from None


def _split(path: str) -> tuple[str, str]:
    module, _, attr = path.partition(":")
    if not module or not attr:
        raise BackendError(f"circuit callable '{path}' must look like 'package.module:function'")
    if not module_policy().allows(module):
        raise ModuleNotAllowedError([Problem(not_allowed_message(module))], [module])
    return module, attr


def locate_callable(path: str) -> None:
    """Check a circuit callable without calling it: its module is allowed and exists (and,
    where every module is trusted, has the attribute).

    Raises:
        ModuleNotAllowedError: the module is outside this process's allow-list.
        BackendError: it cannot be found.
    """
    module, attr = _split(path)
    if not module_policy().trusted:  # allow-listed: located, its code not run
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            raise BackendError(f"cannot import circuit callable '{path}': no module '{module}'")
        return
    try:
        fn = getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError) as exc:
        raise BackendError(f"cannot import circuit callable '{path}': {exc}") from exc
    if not callable(fn):
        raise BackendError(f"circuit callable '{path}' is not callable")


def _call(path: str, args: dict[str, Any]) -> Any:
    module, attr = _split(path)
    try:
        fn = getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError) as exc:
        raise BackendError(f"cannot import circuit callable '{path}': {exc}") from exc
    try:
        return fn(**args)
    except Exception as exc:
        raise BackendError(f"circuit callable '{path}' raised {type(exc).__name__}: {exc}") from exc


def from_object(obj: Any) -> Circuit:
    """An IR circuit from QASM text or a Qiskit / Cirq / PennyLane circuit object."""
    if isinstance(obj, Circuit):
        return obj
    if isinstance(obj, str):
        return parse_qasm(obj)
    kind = f"{type(obj).__module__}.{type(obj).__qualname__}"
    if kind.startswith("qiskit."):
        return parse_qasm(_qiskit_qasm(obj))
    if kind.startswith("cirq."):
        import cirq

        return parse_qasm(cirq.qasm(obj))
    if kind.startswith("pennylane."):
        tape = obj
        if hasattr(obj, "to_openqasm"):
            return parse_qasm(tape.to_openqasm(measure_all=False))
    raise BackendError(
        f"a circuit callable returned {kind}; return QASM text or a Qiskit QuantumCircuit, "
        "cirq.Circuit or PennyLane QuantumScript"
    )


def _qiskit_qasm(qc: Any) -> str:
    if qc.parameters:
        from qiskit import qasm3

        return str(qasm3.dumps(qc))
    from qiskit import qasm2

    return str(qasm2.dumps(qc))
