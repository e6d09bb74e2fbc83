"""Type stubs of the native module ``quantumflow._native._core`` (Rust: rust/qflow-py).

Read through :mod:`quantumflow._native.scheduler` and :mod:`quantumflow._native.json`.
Rust owns the decisions (graph algorithms, ready queue, retries, timeouts, cancellation);
Python owns the effects (calling user functions, SDKs, the store). Only task indices
(``0..n``), small integer codes and floats cross into the scheduler. Two utilities that
decide nothing live here too: :func:`plain_json` (the store's JSON writer for plain data)
and :func:`precise_timers` (an engine thread's timer slack).

Checked against the compiled module by ``python -m mypy.stubtest quantumflow._native._core``.
"""

from collections.abc import Callable, Sequence
from typing import Any, TypeAlias, final

from numpy.typing import NDArray
from typing_extensions import Buffer

__all__ = [
    "CANCELLED",
    "FAILED",
    "FATAL",
    "OK",
    "RETRY",
    "SKIPPED",
    "TIMED_OUT",
    "Dag",
    "Dispatcher",
    "GraphCycleError",
    "Plan",
    "__version__",
    "plain_json",
    "precise_timers",
]

__version__: str

# Integer or float arrays: any sequence, or a buffer such as array('I') or a numpy array
# (uint32/int32/int64/uint64 for indices, float64/float32 for floats) — buffers are copied
# without touching Python objects, which is what makes 10^5-task graphs cheap to pass.
_Ints: TypeAlias = Sequence[int] | Buffer | NDArray[Any]
_Floats: TypeAlias = Sequence[float] | Buffer | NDArray[Any]

# Outcome codes passed to Dispatcher.complete()
OK: int  # the attempt succeeded
FAILED: int  # the attempt failed; retry if the task has retries left
FATAL: int  # the attempt failed; never retry (e.g. bad circuit)

# Notification kinds passed to the ``notify`` callback of Dispatcher.run()
TIMED_OUT: int  # the attempt passed its deadline; Python must abandon/kill it
RETRY: int  # the task failed and will start again after its backoff
SKIPPED: int  # an upstream task failed or was cancelled; this task will not run
CANCELLED: int  # the run was cancelled (or stopped by a failure) before this task finished;
# a running attempt notified CANCELLED (only on cancel()) is abandoned: Python may drop it

class GraphCycleError(ValueError):
    """The edges contain a cycle; ``cycle`` lists its node indices in order."""

    cycle: list[int]

@final
class Plan:
    """A HEFT-style list schedule over resource slots."""

    order: list[int]  # tasks in planned start order
    start: list[float]  # predicted start time per task (index = task)
    finish: list[float]  # predicted finish time per task
    slot: list[int]  # slot index (within its resource) the task is planned on
    makespan: float
    critical_path: list[int]

@final
class Dag:
    """An immutable task graph, built in one call.

    Args:
        n: number of tasks (indices ``0..n``).
        src, dst: edge endpoints (``src[i] -> dst[i]`` means dst depends on src); any
            sequence of ints or a buffer (``array('I')``, numpy uint32/int64).
        cost: estimated seconds per task (default 1.0 each).

    Raises:
        GraphCycleError: the edges contain a cycle.
        ValueError: an index is out of range or the arrays differ in length.
    """

    def __new__(
        cls,
        n: int,
        src: _Ints,
        dst: _Ints,
        cost: _Floats | None = None,
    ) -> Dag: ...
    @property
    def n(self) -> int: ...
    @property
    def n_edges(self) -> int: ...
    def topological_order(self) -> list[int]: ...
    def critical_path(self) -> tuple[list[int], float]:
        """Longest cost path (task indices, total cost)."""

    def upward_rank(self) -> list[float]:
        """Per task: its cost plus the longest cost path to any exit task."""

    def levels(self) -> list[int]:
        """Per task: the number of edges on the longest path from a source to it (sources
        are 0; every edge goes to a higher level), the columns of a layered drawing."""

    def predecessors(self, task: int) -> list[int]: ...
    def successors(self, task: int) -> list[int]: ...
    def plan(
        self,
        *,
        resource: _Ints | None = None,
        capacities: _Ints | None = None,
        workers: int = 1,
        policy: str = "heft",
    ) -> Plan:
        """Plan over resources: task i needs one slot of ``resource[i]`` whose slot count is
        ``capacities[resource[i]]``; with no resources, ``workers`` identical slots.
        ``policy``: ``"heft"`` (upward rank, cost-aware) or ``"fifo"`` (topological order)."""

