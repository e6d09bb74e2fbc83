"""One Settings object: the only place that reads ``QUANTUMFLOW_*`` environment variables."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path


def _jupyter_data_dir() -> Path:
    # jupyter_core knows the platform rules (XDG, JUPYTER_DATA_DIR); import lazily.
    try:
        from jupyter_core.paths import jupyter_data_dir
    except ImportError:  # pragma: no cover - jupyter_core ships with jupyter_server
        return Path.home() / ".local" / "share" / "jupyter"
    return Path(jupyter_data_dir())


def _env_float(name: str, default: float | None) -> float | None:
    raw = os.environ.get(name)
    return float(raw) if raw not in (None, "") else default


def _mebibytes(name: str) -> int | None:
    value = _env_float(name, None)
    if value is None:
        return None
    if value <= 0:
        raise ValueError(f"{name} must be a positive number of MiB, not {value:g}")
    return int(value * 2**20)


def _modules(raw: str | None) -> tuple[str, ...] | None:
    if raw is None:
        return None
    names = tuple(n for n in raw.replace(",", " ").split() if n)
    for name in names:
        if not all(part.isidentifier() for part in name.split(".")):
            raise ValueError(f"QUANTUMFLOW_ALLOW_MODULES: {name!r} is not a module name")
    return names


def _default_writer() -> str:
    # the writer process needs POSIX pipes with select(); one core gains nothing from it
    if sys.platform == "win32" or (os.cpu_count() or 1) < 2:
        return "thread"
    return "process"


def _store_writer(raw: str | None) -> str:
    if raw in (None, ""):
        return _default_writer()
    if raw not in ("process", "thread"):
        raise ValueError(f"QUANTUMFLOW_STORE_WRITER must be 'process' or 'thread', not {raw!r}")
    return raw


def _default_home() -> Path:
    raw = os.environ.get("QUANTUMFLOW_HOME")
    return Path(raw).expanduser() if raw else _jupyter_data_dir() / "quantumflow"


@dataclass(frozen=True)
class Limits:
    """Bounds on what a request, a spec or a circuit may make QuantumFlow do, checked where
    the input is read so that hostile input is refused quickly and in little memory, and
    anything stored can be read back (docs/security.md lists them).

    Attributes:
        qasm_ops: operations a QASM circuit may expand to, gate definitions inlined and
            registers broadcast; counted before expanding (``QUANTUMFLOW_MAX_QASM_OPS``).
        qasm_nesting: how deep gate definitions may call each other
            (``QUANTUMFLOW_MAX_QASM_NESTING``).
        qasm_qubits: qubits (and, separately, bits) a QASM circuit may declare
            (``QUANTUMFLOW_MAX_QASM_QUBITS``).
        qasm_bytes: the size of QASM text or a ``qasm_file`` (``QUANTUMFLOW_MAX_QASM_MB``).
        json_depth: nesting of a spec's or request's JSON values: inputs, params, args
            (``QUANTUMFLOW_MAX_JSON_DEPTH``).
        body_bytes: an API request body (``QUANTUMFLOW_MAX_BODY_MB``).
    """

    qasm_ops: int = 1_000_000
    qasm_nesting: int = 32
    qasm_qubits: int = 4096
    qasm_bytes: int = 16 * 2**20
    json_depth: int = 64
    body_bytes: int = 4 * 2**20


def too_deep(value: object, limit: int) -> bool:
    """Whether ``value`` (JSON-like: dicts, lists, tuples) nests deeper than ``limit``
    levels; stops at the first branch that does (iterative: no recursion limit)."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: object = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)  # type: ignore[attr-defined]
    return False


def clip_depth(value: object, limit: int) -> object:
    """``value`` with every container deeper than ``limit`` levels replaced by a note
    saying so (for showing stored records made before the limit existed)."""
    if not too_deep(value, limit):
        return value

    def clip(item: object, depth: int) -> object:
        if not isinstance(item, dict | list | tuple):
            return item
        if depth > limit:
            return f"(nested deeper than {limit} levels: not shown)"
        if isinstance(item, dict):
            return {k: clip(v, depth + 1) for k, v in item.items()}
        return [clip(v, depth + 1) for v in item]

    return clip(value, 1)


