"""A task clicked in the RunWidget: the kernel answers with that task's details, read from
the real store of a real run (the browser's custom message, as ipywidgets delivers it)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from quantumflow import engine
from quantumflow.jupyter.widgets import RunWidget, follow_run, run_widget
from quantumflow.jupyter.widgets.run_widget import NO_DETAILS

from .test_widgets import chain_spec, record_messages


def ask(widget: RunWidget, task: str) -> dict[str, Any]:
    """Send the view's request; the kernel's answer (waits for its reader thread)."""
    sent = record_messages(widget)
    widget._handle_custom_msg({"type": "details", "task": task}, [])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        for msg in sent:
            content = msg.get("content", {}) if msg.get("method") == "custom" else {}
            if content.get("type") == "details" and content.get("task") == task:
                return content["detail"]  # type: ignore[no-any-return]
        time.sleep(0.02)
    raise AssertionError(f"no details for {task} within 20 s: {sent}")


def test_a_finished_runs_task_shows_its_times_output_metrics_and_log(tmp_path: Path) -> None:
    run = engine.run(chain_spec(3), db=str(tmp_path / "w.db"))
    assert run.status == "succeeded"
    got = ask(run_widget(run), "step1")
    assert got["status"] == "succeeded" and got["attempts"] == 1
    assert got["duration_s"] >= 0.05  # slow_value sleeps 0.05 s
    assert got["output"] == "1.0" and got["output_truncated"] is False
    assert got["cpu_s"] is not None and got["worker"]
    states = [e["data"].get("status") for e in got["log"]]
    assert states == ["running", "succeeded"]  # the stored events, as the panel's log


def test_a_followed_run_answers_too_and_unknown_tasks_say_so(tmp_path: Path) -> None:
    db = str(tmp_path / "w.db")
    run = engine.run(chain_spec(2), db=db)
    widget = follow_run(engine.open_db(db), run.id)
    assert widget.wait_followed(30)
    assert ask(widget, "step0")["status"] == "succeeded"
    assert "has no task 'nope'" in ask(widget, "nope")["error"]


def test_a_widget_without_a_store_says_where_details_come_from() -> None:
    widget = RunWidget(chain_spec(2), run_id="r1")
    assert ask(widget, "step0") == {"error": NO_DETAILS}
