"""quantumflow._scheduler.Dispatcher driven by a real thread pool, as the engine drives it."""

from __future__ import annotations

import _thread
import random
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from quantumflow._native import scheduler as qs
from quantumflow._native.scheduler import Dag, Dispatcher

Work = Callable[[int, int], int]  # (task, attempt) -> outcome code


class Harness:
    """Runs ``work`` for each started attempt on a pool; records starts and notifications."""

    def __init__(self, disp: Dispatcher, work: Work, *, take: int = 0, workers: int = 8) -> None:
        self.disp, self.work, self.take = disp, work, take
        self.pool = ThreadPoolExecutor(workers)
        self.lock = threading.Lock()
        self.started: list[tuple[int, int]] = []
        self.notes: list[tuple[int, int, int]] = []
        self.running = 0
        self.peak = 0
        self.errors: list[BaseException] = []

    def _attempt(self, task: int, attempt: int) -> None:
        while True:
            with self.lock:
                self.started.append((task, attempt))
                self.running += 1
                self.peak = max(self.peak, self.running)
            try:
                outcome = self.work(task, attempt)
            except Exception as exc:  # a failed assertion in a worker must fail the test
                self.errors.append(exc)
                outcome = qs.FATAL
            finally:
                with self.lock:
                    self.running -= 1
            more = self.disp.complete(task, attempt, outcome, take=self.take)
            if not more:
                return
            (task, attempt), rest = more[0], more[1:]
            for t, a in rest:  # only with take > 1
                self.pool.submit(self._attempt, t, a)

    def start(self, batch: list[tuple[int, int]]) -> None:
        for task, attempt in batch:
            self.pool.submit(self._attempt, task, attempt)

    def notify(self, batch: list[tuple[int, int, int]]) -> None:
        with self.lock:
            self.notes.extend(batch)

    def run(self) -> str:
        try:
            status = self.disp.run(self.start, self.notify)
        finally:
            self.pool.shutdown(wait=True)
        assert not self.errors, self.errors
        return status

    def kinds(self, kind: int) -> list[int]:
        return sorted(t for t, _, k in self.notes if k == kind)


def ok(_task: int, _attempt: int) -> int:
    return qs.OK


def sleeper(secs: float) -> Work:
    def work(_task: int, _attempt: int) -> int:
        time.sleep(secs)
        return qs.OK

    return work


@pytest.fixture
def diamond() -> Iterator[Dag]:
    yield Dag(4, [0, 0, 1, 2], [1, 2, 3, 3])


