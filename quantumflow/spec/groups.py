"""How big workflows are drawn and counted: the grouping rule and the size threshold, once.

Every view that folds tasks (the store's ``task_runs.grp`` column that the dashboard's SQL
aggregates by, the graph layout's super-nodes, the RunWidget) asks :func:`group_of`; the lab
extension never regroups, it reads the groups the server computed. :data:`BIG_GRAPH` is the
one threshold: up to that many tasks the graph is drawn task by task as editable cards (React
Flow), above it by the WebGL renderer, still one dot per task (``labextension`` gets the
number generated into ``src/generated/graph.ts``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

#: Above this many tasks a graph is drawn by the large-graph (WebGL) renderer.
BIG_GRAPH: Final = 500
#: A trailing number, with an optional ``_``, ``-`` or ``.`` before it: ``point_17``,
#: ``layer-3``, ``shot.9`` and ``q12`` all lose it.
TRAILING_NUMBER: Final = re.compile(r"[_\-.]?\d+$")


def group_of(task_id: str, group: str | None = None) -> str:
    """The group a task is counted and folded under.

    Its ``group`` field when set; otherwise its id without a trailing number
    (``point_17`` -> ``point``), or the whole id when nothing would be left (``42``).
    """
    if group:
        return group
    return TRAILING_NUMBER.sub("", task_id) or task_id


def task_groups(tasks: Iterable[Any], ids: Iterable[str] | None = None) -> list[str]:
    """The group of each task, in order.

    Args:
        tasks: spec tasks (objects with ``id`` and ``group``) or their plain dicts.
        ids: the task ids wanted, in this order (default: every task's); an id not among
            ``tasks`` gets the rule on its id alone.
    """
    declared: dict[str, str | None] = {}
    for task in tasks:
        if isinstance(task, Mapping):
            tid, grp = task.get("id"), task.get("group")
        else:
            tid, grp = getattr(task, "id", None), getattr(task, "group", None)
        if isinstance(tid, str):
            declared[tid] = grp if isinstance(grp, str) else None
    order = list(declared) if ids is None else list(ids)
    strip = TRAILING_NUMBER.sub
    # group_of, inlined: a drawing of 10^5 tasks asks for every one
    return [declared.get(tid) or strip("", tid) or tid for tid in order]