def _limits() -> Limits:
    def whole(name: str, default: int) -> int:
        raw = os.environ.get(name)
        if raw in (None, ""):
            return default
        value = int(raw)
        if value < 1:
            raise ValueError(f"{name} must be at least 1, not {value}")
        return value

    base = Limits()
    return Limits(
        qasm_ops=whole("QUANTUMFLOW_MAX_QASM_OPS", base.qasm_ops),
        qasm_nesting=whole("QUANTUMFLOW_MAX_QASM_NESTING", base.qasm_nesting),
        qasm_qubits=whole("QUANTUMFLOW_MAX_QASM_QUBITS", base.qasm_qubits),
        qasm_bytes=_mebibytes("QUANTUMFLOW_MAX_QASM_MB") or base.qasm_bytes,
        json_depth=whole("QUANTUMFLOW_MAX_JSON_DEPTH", base.json_depth),
        body_bytes=_mebibytes("QUANTUMFLOW_MAX_BODY_MB") or base.body_bytes,
    )


#: Past this many, more workers per SDK mostly add memory (a worker imports its SDK).
MAX_DEFAULT_QUANTUM_WORKERS = 4


def default_quantum_workers() -> int:
    """Workers per SDK unless ``QUANTUMFLOW_QUANTUM_WORKERS`` says: one per core, up to
    :data:`MAX_DEFAULT_QUANTUM_WORKERS` (a batch of many small circuits is split between
    them; a big simulation still gets every core, see :mod:`.executors.sdk_workers`)."""
    return max(1, min(MAX_DEFAULT_QUANTUM_WORKERS, os.cpu_count() or 1))


@dataclass(frozen=True)
class Settings:
    """Runtime settings, from ``QUANTUMFLOW_*`` environment variables with sensible defaults.

    Attributes:
        db: SQLAlchemy URL or file path of the store (``QUANTUMFLOW_DB``).
        home: directory for the default database and artifacts (``QUANTUMFLOW_HOME``).
        token: bearer token for ``quantumflow serve`` (``QUANTUMFLOW_TOKEN``).
        dask_address: default Dask scheduler address (``QUANTUMFLOW_DASK_ADDRESS``).
        max_memory_bytes: statevector memory limit; None = what the machine has free
            (``QUANTUMFLOW_MAX_MEMORY_GB``).
        workers: default worker count for local executors (``QUANTUMFLOW_WORKERS``).
        quantum_workers: most worker processes per quantum SDK that run local simulator
            tasks (each started when first needed; default: the cores, at most
            :data:`MAX_DEFAULT_QUANTUM_WORKERS`); 0 runs them in the engine's own process
            (``QUANTUMFLOW_QUANTUM_WORKERS``).
        store_writer: where a SQLite store group-commits task events: ``process`` (a writer
            process, the default with more than one core) or ``thread`` (a thread of the
            engine's process) (``QUANTUMFLOW_STORE_WRITER``).
        store_max_bytes: the largest a SQLite store file may grow; past it writes fail as on
            a full disk and runs end ``store_error`` (``QUANTUMFLOW_STORE_MAX_MB``; None:
            no limit but the disk's).
        allow_modules: modules (and their submodules) whose functions and circuit callables
            tasks may use, besides ``quantumflow.library``; set, it turns the allow-list on
            in every process (``QUANTUMFLOW_ALLOW_MODULES``, comma-separated). ``quantumflow
            serve`` always uses an allow-list (docs/security.md).
        limits: bounds on hostile input (:class:`Limits`, ``QUANTUMFLOW_MAX_*``).
        secrets_file: ``NAME=value`` lines that ``{secret: NAME}`` inputs read when no
            ``QUANTUMFLOW_SECRET_NAME`` variable is set (``QUANTUMFLOW_SECRETS_FILE``;
            default ``secrets.env`` in ``home``).
    """

    home: Path = field(default_factory=_default_home)
    db: str | None = None
    token: str | None = None
    dask_address: str | None = None
    max_memory_bytes: int | None = None
    workers: int = field(default_factory=lambda: max(1, os.cpu_count() or 1))
    quantum_workers: int = field(default_factory=default_quantum_workers)
    store_writer: str = field(default_factory=_default_writer)
    store_max_bytes: int | None = None
    allow_modules: tuple[str, ...] | None = None
    limits: Limits = field(default_factory=Limits)
    secrets_file: Path | None = None

    @property
    def db_url(self) -> str:
        """The store's SQLAlchemy URL (a bare path becomes a SQLite URL)."""
        raw = self.db or str(self.home / "quantumflow.db")
        return raw if "://" in raw else f"sqlite:///{Path(raw).expanduser().resolve()}"

    @property
    def artifacts_dir(self) -> Path:
        """Where large task outputs are kept, content-addressed."""
        return self.home / "artifacts"


