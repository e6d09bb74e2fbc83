"""The QuantumFlow error hierarchy.

Every error a user can cause is a :class:`QuantumFlowError` with a message that says what is
wrong and what to do next. Entry points (CLI, magics, API) print ``str(err)`` and never a
traceback; the user's own exception, if any, rides along as ``__cause__``.
"""

from __future__ import annotations

from dataclasses import dataclass


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
    """A quantum backend could not run a task (unknown, not installed, refused, failed)."""

    exit_code = 1

    def __init__(
        self, message: str, *, backend: str | None = None, retryable: bool = False
    ) -> None:
        self.backend = backend
        self.retryable = retryable
        super().__init__(message)


class UnsupportedFeatureError(BackendError):
    """The backend cannot do what the circuit asks (message says 'unsupported' and names it)."""


class ResourceLimitError(BackendError):
    """A circuit is too large for the backend or for memory; refused before allocation."""


class CredentialsError(BackendError):
    """Cloud credentials are missing or rejected."""


class TaskFailedError(QuantumFlowError):
    """A task raised; ``__cause__`` is the user's exception."""

    exit_code = 1

    def __init__(self, task: str, message: str) -> None:
        self.task = task
        super().__init__(f"task '{task}' failed: {message}")


class TaskTimeoutError(QuantumFlowError):
    """A task ran past its ``timeout_s``."""

    exit_code = 1

    def __init__(self, task: str, timeout_s: float) -> None:
        self.task = task
        self.timeout_s = timeout_s
        super().__init__(f"task '{task}' timed out after {timeout_s:g} s")


class BudgetExceededError(QuantumFlowError):
    """The estimated or spent time/money exceeds the workflow's budget."""

    exit_code = 1


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
