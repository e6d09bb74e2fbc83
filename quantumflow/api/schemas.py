"""Request and response models of the REST API.

The JupyterLab extension mirrors these models name for name in ``labextension/src/types.ts``:
keep the class names and field names stable (add fields, don't rename them).
Every request model rejects unknown fields (``extra="forbid"``).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..spec.schema import WorkflowSpecModel
from ..status import RunStatus, TaskStatus

ExecutorName = Literal["threads", "processes"]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Response(BaseModel):
    model_config = ConfigDict(extra="ignore")


# ----------------------------------------------------------------------------- errors


class ProblemDetail(_Response):
    """One thing wrong with a request or a spec, naming the task and field where it can."""

    message: str
    task: str | None = None
    field: str | None = None


class ErrorResponse(_Response):
    """Every error body: a message, or (422) the list of problems."""

    detail: str | list[ProblemDetail]


# ----------------------------------------------------------------------------- workflows


class WorkflowSummary(_Response):
    """A saved workflow in a listing."""

    id: str
    name: str
    description: str | None = None
    task_count: int
    created_at: float
    updated_at: float


class ValidationResult(_Response):
    """Answer to POST /api/workflows/validate: every problem, naming the task and field."""

    ok: bool
    problems: list[ProblemDetail] = Field(default_factory=list)


class PythonExport(_Response):
    """Answer to POST /api/workflows/python: DSL code that rebuilds the posted spec."""

    code: str = Field(description="A Python module that binds `wf`, a quantumflow Workflow.")
    filename: str = Field(description="A file name for it: the workflow's name, as .py.")


class WorkflowDetail(WorkflowSummary):
    """A saved workflow with its full spec."""

    spec: dict[str, Any] = Field(description="The WorkflowSpec (see GET /api/schema).")


class WorkflowCreated(_Response):
    """Answer to POST/PUT /api/workflows."""

    id: str
    name: str


class Deleted(_Response):
    """Answer to a DELETE."""

    id: str
    deleted: bool


# ----------------------------------------------------------------------------- runs


class RunRequest(_Request):
    """Start a run of a saved workflow (``workflow_id``) or of an inline ``spec``."""

    workflow_id: str | None = Field(default=None, max_length=200)
    spec: WorkflowSpecModel | None = None
    params: dict[str, Any] | None = Field(
        default=None, description="Run parameters; override the spec's params."
    )
    executor: ExecutorName = "threads"

    @model_validator(mode="after")
    def _one_source(self) -> RunRequest:
        if (self.workflow_id is None) == (self.spec is None):
            raise ValueError("give exactly one of workflow_id or spec")
        return self


class RerunRequest(_Request):
    """Re-run ``from_task`` and everything downstream; upstream outputs come from the store."""

    from_task: str = Field(min_length=1, max_length=200)
    executor: ExecutorName = "threads"


class RunAccepted(_Response):
    """Answer to a run request: the run goes on in the server process."""

    run_id: str
    workflow_id: str | None = None
    status: RunStatus


class TaskRunInfo(_Response):
    """One task of a run."""

    task_id: str
    status: TaskStatus
    attempts: int = 0
    started_at: float | None = None
    finished_at: float | None = None
    duration: float | None = None
    error: str | None = None
    cache_hit: bool = False
    output_summary: str | None = Field(
        default=None, description="A short, truncated text preview of the task's output."
    )


class RunSummary(_Response):
    """A run in a listing."""

    id: str
    workflow_id: str | None = None
    name: str | None = None
    status: RunStatus
    created_at: float | None = None
    started_at: float | None = None
    finished_at: float | None = None
    error: str | None = None
    cost_usd: float | None = Field(
        default=None,
        description="Sum of the run's recorded task costs (USD); null when none was recorded.",
    )


class RunDetail(RunSummary):
    """A run with its tasks and the spec it ran (inline or saved)."""

    params: dict[str, Any] = Field(default_factory=dict)
    tasks: list[TaskRunInfo] = Field(default_factory=list)
    spec: dict[str, Any] | None = Field(
        default=None, description="The WorkflowSpec this run ran, as stored with the run."
    )
    mitigation: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="Per mitigated task that finished: its provenance (technique and "
        "parameters, noise model or device calibration, readout calibration, raw value "
        "at each noise scale, mitigated value and standard error, exact reference and "
        "errors when requested); see docs/user-guide/mitigation.md.",
    )


class RunPage(_Response):
    """One page of runs, newest first."""

    items: list[RunSummary]
    limit: int
    offset: int
    has_more: bool


class CancelResult(_Response):
    """Answer to POST /api/runs/{run_id}/cancel."""

    run_id: str
    cancel_requested: bool
    status: RunStatus


class RunEvent(_Response):
    """One persisted event of a run (the ``data:`` of an SSE message; ``id`` is its SSE id)."""

    id: int
    run_id: str
    task_id: str | None = None
    kind: str
    data: dict[str, Any] = Field(default_factory=dict)
    at: float


class TaskOutput(_Response):
    """A task's full output as plain JSON (numpy arrays as nested lists, complex as
    ``{"re", "im"}``, non-finite floats as the strings ``"nan"``, ``"inf"``, ``"-inf"``)."""

    run_id: str
    task_id: str
    status: TaskStatus
    output: Any = Field(description="The output value (any JSON).")
    size_bytes: int = Field(description="Size of ``output`` as compact JSON text.")


class TaskLogs(_Response):
    """The events and log lines of one task of a run, oldest first."""

    run_id: str
    task_id: str
    entries: list[RunEvent]


# ----------------------------------------------------------------------------- performance


class TaskMetrics(_Response):
    """Metrics of one task attempt (a ``performance_metrics`` row; unknown values are null).

    Quantum tasks also carry ``backend``, ``qubits``, ``depth``, ``shots``, ``sweep_size``,
    ``gates_before``/``gates_after``, ``transpile_s``, ``queue_s`` (cloud queue),
    ``execute_s``, ``job_id`` and ``cost_usd``.
    """

    model_config = ConfigDict(extra="allow")

    run_id: str
    task_id: str
    attempt: int | None = None
    status: str | None = None
    queued_at: float | None = None
    started_at: float | None = None
    finished_at: float | None = None
    wall_s: float | None = None
    cpu_s: float | None = None
    peak_mem_bytes: int | None = None
    retries: int | None = None
    cache_hit: bool | None = None
    worker: str | None = None


class TaskAggregate(_Response):
    """A task's duration statistics over the workflow's runs."""

    task_id: str
    samples: int
    mean_wall_s: float | None = None
    min_wall_s: float | None = None
    max_wall_s: float | None = None


class WorkflowPerformance(_Response):
    """Aggregates across a workflow's runs plus the latest run's per-task metrics."""

    workflow_id: str
    runs: int
    runs_by_status: dict[str, int]
    mean_run_s: float | None = None
    latest_run_id: str | None = None
    latest: list[TaskMetrics]
    tasks: list[TaskAggregate]


class TaskPerformance(_Response):
    """One task's metrics history, oldest first."""

    workflow_id: str
    task_id: str
    history: list[TaskMetrics]


