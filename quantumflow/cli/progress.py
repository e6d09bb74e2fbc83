"""A rich progress bar for terminal runs, fed by the engine's ``on_event`` hook."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..spec import WorkflowSpec
from ..status import TASK_TERMINAL


def run_with_progress(spec: WorkflowSpec, run: Callable[..., Any], **options: Any) -> Any:
    """Call ``run(spec, on_event=..., **options)`` while drawing a progress bar on stderr."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    done: set[str] = set()
    failed: set[str] = set()
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[failed]} failed"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        handle = bar.add_task(spec.name, total=len(spec.tasks), failed=0)

        def on_event(event: Any) -> None:
            if event.status in TASK_TERMINAL and event.task_id not in done:
                done.add(event.task_id)
                if event.status == "failed":
                    failed.add(event.task_id)
                bar.update(handle, completed=len(done), failed=len(failed))

        return run(spec, on_event=on_event, **options)
