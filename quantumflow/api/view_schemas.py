"""Response models of the big-run views (``routers/views.py``): a drawing of the graph,
the states of every task, and the dashboard's aggregates. The lab extension's TypeScript
types are generated from them (``make types``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..status import RunStatus, TaskStatus


class _Response(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GraphGroup(_Response):
    """A task group of the drawing: its block's box in node spacings."""

    name: str
    size: int
    level: int = Field(description="The first topological level of its tasks.")
    axes: list[str] = Field(description="Number inputs that vary across it (a sweep).")
    x: float
    y: float
    w: float
    h: float


class GraphLayout(_Response):
    """A workflow's drawing, one array entry per task (index = position in the spec)."""

    key: str = Field(description="Names the drawing: same ids, groups and edges, same key.")
    tasks: int
    big: bool = Field(description="More tasks than the per-task canvas draws (BIG_GRAPH).")
    ids: list[str]
    kinds: str = Field(description="One letter per task: c classical, q quantum.")
    x: list[float]
    y: list[float]
    group: list[int] = Field(description="Per task, its group's index in groups.")
    groups: list[GraphGroup]
    edges: list[int] = Field(description="Flat [src, dst, src, dst, ...] task indices.")
    group_edges: list[list[int]] = Field(description="[from group, to group, edges].")
    levels: int
    axes: dict[str, list[float | None]] = Field(
        description="Per sweep axis named by a group, each task's value (null elsewhere)."
    )


class RunStates(_Response):
    """Every task's status, as one character per task in spec order."""

    run_id: str
    name: str | None = None
    status: RunStatus
    error: str | None = None
    statuses: list[TaskStatus] = Field(description="What each code digit stands for.")
    codes: str = Field(description="Per task, the digit of its status in statuses.")
    last_event_id: int = Field(description="Follow the event stream after this id.")


class GroupProgress(_Response):
    """One group's tasks per status."""

    group: str
    total: int
    done: int
    states: dict[str, int]
    eta_s: float | None = None


class RunProgress(_Response):
    """Tasks per status, overall and per group (a page), with ETAs."""

    run_id: str
    status: RunStatus
    states: dict[str, int]
    total: int
    done: int
    started_at: float | None = None
    finished_at: float | None = None
    elapsed_s: float
    eta_s: float | None = None
    groups: list[GroupProgress]
    total_groups: int
    limit: int
    offset: int


class DurationHistogram(_Response):
    """Finished tasks' run times in log-spaced bins."""

    edges: list[float] = Field(description="Bin i is [edges[i], edges[i+1]) seconds.")
    counts: list[int]


class Throughput(_Response):
    """Tasks finished per time bucket and status."""

    start: float | None = None
    width: float = Field(description="Seconds per bucket.")
    buckets: int
    series: dict[str, list[int]]


class CostBurn(_Response):
    """Money spent over time against the budget."""

    start: float | None = None
    width: float
    spent: list[float]
    cumulative: list[float]
    total: float
    budget_usd: float | None = None


class Lane(_Response):
    """One worker lane: attempts, busy seconds, and per bucket run and queue seconds."""

    lane: str
    attempts: int
    busy_s: float
    run: list[float]
    queue: list[float]


class Lanes(_Response):
    """Which lane ran what (intervals only for runs of at most 2,000 attempts)."""

    start: float | None = None
    width: float
    buckets: int
    lanes: list[Lane]
    intervals: list[list[Any]] | None = Field(
        default=None,
        description="[lane index, task, group, queued_at, started_at, finished_at, status].",
    )


class TaskRow(_Response):
    """A task in the slowest or failures tables."""

    task_id: str
    group: str | None = None
    status: TaskStatus | None = None
    attempts: int = 0
    started_at: float | None = None
    finished_at: float | None = None
    duration: float | None = None
    error: str | None = None


class TaskRowPage(_Response):
    """A page of task rows and how many there are."""

    items: list[TaskRow]
    total: int
    limit: int
    offset: int


class Objective(_Response):
    """One group's objective values in spec order (binned past ``bins`` tasks)."""

    group: str | None = None
    groups: dict[str, int] = Field(description="Group -> tasks with a value.")
    points: list[list[Any]] = Field(
        description="[first position, count, min, mean, max, task id when count is 1]."
    )


class ScalarRow(_Response):
    """A number a task produced (its output, an entry of it or an expectation value)."""

    task: str
    key: str | None = Field(description="The output entry; null when the output is a number.")
    value: float


class CountsHistogram(_Response):
    """A task's counts, most frequent outcome first (ties by label)."""

    task: str
    bars: list[tuple[str, int]] = Field(description="[outcome, count] of the top outcomes.")
    other: int = Field(description="Shots of the outcomes not among the bars.")
    outcomes: int = Field(description="Distinct outcomes, bars and other together.")
    total: int = Field(description="Every shot.")


class ResultSeries(_Response):
    """A line: a sweep's expectation values, an optimiser trace or a reported metric."""

    name: str
    x: str = Field(description="What the x values are (a swept parameter, step, evaluation).")
    points: list[tuple[float, float]]


class MitigatedObservable(_Response):
    """One observable of a mitigated task: raw values per noise scale and the result."""

    points: list[tuple[float, float, float | None]] = Field(
        description="[noise scale, raw value, its standard error]."
    )
    mitigated: float | None = None
    mitigated_std: float | None = None
    exact: float | None = Field(default=None, description="With reference: true.")


class MitigatedResult(_Response):
    """A mitigated task's raw vs mitigated values (from its provenance)."""

    task: str
    technique: str
    observables: dict[str, MitigatedObservable]


class RunResults(_Response):
    """What a run's tasks produced, in the shapes the views draw (quantumflow/api/results.py):
    the most recent task outputs and every reported metric."""

    scalars: list[ScalarRow]
    histograms: list[CountsHistogram]
    series: list[ResultSeries]
    mitigated: list[MitigatedResult] = Field(default_factory=list)