@final
class Dispatcher:
    """Drives one run of a Dag: a tokio runtime owns timers; Python workers do the work.

    Args:
        dag: the graph.
        max_concurrency: attempts running at once.
        resource, capacities: per-task resource index and per-resource slot counts.
        retries: per-task retry count (default 0).
        backoff_s: first retry delay in seconds; doubles per attempt.
        timeouts_s: per-task time limit in seconds (0 or negative = none).
        continue_on_failure: keep running tasks that do not depend on a failed one.
        done: tasks already finished (resume/cache): never started, satisfy dependents.
        priority: larger runs first among ready tasks (default: upward rank by cost).
        batch_group: per task, its batch group ``1..=G`` (0: never batched). Ready tasks of
            one group start together, as one batch holding one slot of their (common)
            resource and counting once against ``max_concurrency``.
        batch_max: per group (index ``group - 1``), the most members in one batch.
        batch_window_s: per group, how long a partial batch may wait for members that are
            imminent (pending, every unfinished predecessor running); default 0.
    """

    def __new__(
        cls,
        dag: Dag,
        *,
        max_concurrency: int,
        resource: _Ints | None = None,
        capacities: _Ints | None = None,
        retries: _Ints | None = None,
        backoff_s: float = 0.0,
        timeouts_s: _Floats | None = None,
        continue_on_failure: bool = False,
        done: _Ints | None = None,
        priority: _Floats | None = None,
        batch_group: _Ints | None = None,
        batch_max: _Ints | None = None,
        batch_window_s: _Floats | None = None,
    ) -> Dispatcher: ...
    def begin(self, *, take: int) -> list[tuple[int, int]]:
        """Start the first ready tasks now, before :meth:`run`: returns up to ``take``
        ``(task, attempt)`` pairs that the caller must run; the rest (and every deadline)
        go to :meth:`run`, which then does not start them again. At most once, before
        :meth:`run`; optional (``run`` starts them itself otherwise)."""

    def run(
        self,
        start: Callable[[list[tuple[int, int]]], None],
        notify: Callable[[list[tuple[int, int, int]]], None],
        batch: Callable[[list[list[tuple[int, int]]]], None] | None = None,
    ) -> str:
        """Block until every task is finished, skipped or cancelled (GIL released while
        waiting). ``start`` receives ``(task, attempt)`` pairs to launch without blocking;
        ``notify`` receives ``(task, attempt, kind)`` triples; ``batch`` receives batches
        (lists of pairs, two or more) to launch as one call each, whose members are
        completed one by one (without ``batch`` their members go to ``start``). Returns
        ``"succeeded"``, ``"failed"`` or ``"cancelled"``. Exceptions raised by the
        callbacks cancel the run and are re-raised here."""

    def complete(
        self, task: int, attempt: int, outcome: int, *, take: int = 0
    ) -> list[tuple[int, int]]:
        """Report an attempt's outcome (thread-safe, from any worker thread). Returns up to
        ``take`` newly ready ``(task, attempt)`` pairs that the caller must run itself
        (the fast path for chains); the rest go through ``start``. Stale attempts (already
        timed out or cancelled) are ignored and return ``[]``."""

    def cancel(self) -> None:
        """Stop starting tasks; running attempts finish or are abandoned by Python."""

    def state(self, task: int) -> str:
        """``pending``, ``ready``, ``running``, ``retrying``, ``succeeded``, ``failed``,
        ``skipped`` or ``cancelled``."""

def precise_timers(ns: int = 1_000) -> bool:
    """Set the calling thread's timer slack to ``ns`` nanoseconds (Linux delays a thread's
    timed waits by up to 50 us by default); ``True`` if the system did so, ``False`` where
    there is no such setting."""

def plain_json(value: Any) -> str | None:
    """The text ``json.dumps(value, separators=(",", ":"), allow_nan=False)`` writes, when
    ``value`` is plain data: dicts with str keys (not ``"$qf"``), lists, str, int, float,
    bool and None, each of exactly that type, floats finite, at most 256 levels deep.
    ``None`` for anything else (the store's tagged encoder handles it)."""
