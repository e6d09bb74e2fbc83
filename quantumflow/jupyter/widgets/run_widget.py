"""RunWidget: a live view of one run (DAG with task states, progress, durations, results).

A thin ``anywidget.AnyWidget``: the Python side folds events into a :class:`RunState` and
pushes its snapshot as synced traits, coalesced (``hold_sync``) and throttled to at most
ten updates a second. The browser side is the lab extension's own run view (graph, charts,
results), bundled as the widget's ESM by ``make labext`` (``labextension/src/widget``):
the traits carry the REST API's shapes, so the notebook and the side panel draw one
picture with one renderer. Feed it in-process events
(``on_event``, what ``quantumflow.run(..., on_event=w.on_event)`` calls) or let it follow a
run started anywhere through the store's persisted events (:meth:`RunWidget.follow`).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anywidget
import traitlets

from ...api.results import Results
from ...spec import WorkflowSpec
from ...spec.groups import BIG_GRAPH
from ...spec.loader import load_spec
from ...status import RUN_TERMINAL
from ...store import aggregates
from .state import OUTPUTS_PER_SNAPSHOT, RunState
from .throttle import INTERVAL_S, Coalescer

if TYPE_CHECKING:
    from ...engine import Run
    from ...store.store import Store

log = logging.getLogger(__name__)

_HERE = Path(__file__).parent
#: The run view bundled for the widget (``make labext``); not in git.
BUNDLE = _HERE / "static" / "run_view.js"
STYLE = _HERE / "static" / "run_view.css"
#: Shown instead when the bundle was never built (a source checkout without ``make labext``).
MISSING = """export default { render({ el }) {
  el.textContent = "The QuantumFlow run view is not built: run `make labext` in the source tree.";
} };"""
#: What a clicked task's details say when the widget knows no store to read them from.
NO_DETAILS = "this widget's run is not in a store it can read; open it with follow_run"
#: Seconds between two reads of the store's event stream when following a run.
POLL_S = 0.25


class RunWidget(anywidget.AnyWidget):
    """The live dashboard of one run; display it in a notebook cell."""

    _esm = BUNDLE if BUNDLE.is_file() else MISSING
    _css = STYLE if STYLE.is_file() else ""

    run_id = traitlets.Unicode("").tag(sync=True)
    name = traitlets.Unicode("").tag(sync=True)
    status = traitlets.Unicode("pending").tag(sync=True)
    error = traitlets.Unicode("").tag(sync=True)
    #: the drawing (``GET /api/runs/{id}/graph``); not ``layout``, which is ipywidgets' CSS.
    #: Sent once, as JSON bytes (:meth:`_drawing_bytes`).
    drawing = traitlets.Dict().tag(sync=True, to_json=lambda v, w: w._drawing_bytes(v))
    states = traitlets.Unicode("").tag(sync=True)
    progress = traitlets.Dict().tag(sync=True)
    durations = traitlets.Dict().tag(sync=True)
    results = traitlets.Dict().tag(sync=True)
    tasks: traitlets.List[Any] = traitlets.List().tag(sync=True)

    def __init__(
        self,
        spec: WorkflowSpec | dict[str, Any] | None = None,
        *,
        run_id: str = "",
        load_output: Callable[[str], Any] | None = None,
        interval: float = INTERVAL_S,
        drawing_json: str | None = None,
        name: str = "",
        **kwargs: Any,
    ) -> None:
        """A widget with every task pending.

        Args:
            spec: the workflow (checked and laid out here); None when ``drawing_json`` is
                given.
            run_id: the run's id, when known.
            load_output: reads a task's output from its reference (for the results).
            interval: the least time between two updates sent to the browser.
            drawing_json: the workflow's drawing as the store keeps it (``follow_run``):
                sent as it is; spares laying out, and checking, a stored run's 10^5 tasks
                again.
            name: the workflow's name when ``spec`` is None.
            **kwargs: passed to ``anywidget.AnyWidget``.

        Raises:
            ValueError: neither a spec nor a drawing.
        """
        self._drawing_sent: tuple[dict[str, Any], bytes] | None = None
        drawing = None if drawing_json is None else json.loads(drawing_json)
        if drawing is not None and drawing_json is not None:  # sent as the store keeps it
            self._drawing_sent = (drawing, drawing_json.encode())
        loaded = None if spec is None else load_spec(spec)
        if loaded is None and drawing is None:
            raise ValueError("a RunWidget needs a workflow spec or its drawing")
        name = loaded.name if loaded is not None else name
        super().__init__(run_id=run_id, name=name, **kwargs)
        self._lock = threading.Lock()
        self.state = RunState(
            loaded, run_id=run_id, load_output=load_output, layout=drawing, name=name
        )
        self.drawing = self.state.layout
        self.throttle = Coalescer(self._push, interval=interval)
        self._follower: threading.Thread | None = None
        self._stop = threading.Event()
        self._store: Store | None = None  # where a clicked task's details are read
        self.on_msg(self._on_message)
        self._push()

    # ------------------------------------------------------------------ task details
    def details_from(self, store: Store) -> None:
        """Answer the view's requests for a clicked task's details from ``store``."""
        self._store = store

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict) or content.get("type") != "details":
            return
        task = str(content.get("task", ""))[:1000]
        store, run_id = self._store, self.state.run_id
        if store is None or not run_id:
            self.send({"type": "details", "task": task, "detail": {"error": NO_DETAILS}})
            return

        def answer() -> None:  # a store read: off the kernel's message loop
            from .details import task_details

            self.send({"type": "details", "task": task,
                       "detail": task_details(store, run_id, task)})  # fmt: skip

        threading.Thread(target=answer, name="quantumflow-details", daemon=True).start()

    # ------------------------------------------------------------------ feeding
    def on_event(self, event: Any) -> None:
        """Take one engine ``TaskEvent`` (or store ``EventRecord``); safe from any thread."""
        with self._lock:
            if not self.run_id and getattr(event, "run_id", None):
                self.state.run_id = event.run_id
            self.state.apply(event)
        self.throttle.poke()

    def set_run_status(self, status: str, *, error: str | None = None) -> None:
        """Set the run's status (the final one is sent at once)."""
        with self._lock:
            self.state.set_run_status(status, error=error)
        if status in RUN_TERMINAL:
            self.throttle.cancel()
            self.throttle.flush_now()
        else:
            self.throttle.poke()

    def finish(self, run: Run) -> None:
        """Show a finished :class:`~quantumflow.engine.Run` exactly (outputs included)."""
        with self._lock:
            st = self.state
            st.run_id = run.id
            ordered = sorted(run.tasks.items(), key=lambda kv: kv[1].finished_at or 0.0)
            for task_id, result in ordered:
                if st.task_status.get(task_id) == result.status:
                    continue
                if result.started_at is not None and task_id not in st.task_times:
                    st.set_task(task_id, "running", at=result.started_at)
                st.set_task(task_id, result.status, at=result.finished_at, error=result.error)
            st.results = Results()  # rebuild the results from the real outputs, in order
            st._pending_outputs.clear()
            for task_id, _ in ordered:
                if task_id in run.outputs and task_id in st.task_status:
                    st.results.add_output(task_id, run.outputs[task_id])
            if run.started_at is not None:
                st.started_at = run.started_at
            st.finished_at = run.finished_at
            st.set_run_status(run.status, at=run.finished_at, error=run.error)
        self.run_id = run.id
        if run.store is not None and self._store is None:
            self.details_from(run.store)
        self.throttle.cancel()
        self.throttle.flush_now()

    # ------------------------------------------------------------------ following the store
    def follow(
        self, store: Store, run_id: str, *, poll_s: float = POLL_S, at_once: bool = False
    ) -> None:
        """Track ``run_id`` through ``store.events_since`` in a background thread.

        Works for runs started anywhere (side panel, REST API, CLI, another kernel); the
        thread stops once the run reaches a terminal status or :meth:`stop` is called.

        Args:
            store: the store the run is in.
            run_id: the run.
            poll_s: seconds between two reads of its events.
            at_once: the widget draws the run's own spec (``follow_run`` makes sure): a big
                run (more than ``BIG_GRAPH`` tasks) is first read as the store holds it now
                (:meth:`_seed`, as the side panel reads it; its task states in spec order),
                then followed from its last event: a 100,000-task run 60 % through has
                180,000 events to fold otherwise (7 s).
        """
        self.run_id = run_id
        self.state.run_id = run_id
        self.details_from(store)
        if self.state._load_output is None:
            self.state._load_output = store.get_output
        big = len(self.state.index) > BIG_GRAPH
        after = self._seed(store, run_id) if at_once and big else None
        if after is not None:
            self.throttle.flush_now()
        self._stop.clear()
        self._follower = threading.Thread(
            target=self._follow_loop,
            args=(store, run_id, poll_s, after),
            name=f"quantumflow-follow-{run_id}",
            daemon=True,
        )
        self._follower.start()

    def _seed(self, store: Store, run_id: str) -> int | None:
        """Take the run's state from the store; the id of the last event it includes, or
        None when it could not be taken (then every event is folded instead).

        The states and that event id come from one transaction: following the events
        after it misses and repeats nothing. The charts' inputs (run times, outputs,
        reported values) are read just before it, so what finished in that instant can be
        missing from them until the run ends, when the run times are read again.
        """
        engine = store.engine
        try:
            run = aggregates.run_brief(engine, run_id) or {}
            durations = aggregates.duration_histogram(engine, run_id)
            failed = aggregates.failures(engine, run_id, limit=1)["items"]
            outputs = aggregates.recent_outputs(engine, run_id, limit=OUTPUTS_PER_SNAPSHOT)
            metrics = aggregates.metric_events(engine, run_id)
            codes, last = aggregates.states_vector(engine, run_id)
        except Exception:  # an older store or a read error: fold every event instead
            log.warning("cannot read run %s at once; folding its events", run_id, exc_info=True)
            return None
        first = (failed[0]["task_id"], failed[0]["error"]) if failed else None
        with self._lock:
            taken = self.state.seed(
                codes, run=run, durations=durations, first_failure=first,
                outputs=outputs, metrics=metrics,
            )  # fmt: skip
        return last if taken else None

    def _follow_loop(self, store: Store, run_id: str, poll_s: float, after: int | None) -> None:
        seeded = after is not None
        after = after or 0
        while not self._stop.is_set():
            try:
                batch = store.events_since(run_id, after_id=after, limit=1000)
            except Exception:  # store gone (closed, deleted): stop following quietly
                log.warning("stopped following run %s", run_id, exc_info=True)
                return
            for ev in batch:
                after = max(after, int(ev.id))
                self.on_event(ev)
            if self.state.status in RUN_TERMINAL:
                if seeded:  # the run times as the store holds them, exact
                    try:
                        durations = aggregates.duration_histogram(store.engine, run_id)
                    except Exception:
                        log.debug("cannot read run times of %s", run_id, exc_info=True)
                    else:
                        with self._lock:
                            self.state.set_durations(durations)
                self.throttle.cancel()
                self.throttle.flush_now()
                return
            if len(batch) < 1000:
                self._stop.wait(poll_s)

    def wait_followed(self, timeout: float | None = None) -> bool:
        """Block until the follower thread ends; True if it has."""
        if self._follower is None:
            return True
        self._follower.join(timeout)
        return not self._follower.is_alive()

    def stop(self) -> None:
        """Stop following and drop any scheduled update."""
        self._stop.set()
        self.throttle.cancel()

    def __repr__(self) -> str:
        st = self.state
        return (
            f"RunWidget(run={st.run_id or None!r}, name={st.name!r}, status={st.status!r}, "
            f"done={st.done()}/{len(st.task_status)})"
        )

    # ------------------------------------------------------------------ pushing
    def _drawing_bytes(self, drawing: dict[str, Any]) -> bytes:
        """The drawing as UTF-8 JSON. ipywidgets sends bytes as a binary buffer, as they
        are: a dict would be walked item by item for buffers (0.5 s for the 10^5-item
        lists of a 100k-task drawing), JSON-encoded inside the message and parsed with it
        on the browser's main thread; the view parses these bytes once."""
        sent = self._drawing_sent
        # traitlets keeps a shallow copy: equal, with the very same lists (a quick compare)
        if sent is not None and (sent[0] is drawing or sent[0] == drawing):
            return sent[1]
        data = json.dumps(drawing, separators=(",", ":")).encode()
        if drawing:  # not the empty default the widget opens with
            self._drawing_sent = (drawing, data)
        return data

    def _push(self) -> None:
        with self._lock:
            snap = self.state.snapshot()
        with self.hold_sync():
            for key, value in snap.items():
                setattr(self, key, value)
