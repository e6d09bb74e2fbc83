"""Backend registry: built-in adapters plus the ``quantumflow.backends`` entry-point group.

A backend name is ``FAMILY`` or ``FAMILY:ARG`` (``qiskit.fake:fake_manila``,
``pennylane:lightning.qubit``). An entry point named ``FAMILY`` points at a class (or
factory) called with ``ARG`` (or None); third parties register theirs the same way::

    [project.entry-points."quantumflow.backends"]
    "mysim" = "mypkg.backend:MyBackend"
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import threading
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any

from ..errors import BackendError
from .base import Backend, BackendInfo
from .sdks import SDKS

log = logging.getLogger(__name__)

GROUP = "quantumflow.backends"


@dataclass(frozen=True)
class Family:
    """How to build a built-in backend family and what it needs.

    Attributes:
        target: ``module:class`` of the adapter (called with the name's ``ARG`` or None).
        sdk: its SDK in :data:`~quantumflow.backends.sdks.SDKS` (worker, extra, versions).
        modules: the SDK modules it imports (all must be installed for it to be usable).
        examples: backend names listed by ``quantumflow backends`` and the designer.
        note: shown beside them.
        remote: a cloud service: jobs wait in its queue, not in a local worker.
        jobs: remote: jobs the engine keeps in the provider's queue at once.
        batches: its adapter runs several tasks' jobs in few native calls (``run_batch``).
        modes: remote: its adapter groups a run's jobs in a provider context (IBM Runtime
            ``Batch``/``Session``: ``close_mode``).
    """

    target: str
    sdk: str
    modules: tuple[str, ...]
    examples: tuple[str, ...] = ()
    note: str = ""
    remote: bool = False
    jobs: int = 0
    batches: bool = True
    modes: bool = False
    # "module:function(arg) -> hint | None": what is missing to use it (checked offline)
    credentials: str = ""

    @property
    def extra(self) -> str:
        """The pip extra that installs it."""
        return SDKS[self.sdk].extra


#: The built-in families (the only list of them; third parties use the entry-point group).
BUILTIN: dict[str, Family] = {
    "qiskit.aer": Family(
        "quantumflow.backends.qiskit_backend:AerBackend", "qiskit",
        ("qiskit", "qiskit_aer"), ("qiskit.aer",),
    ),
    "qiskit.fake": Family(
        "quantumflow.backends.qiskit_fake:FakeBackend", "qiskit",
        ("qiskit", "qiskit_aer", "qiskit_ibm_runtime"), ("qiskit.fake:fake_manila",),
        "IBM fake backends: their coupling map, basis gates and noise",
    ),
    "qiskit.ibm": Family(
        "quantumflow.backends.qiskit_ibm:IBMBackend", "qiskit",
        ("qiskit", "qiskit_ibm_runtime"), ("qiskit.ibm:ibm_brisbane",),
        "IBM Quantum (credentials from the environment or the saved account); "
        "qiskit.ibm:fake_* runs in the runtime's local testing mode", remote=True, jobs=3,
        modes=True, credentials="quantumflow.backends.qiskit_ibm:missing_credentials",
    ),
    "cirq.simulator": Family(
        "quantumflow.backends.cirq_backend:CirqBackend", "cirq", ("cirq",), ("cirq.simulator",),
    ),
    "cirq.qsim": Family(
        "quantumflow.backends.cirq_backend:QsimBackend", "cirq", ("cirq", "qsimcirq"),
        ("cirq.qsim",),
    ),
    "cirq.google": Family(
        "quantumflow.backends.cirq_google_backend:GoogleBackend", "cirq",
        ("cirq", "cirq_google"), ("cirq.google:rainbow",),
        "Google Quantum AI processors; offline through cirq-google's virtual engine",
        remote=True, jobs=2, batches=False,
    ),
    "pennylane": Family(
        "quantumflow.backends.pennylane_backend:PennyLaneBackend", "pennylane",
        ("pennylane",), ("pennylane:default.qubit", "pennylane:lightning.qubit"),
    ),
}  # fmt: skip

_lock = threading.Lock()
_instances: dict[str, Backend] = {}


def split_name(name: str) -> tuple[str, str | None]:
    """``'qiskit.fake:fake_manila'`` -> ``('qiskit.fake', 'fake_manila')``."""
    family, sep, arg = name.partition(":")
    return family, (arg if sep else None)


def _entry_points() -> dict[str, Any]:
    return {ep.name: ep for ep in entry_points(group=GROUP)}


_plugins: dict[str, Any] | None = None


def _families(*, refresh: bool = False) -> dict[str, Family | Any]:
    # scanning installed distributions costs ~0.1 s, so it is done once (again on a miss)
    global _plugins  # noqa: PLW0603
    if _plugins is None or refresh:
        _plugins = {
            name: ep
            for name, ep in _entry_points().items()
            if name not in BUILTIN or ep.value != BUILTIN[name].target
        }
    return {**BUILTIN, **_plugins}


def sdk_installed(family: Family) -> bool:
    """Whether every module the family needs can be imported (without importing it)."""
    return all(importlib.util.find_spec(m) is not None for m in family.modules)


def _missing(name: str, family: Family) -> BackendError:
    return BackendError(
        f"backend '{name}' needs `pip install quantumflow[{family.extra}]`", backend=name
    )


def resolve_family(name: str) -> Family | Any:
    """The :class:`Family` (or third-party entry point) for a backend name.

    Raises:
        BackendError: unknown backend (the message lists the known ones).
    """
    family, _ = split_name(name)
    families = _families()
    if family not in families:
        families = _families(refresh=True)
    if family not in families:
        known = ", ".join(sorted(families))
        raise BackendError(f"unknown backend '{name}' (known: {known})", backend=name)
    return families[family]


def get_backend(name: str) -> Backend:
    """The backend instance for ``name`` (built once, then shared).

    Raises:
        BackendError: unknown backend, or its SDK is not installed.
    """
    with _lock:
        cached = _instances.get(name)
    if cached is not None:
        return cached
    fam = resolve_family(name)
    _, arg = split_name(name)
    if isinstance(fam, Family):
        if not sdk_installed(fam):
            raise _missing(name, fam)
        module, _, attr = fam.target.partition(":")
        factory = getattr(importlib.import_module(module), attr)
    else:
        try:
            factory = fam.load()
        except ImportError as exc:
            raise BackendError(f"backend '{name}' failed to load: {exc}", backend=name) from exc
    backend: Backend = factory(arg)
    with _lock:
        return _instances.setdefault(name, backend)


def local_sdk(name: str) -> str | None:
    """The SDK whose warm worker processes run backend ``name``, or None (in the engine's
    thread): a built-in local simulator's SDK, or the ``sdk`` a local plugin declares.

    Raises:
        BackendError: unknown backend.
    """
    fam = resolve_family(name)
    if isinstance(fam, Family):
        return None if fam.remote else fam.sdk
    try:  # plugins are loaded in this process anyway; asking one costs nothing extra
        backend = get_backend(name)
        remote = bool(getattr(backend.capabilities(), "remote", False))
    except Exception:  # validation reported it; the attempt will fail with the reason
        return None
    sdk = getattr(backend, "sdk", None)
    return sdk if isinstance(sdk, str) and sdk and not remote else None


def batches(name: str) -> bool:
    """Whether backend ``name`` runs several tasks' jobs in few native calls (its adapter
    has ``run_batch``); a built-in family says so without loading its SDK."""
    try:
        fam = resolve_family(name)
    except BackendError:
        return False
    if isinstance(fam, Family):
        return fam.batches
    try:
        backend = get_backend(name)
    except Exception:  # validation reported it
        return False
    return any(callable(getattr(backend, m, None)) for m in ("run_batch", "submit_batch"))


def has_modes(name: str) -> bool:
    """Whether backend ``name`` groups a run's jobs in a Batch/Session (``close_mode``)."""
    try:
        fam = resolve_family(name)
    except BackendError:
        return False
    if isinstance(fam, Family):
        return fam.modes
    try:
        return callable(getattr(get_backend(name), "close_mode", None))
    except Exception:  # validation reported it
        return False