class PlannedTask(_Response):
    """One task of a run: the plan's predicted seconds next to what it took."""

    predicted_s: float | None = Field(default=None, description="Planned finish - start.")
    actual_s: float | None = Field(default=None, description="Measured; null if it did not run.")
    planned_start_s: float | None = Field(default=None, description="From the run start.")
    actual_start_s: float | None = Field(default=None, description="From the run start.")
    ratio: float | None = Field(default=None, description="actual_s / predicted_s.")
    status: TaskStatus


class ResourceUse(_Response):
    """How busy one resource was during a run (a backend, ``classical``, or a named resource)."""

    busy_s: float
    tasks: int
    peak_parallel: int
    utilisation: float | None = Field(
        default=None, description="busy_s / (makespan * peak_parallel)."
    )


class LaneUse(_Response):
    """How busy the engine's worker lanes were."""

    max_concurrency: int
    utilisation: float | None = None


class RunPlan(_Response):
    """Answer to GET /api/runs/{run_id}/plan: the stored plan next to the actual run."""

    run_id: str
    status: RunStatus
    plan: bool = Field(description="False when no plan was saved (predicted fields null).")
    policy: str | None = None
    workers: int | None = None
    predicted_makespan_s: float | None = None
    actual_makespan_s: float | None = None
    makespan_ratio: float | None = Field(
        default=None, description="actual_makespan_s / predicted_makespan_s."
    )
    planned_critical_path: list[str] | None = None
    actual_critical_path: list[str] = Field(
        default_factory=list, description="The chain of waits that set the actual makespan."
    )
    critical_path_s: float | None = None
    tasks: dict[str, PlannedTask] = Field(default_factory=dict)
    resources: dict[str, ResourceUse] = Field(default_factory=dict)
    lanes: LaneUse | None = None


# ----------------------------------------------------------------------------- misc


class EstimateRequest(_Request):
    """What to estimate: a saved workflow or an inline spec."""

    workflow_id: str | None = Field(default=None, max_length=200)
    spec: WorkflowSpecModel | None = None

    @model_validator(mode="after")
    def _one_source(self) -> EstimateRequest:
        if (self.workflow_id is None) == (self.spec is None):
            raise ValueError("give exactly one of workflow_id or spec")
        return self


class BackendSummary(_Response):
    """An installed or known quantum backend (what ``quantumflow backends`` prints)."""

    model_config = ConfigDict(extra="allow")

    name: str = Field(description="What a quantum task's 'backend' field names.")
    sdk: str | None = None
    installed: bool | None = Field(default=None, description="Its SDK is importable.")
    usable: bool | None = Field(
        default=None, description="Installed and, if remote, has credentials."
    )
    state: Literal["ready", "needs_credentials", "sdk_missing", "unavailable"] = Field(
        default="ready",
        description="Whether a task can use it now; 'note' says what to do otherwise.",
    )
    capabilities: dict[str, Any] | None = Field(
        default=None, description="max_qubits, native_gates, shots, expectations, noise, ..."
    )
    note: str | None = None


# ----------------------------------------------------------------------------- functions


class FunctionParam(_Response):
    """One parameter of a classical task's function (what an ``inputs`` key can name)."""

    name: str
    kind: Literal[
        "positional_or_keyword", "keyword_only", "positional_only", "var_positional", "var_keyword"
    ]
    required: bool = Field(description="No default: a task must supply it.")
    default: str | None = Field(default=None, description="The default, as Python writes it.")
    annotation: str | None = Field(default=None, description="The type annotation as written.")


class FunctionSignature(_Response):
    """What a function accepts, read from its signature (it is never called)."""

    fn: str = Field(description="The name asked for (a library name or 'module:function').")
    params: list[FunctionParam]
    var_keyword: bool = Field(description="It takes **kwargs: any input name is accepted.")
    returns: str | None = None
    doc: str = ""


class LibraryFunction(_Response):
    """A built-in library step: its name, what it is for, and its signature."""

    name: str
    target: str = Field(description="The 'module:function' the name stands for.")
    purpose: str = Field(
        description="post-process, optimise, sweep, compare, mitigate, learn, data or other."
    )
    signature: FunctionSignature | None = None