@pytest.mark.parametrize("take", [0, 1, 4])
def test_every_task_runs_once_after_its_dependencies(take: int) -> None:
    n = 300
    src = [i // 3 for i in range(1, n)]  # a ternary tree: the parent of i is i // 3
    dst = list(range(1, n))
    dag = Dag(n, src, dst)
    done: set[int] = set()
    lock = threading.Lock()

    def work(task: int, _attempt: int) -> int:
        with lock:
            assert all(p in done for p in dag.predecessors(task)), task
            done.add(task)
        return qs.OK

    h = Harness(Dispatcher(dag, max_concurrency=4), work, take=take)
    assert h.run() == "succeeded"
    assert sorted(t for t, _ in h.started) == list(range(n))
    assert h.notes == []


def test_chain_fast_path_stays_on_one_worker() -> None:
    n = 50
    dag = Dag(n, list(range(n - 1)), list(range(1, n)))
    threads: set[int] = set()

    def work(_task: int, _attempt: int) -> int:
        threads.add(threading.get_ident())
        return qs.OK

    h = Harness(Dispatcher(dag, max_concurrency=2), work, take=1)
    assert h.run() == "succeeded"
    assert len(threads) == 1
    assert [t for t, _ in h.started] == list(range(n))


def test_retries_back_off_and_then_succeed() -> None:
    dag = Dag(2, [0], [1])
    disp = Dispatcher(dag, max_concurrency=2, retries=[2, 0], backoff_s=0.05)
    stamps: list[float] = []

    def work(task: int, attempt: int) -> int:
        if task == 0:
            stamps.append(time.monotonic())
            return qs.FAILED if attempt < 3 else qs.OK
        return qs.OK

    h = Harness(disp, work)
    assert h.run() == "succeeded"
    assert [a for t, a in h.started if t == 0] == [1, 2, 3]
    assert [(t, a, k) for t, a, k in h.notes] == [(0, 1, qs.RETRY), (0, 2, qs.RETRY)]
    assert stamps[1] - stamps[0] >= 0.045  # first backoff
    assert stamps[2] - stamps[1] >= 0.095  # doubled
    assert disp.state(0) == "succeeded"


def test_fatal_failure_is_not_retried_and_stops_the_run(diamond: Dag) -> None:
    disp = Dispatcher(diamond, max_concurrency=1, retries=[5, 5, 5, 5])
    h = Harness(disp, lambda t, _a: qs.FATAL if t == 0 else qs.OK)
    assert h.run() == "failed"
    assert h.started == [(0, 1)]
    assert h.kinds(qs.SKIPPED) == [1, 2, 3]
    assert [disp.state(t) for t in range(4)] == ["failed", "skipped", "skipped", "skipped"]


def test_timeout_notifies_and_skips_dependents() -> None:
    dag = Dag(3, [0], [1])
    disp = Dispatcher(dag, max_concurrency=2, timeouts_s=[0.05, 0.0, 0.0], continue_on_failure=True)
    release = threading.Event()

    def work(task: int, _attempt: int) -> int:
        if task == 0:
            release.wait(5)  # hangs until the timeout was seen
        return qs.OK

    h = Harness(disp, work)

    def notify(batch: list[tuple[int, int, int]]) -> None:
        h.notify(batch)
        release.set()

    try:
        status = disp.run(h.start, notify)
    finally:
        release.set()
        h.pool.shutdown(wait=True)
    assert status == "failed"
    assert (0, 1, qs.TIMED_OUT) in h.notes
    assert h.kinds(qs.SKIPPED) == [1]
    assert disp.state(0) == "failed"
    assert disp.state(2) == "succeeded"
    # The abandoned attempt reports late: stale, ignored.
    assert disp.complete(0, 1, qs.OK, take=5) == []


def test_continue_on_failure_runs_independent_branches() -> None:
    # 0 -> 1 -> 2 ; 3 -> 4 ; 0 fails.
    dag = Dag(5, [0, 1, 3], [1, 2, 4])
    disp = Dispatcher(dag, max_concurrency=1, continue_on_failure=True)
    h = Harness(disp, lambda t, _a: qs.FAILED if t == 0 else qs.OK)
    assert h.run() == "failed"
    assert sorted(t for t, _ in h.started) == [0, 3, 4]
    assert h.kinds(qs.SKIPPED) == [1, 2]


def test_stop_on_failure_cancels_what_has_not_started() -> None:
    dag = Dag(5, [], [])
    disp = Dispatcher(dag, max_concurrency=1, priority=[5, 4, 3, 2, 1])
    h = Harness(disp, lambda t, _a: qs.FAILED if t == 1 else qs.OK)
    assert h.run() == "failed"
    assert [t for t, _ in h.started] == [0, 1]
    assert h.kinds(qs.CANCELLED) == [2, 3, 4]


def test_cancel_from_a_worker_ends_the_run() -> None:
    n = 20
    dag = Dag(n, list(range(n - 1)), list(range(1, n)))
    disp = Dispatcher(dag, max_concurrency=1)

    def work(task: int, _attempt: int) -> int:
        if task == 5:
            disp.cancel()
        return qs.OK

    h = Harness(disp, work, take=1)
    assert h.run() == "cancelled"
    assert [t for t, _ in h.started] == list(range(6))
    assert (5, 1, qs.CANCELLED) in h.notes  # the running attempt is abandoned
    assert h.kinds(qs.CANCELLED) == list(range(5, n))
    assert disp.state(19) == "cancelled"


def test_cancel_before_run_starts_nothing(diamond: Dag) -> None:
    disp = Dispatcher(diamond, max_concurrency=1)
    disp.cancel()
    h = Harness(disp, ok)
    assert h.run() == "cancelled"
    assert h.started == []
    assert h.kinds(qs.CANCELLED) == [0, 1, 2, 3]


def test_done_tasks_are_skipped_on_resume(diamond: Dag) -> None:
    h = Harness(Dispatcher(diamond, max_concurrency=2, done=[0, 2]), ok)
    assert h.run() == "succeeded"
    assert sorted(t for t, _ in h.started) == [1, 3]
    everything = Harness(Dispatcher(diamond, max_concurrency=2, done=range(4)), ok)
    assert everything.run() == "succeeded"
    assert everything.started == []


def test_max_concurrency_is_respected() -> None:
    h = Harness(Dispatcher(Dag(24, [], []), max_concurrency=3), sleeper(0.01), workers=10)
    assert h.run() == "succeeded"
    assert h.peak == 3


def test_resource_capacities_are_respected() -> None:
    n = 12
    resource = [i % 2 for i in range(n)]
    in_use = [0, 0]
    peak = [0, 0]
    lock = threading.Lock()

    def work(task: int, _attempt: int) -> int:
        r = resource[task]
        with lock:
            in_use[r] += 1
            peak[r] = max(peak[r], in_use[r])
        time.sleep(0.01)
        with lock:
            in_use[r] -= 1
        return qs.OK

    disp = Dispatcher(Dag(n, [], []), max_concurrency=8, resource=resource, capacities=[1, 2])
    h = Harness(disp, work, workers=8)
    assert h.run() == "succeeded"
    assert peak == [1, 2]


def test_callback_errors_cancel_the_run_and_are_raised(diamond: Dag) -> None:
    disp = Dispatcher(diamond, max_concurrency=1)

    def start(_batch: list[tuple[int, int]]) -> None:
        raise KeyError("boom")

    with pytest.raises(KeyError, match="boom"):
        disp.run(start, lambda _b: None)
    assert disp.state(1) == "cancelled"
    with pytest.raises(RuntimeError, match="already run"):
        disp.run(start, lambda _b: None)


def test_bad_arguments_are_value_errors(diamond: Dag) -> None:
    with pytest.raises(ValueError, match="max_concurrency must be >= 1"):
        Dispatcher(diamond, max_concurrency=0)
    with pytest.raises(ValueError, match="retries has length 1"):
        Dispatcher(diamond, max_concurrency=1, retries=[1])
    with pytest.raises(ValueError, match="task 0 needs resource 0, whose capacity is 0"):
        Dispatcher(diamond, max_concurrency=1, resource=[0, 0, 0, 0], capacities=[0])
    with pytest.raises(ValueError, match="done contains 9"):
        Dispatcher(diamond, max_concurrency=1, done=[9])
    disp = Dispatcher(diamond, max_concurrency=1)
    with pytest.raises(ValueError, match="outcome must be"):
        disp.complete(0, 1, 42)
    with pytest.raises(ValueError, match="task 7 is not in"):
        disp.state(7)
    assert disp.state(0) == "pending"
    assert disp.complete(0, 1, qs.OK) == []  # nothing is running yet: stale


def test_ctrl_c_while_waiting_cancels_and_raises(diamond: Dag) -> None:
    disp = Dispatcher(diamond, max_concurrency=1)
    started: list[tuple[int, int]] = []
    timer = threading.Timer(0.1, _thread.interrupt_main)  # what Ctrl-C does to run()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            disp.run(started.extend, lambda _b: None)  # task 0 never completes
    finally:
        timer.cancel()
    assert started == [(0, 1)]
    assert [disp.state(t) for t in range(4)] == ["cancelled"] * 4


def test_random_dag_under_concurrent_completions() -> None:
    rnd = random.Random(7)
    n = 3000
    edges = {(rnd.randrange(i), i) for i in range(1, n) for _ in range(rnd.randint(0, 3))}
    src, dst = [s for s, _ in edges], [d for _, d in edges]
    dag = Dag(n, src, dst, [rnd.random() for _ in range(n)])
    finished: set[int] = set()
    lock = threading.Lock()

    def work(task: int, attempt: int) -> int:
        with lock:
            assert all(p in finished for p in dag.predecessors(task)), task
        outcome = qs.FAILED if attempt == 1 and task % 11 == 0 else qs.OK
        if outcome == qs.OK:
            with lock:
                finished.add(task)
        return outcome

    disp = Dispatcher(dag, max_concurrency=6, retries=[1] * n)
    h = Harness(disp, work, take=2, workers=8)
    assert h.run() == "succeeded"
    assert finished == set(range(n))
    assert h.peak <= 6  # inline takes count against max_concurrency too
    assert len(h.kinds(qs.RETRY)) == len(range(0, n, 11))


def test_begin_hands_back_the_first_ready_tasks_and_run_starts_only_the_rest() -> None:
    dag = Dag(6, [0, 1], [5, 5])  # 0..4 ready at once; 5 after 0 and 1
    disp = Dispatcher(dag, max_concurrency=3)
    first = disp.begin(take=2)
    assert len(first) == 2 and {a for _, a in first} == {1}
    h = Harness(disp, ok, take=0)
    h.start(first)  # as the engine does: the caller runs what begin() handed back
    assert h.run() == "succeeded"
    tasks = [t for t, _ in h.started]
    assert sorted(tasks) == list(range(6))  # every task once: run() did not restart first
    assert h.peak <= 3
    with pytest.raises(RuntimeError, match="already begun"):
        disp.begin(take=1)


def test_begin_after_run_is_refused_and_begin_on_a_finished_run_starts_nothing(
    diamond: Dag,
) -> None:
    disp = Dispatcher(diamond, max_concurrency=2)
    assert Harness(disp, ok).run() == "succeeded"
    with pytest.raises(RuntimeError, match="already begun"):
        disp.begin(take=4)
    done = Dispatcher(diamond, max_concurrency=2, done=[0, 1, 2, 3])
    assert done.begin(take=4) == []
    assert Harness(done, ok).run() == "succeeded"
