"""The QuantumFlow error hierarchy.

Every error a user can cause is a :class:`QuantumFlowError` with a message that says what is
wrong and what to do next. Entry points (CLI, magics, API) print ``str(err)`` and never a
traceback; the user's own exception, if any, rides along as ``__cause__``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

#: What kind of failure an error is: a retry may help the transient ones, never the
#: permanent ones. ``task_error`` is an exception raised by a classical task's own code.
ErrorClass = Literal[
    "transient", "permanent", "any",
    "network", "rate_limit", "queue_timeout", "worker_lost", "timeout", "provider",
    "invalid_circuit", "credentials", "unsupported", "resource_limit", "budget",
    "invalid_input", "backend", "task_error",
]  # fmt: skip
TRANSIENT = frozenset(
    {"network", "rate_limit", "queue_timeout", "worker_lost", "timeout", "provider"}
)
PERMANENT = frozenset(
    {"invalid_circuit", "credentials", "unsupported", "resource_limit", "budget",
     "invalid_input", "backend"}
)  # fmt: skip
ERROR_CLASSES = frozenset(get_args(ErrorClass)) - {"transient", "permanent", "any"}


class QuantumFlowError(Exception):
    """Base class of every error QuantumFlow raises on purpose."""

    #: Process exit code used by the CLI for this class of error.
    exit_code: int = 2


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a spec: where it is (task and field) and what is wrong."""

    message: str
    task: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = ".".join(p for p in (self.task and f"task '{self.task}'", self.field) if p)
        return f"{where}: {self.message}" if where else self.message


class SpecError(QuantumFlowError):
    """A workflow spec is malformed or inconsistent. Nothing has run.

    Attributes:
        problems: every problem found, each naming the task and field.
    """

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = problems
        super().__init__("\n".join(str(p) for p in problems))


class CycleError(SpecError):
    """The task graph has a cycle. ``cycle`` lists its task ids in order."""

    def __init__(self, cycle: list[str]) -> None:
        self.cycle = cycle
        path = " -> ".join([*cycle, cycle[0]]) if cycle else "?"
        super().__init__(Problem(f"dependency cycle: {path}", field="depends_on"))


class ModuleNotAllowedError(SpecError):
    """A task names a function or circuit callable from a module this server does not run
    (``quantumflow serve`` and the container images run only allow-listed modules).

    Attributes:
        modules: the modules refused.
    """

    def __init__(self, problems: list[Problem], modules: list[str]) -> None:
        self.modules = modules
        super().__init__(problems)


def not_allowed_message(module: str) -> str:
    """Why ``module`` is refused, and how an operator allows it."""
    return (
        f"module '{module}' is not allowed here: this server runs only functions from "
        "allow-listed modules (quantumflow.library by default; an operator adds modules "
        "with `quantumflow serve --allow-module NAME` or QUANTUMFLOW_ALLOW_MODULES)"
    )


class BackendError(QuantumFlowError):
    """A quantum backend could not run a task (unknown, not installed, refused, failed).

    Attributes:
        backend: the backend's name, when known.
        error_class: what kind of failure (see :data:`ErrorClass`); by default ``provider``
            (transient) when ``retryable``, else ``backend`` (permanent).
        retryable: whether the class is transient.
    """

    exit_code = 1
    default_class = "backend"

    def __init__(
        self,
        message: str,
        *,
        backend: str | None = None,
        retryable: bool = False,
        error_class: str | None = None,
    ) -> None:
        self.backend = backend
        if error_class is None:
            error_class = "provider" if retryable else self.default_class
        self.error_class = error_class
        self.retryable = error_class in TRANSIENT
        super().__init__(message)


class UnsupportedFeatureError(BackendError):
    """The backend cannot do what the circuit asks (message says 'unsupported' and names it)."""

    default_class = "unsupported"


class ResourceLimitError(BackendError):
    """A circuit is too large for the backend or for memory; refused before allocation."""

    default_class = "resource_limit"


class CredentialsError(BackendError):
    """Cloud credentials are missing or rejected."""

    default_class = "credentials"


class TaskFailedError(QuantumFlowError):
    """A task raised; ``__cause__`` is the user's exception."""

    exit_code = 1

    def __init__(self, task: str, message: str) -> None:
        self.task = task
        super().__init__(f"task '{task}' failed: {message}")


class TaskTimeoutError(QuantumFlowError):
    """A task ran past its ``timeout_s``."""

    exit_code = 1
    error_class = "timeout"

    def __init__(self, task: str, timeout_s: float) -> None:
        self.task = task
        self.timeout_s = timeout_s
        super().__init__(f"task '{task}' timed out after {timeout_s:g} s")


class BudgetExceededError(QuantumFlowError):
    """The estimated or spent time/money exceeds the workflow's budget."""

    exit_code = 1
    error_class = "budget"


class RunNotFoundError(QuantumFlowError):
    """No run with that id in the store."""

    def __init__(self, run_id: str) -> None:
        self.run_id = run_id
        super().__init__(f"no run with id '{run_id}' (list runs with `quantumflow runs`)")


class RunInProgressError(QuantumFlowError):
    """The run is still running; the operation needs it finished (cancel it first)."""


class WorkflowNotFoundError(QuantumFlowError):
    """No workflow with that id in the store."""

    def __init__(self, workflow_id: str) -> None:
        self.workflow_id = workflow_id
        super().__init__(f"no workflow with id '{workflow_id}'")


class StoreError(QuantumFlowError):
    """The database could not be opened or migrated."""


def error_class_of(err: BaseException) -> str:
    """The :data:`ErrorClass` of an exception: its ``error_class`` attribute, ``invalid_input``
    for spec errors, else ``task_error`` (raised by a task's own code)."""
    cls = getattr(err, "error_class", None)
    if isinstance(cls, str):
        return cls
    if isinstance(err, SpecError):
        return "invalid_input"
    return "task_error"


def should_retry(err: BaseException, retry_on: list[str] | None) -> bool:
    """Whether a failed attempt with ``err`` is worth another (retries left permitting).

    ``retry_on`` None: transient classes and ``task_error``. Otherwise its names:
    ``transient``/``permanent`` for those groups, ``any``, or single classes.
    """
    cls = error_class_of(err)
    if retry_on is None:
        return cls in TRANSIENT or cls == "task_error"
    wanted = set(retry_on)
    return (
        "any" in wanted
        or cls in wanted
        or ("transient" in wanted and cls in TRANSIENT)
        or ("permanent" in wanted and cls in PERMANENT)
    )