def load_settings() -> Settings:
    """Read the environment now (call again after changing ``os.environ`` in tests)."""
    mem_gb = _env_float("QUANTUMFLOW_MAX_MEMORY_GB", None)
    workers = os.environ.get("QUANTUMFLOW_WORKERS")
    quantum = os.environ.get("QUANTUMFLOW_QUANTUM_WORKERS")
    return Settings(
        home=_default_home(),
        db=os.environ.get("QUANTUMFLOW_DB") or None,
        token=os.environ.get("QUANTUMFLOW_TOKEN") or None,
        dask_address=os.environ.get("QUANTUMFLOW_DASK_ADDRESS") or None,
        max_memory_bytes=int(mem_gb * 2**30) if mem_gb is not None else None,
        workers=int(workers) if workers else max(1, os.cpu_count() or 1),
        quantum_workers=max(0, int(quantum)) if quantum else default_quantum_workers(),
        store_writer=_store_writer(os.environ.get("QUANTUMFLOW_STORE_WRITER")),
        store_max_bytes=_mebibytes("QUANTUMFLOW_STORE_MAX_MB"),
        allow_modules=_modules(os.environ.get("QUANTUMFLOW_ALLOW_MODULES")),
        limits=_limits(),
        secrets_file=Path(raw).expanduser()
        if (raw := os.environ.get("QUANTUMFLOW_SECRETS_FILE"))
        else None,
    )


#: Modules every allow-list includes: QuantumFlow's own task functions (the built-in
#: library, and the combining step validation adds for error mitigation).
BUILTIN_MODULES = ("quantumflow.library", "quantumflow.mitigation")


@dataclass(frozen=True)
class ModulePolicy:
    """Which modules a task's ``fn`` and a circuit ``callable`` may come from.

    Attributes:
        allowed: module names (each with its submodules); None trusts every module (Jupyter,
            the CLI and Python, where whoever sends a workflow can run code anyway).
    """

    allowed: tuple[str, ...] | None = None

    @property
    def trusted(self) -> bool:
        """True when every module may be imported and run."""
        return self.allowed is None

    def allows(self, module: str) -> bool:
        """Whether functions of ``module`` may be imported and run."""
        if self.allowed is None:
            return True
        return any(module == name or module.startswith(name + ".") for name in self.allowed)

    @classmethod
    def allow_list(cls, extra: tuple[str, ...] = ()) -> ModulePolicy:
        """An allow-list: the built-in library, ``extra`` and ``QUANTUMFLOW_ALLOW_MODULES``."""
        names = (*BUILTIN_MODULES, *(load_settings().allow_modules or ()), *extra)
        return cls(tuple(dict.fromkeys(names)))


_policy: ModulePolicy | None = None
#: The policy the environment gives, with the variable's text it was made from.
_from_env: tuple[str | None, ModulePolicy] | None = None


