"""The widget's update throttle under pokes from several threads at once."""

from __future__ import annotations

import threading
import time

from quantumflow.jupyter.widgets.throttle import Coalescer


def test_pokes_from_many_threads_never_flush_faster_than_the_interval() -> None:
    """Flushes fired by the timer are stamped one ``interval`` apart at least.

    A poke landing between a timer clearing itself and the flush being stamped used to
    measure its delay from the flush before, and fired a second flush straight away: about
    a hundred extra flushes in 1.5 s of this test.
    """
    interval = 0.01
    flushed: list[float] = []
    coalescer = Coalescer(lambda: flushed.append(time.monotonic()), interval=interval)
    start = time.monotonic()
    stop = start + 1.0

    def poke_until_stop() -> None:
        while time.monotonic() < stop:
            coalescer.poke()

    pokers = [threading.Thread(target=poke_until_stop) for _ in range(3)]
    for p in pokers:
        p.start()
    for p in pokers:
        p.join()
    time.sleep(5 * interval)  # the last scheduled flush
    span = time.monotonic() - start
    assert coalescer.flushes == len(flushed) > 10
    # fires are stamped at least one interval apart inside [start, start + span]
    assert len(flushed) <= span / interval + 1, (len(flushed), span)