def list_backends() -> list[BackendInfo]:
    """Every known backend family with example names, whether installed, and capabilities."""
    rows: list[BackendInfo] = []
    for fam_name, fam in sorted(_families(refresh=True).items()):
        if not isinstance(fam, Family):
            rows.append(_third_party_row(fam_name))
            continue
        installed = sdk_installed(fam)
        for example in fam.examples:
            if not installed:
                note = f"SDK not installed: `pip install quantumflow[{fam.extra}]`"
                rows.append(BackendInfo(example, fam.sdk, False, False, None, note, "sdk_missing"))
                continue
            missing = missing_credentials(example)
            if missing:
                rows.append(
                    BackendInfo(example, fam.sdk, True, False, None, missing, "needs_credentials")
                )
                continue
            caps = None
            if ":" not in example:
                try:
                    caps = get_backend(example).capabilities().to_dict()
                except BackendError as exc:
                    log.debug("backend %s not usable: %s", example, exc)
            rows.append(BackendInfo(example, fam.sdk, True, True, caps, fam.note))
    return rows


def missing_credentials(name: str) -> str | None:
    """What a backend lacks to be used, e.g. ``"needs credentials: set QISKIT_IBM_TOKEN …"``;
    None when nothing is missing (or its family has no credentials to check).

    The check is the SDK's own, offline: it looks for a saved account or the SDK's
    environment variables, never contacts the provider and never returns their values.
    """
    fam = resolve_family(name)
    if not isinstance(fam, Family) or not fam.credentials:
        return None
    module, _, attr = fam.credentials.partition(":")
    hint: str | None = getattr(importlib.import_module(module), attr)(split_name(name)[1])
    return hint


def _third_party_row(name: str) -> BackendInfo:
    try:
        backend = get_backend(name)
        caps = backend.capabilities().to_dict()
        return BackendInfo(name, getattr(backend, "sdk", "?"), True, True, caps, "plugin")
    except Exception as exc:  # a broken plugin must not break the listing
        return BackendInfo(
            name, "?", True, False, None, f"plugin failed to load: {exc}", "unavailable"
        )