def module_policy(settings: Settings | None = None) -> ModulePolicy:
    """This process's policy: what :func:`set_module_policy` set (``quantumflow serve``, a
    worker told by its engine), else an allow-list when ``QUANTUMFLOW_ALLOW_MODULES`` is
    set, else trust every module. Cheap: workers ask once per call."""
    global _from_env  # noqa: PLW0603 - remembered per process, remade when the variable changes
    if _policy is not None:
        return _policy
    raw = os.environ.get("QUANTUMFLOW_ALLOW_MODULES")
    cached = _from_env
    if cached is None or cached[0] != raw:
        allowed = (settings or load_settings()).allow_modules
        cached = _from_env = (raw, ModulePolicy() if allowed is None else ModulePolicy.allow_list())
    return cached[1]


def set_module_policy(policy: ModulePolicy | None) -> None:
    """Make ``policy`` this process's (None: back to the environment's)."""
    global _policy  # noqa: PLW0603 - one policy per process, set by its entry point
    _policy = policy


_files_root: Path | None = None


def files_root() -> Path | None:
    """The directory a task's ``qasm_file`` must be under (None: any file this process may
    read): the Jupyter server's ``root_dir``, ``quantumflow serve --root``."""
    return _files_root


def set_files_root(root: Path | str | None) -> None:
    """Confine ``qasm_file`` paths to ``root`` in this process (None: no confinement)."""
    global _files_root  # noqa: PLW0603 - one root per process, set by its entry point
    _files_root = None if root is None else Path(root).expanduser().resolve()


#: What a worker process needs to apply its engine's policy and root: plain values.
TrustState = tuple[tuple[str, ...] | None, str | None]


def trust_state() -> TrustState:
    """This process's module allow-list and files root, to hand to its worker processes."""
    root = files_root()
    return module_policy().allowed, None if root is None else str(root)


def restore_trust(state: TrustState) -> None:
    """In a worker process: apply the allow-list and root its engine handed over."""
    allowed, root = state
    set_module_policy(ModulePolicy(None if allowed is None else tuple(allowed)))
    set_files_root(root)


#: ``{secret: NAME}``: NAME is an identifier (``IBM_TOKEN``), looked up as
#: ``QUANTUMFLOW_SECRET_<NAME>`` in the environment, then in the secrets file.
SECRET_PREFIX = "QUANTUMFLOW_SECRET_"  # noqa: S105 - a variable name, not a value
_secrets_cache: dict[Path, tuple[float, dict[str, str]]] = {}


def secrets_file() -> Path:
    """Where ``{secret: NAME}`` values are read when the environment has none."""
    settings = load_settings()
    return settings.secrets_file or settings.home / "secrets.env"


class Secret(str):
    """A secret's value: a ``str`` whose ``repr`` is ``'***'`` (tracebacks, logs and
    reprs of the arguments a task got do not show it); task errors are redacted too."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "'***'"


def secret_value(name: str) -> Secret | None:
    """The value of secret ``name``: ``QUANTUMFLOW_SECRET_<NAME>``, else the ``NAME=``
    line of :func:`secrets_file`; None when neither has it. Only this prefix and this file
    are read, so a workflow cannot ask for other variables of the server's environment."""
    if not name.isidentifier():
        return None
    value = os.environ.get(SECRET_PREFIX + name)
    if value is None:
        value = _file_secrets(secrets_file()).get(name)
    return None if value is None else Secret(value)


def _file_secrets(path: Path) -> dict[str, str]:
    """The secrets file's ``NAME=value`` lines (re-read when it changes; ``#`` comments)."""
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return {}
    cached = _secrets_cache.get(path)
    if cached is not None and cached[0] == mtime:
        return cached[1]
    values: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    for line in text.splitlines():
        key, sep, value = line.strip().partition("=")
        key, value = key.strip(), value.strip()
        if not sep or key.startswith("#") or not key.isidentifier():
            continue
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key] = value
    _secrets_cache[path] = (mtime, values)
    return values
