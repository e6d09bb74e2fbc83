"""Backend and user slots as the Rust Dispatcher's per-resource limits.

A task holds at most one *limited* resource while it runs: one it names in ``resources``
that ``policies.resources`` gives a slot count (e.g. ``{qpu_ibm: 2}``), else its backend's
slot (local simulators: ``sdk:<SDK>``, as many as there are SDK workers; cloud backends:
their name, the provider's queue depth). The Dispatcher never starts a task whose
resource is full, so a backend's slot limit holds whatever ``max_concurrency`` says.
Resource 0 is "no limit" (only ``max_concurrency`` applies).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import Problem
from ..spec import WorkflowSpec
from .routes import Route

NO_LIMIT = ""


@dataclass(frozen=True)
class Slots:
    """Per task its resource index, per resource its slot count and name.

    Attributes:
        resource: per task, an index into ``names``/``capacities`` (0: no limit).
        capacities: per resource, how many tasks may hold it at once.
        names: per resource, its name (``""`` for resource 0).
    """

    resource: list[int]
    capacities: list[int]
    names: list[str]


def limited_resource(task_resources: Mapping[str, float], limits: Mapping[str, int]) -> list[str]:
    """The names in a task's ``resources`` that ``policies.resources`` limits."""
    return [name for name in task_resources if name in limits]


def resource_problems(spec: WorkflowSpec) -> list[Problem]:
    """Tasks naming more than one limited resource, or more than one slot of one."""
    limits = spec.policies.resources
    problems: list[Problem] = []
    if not limits:
        return problems
    for task in spec.tasks:
        names = limited_resource(task.resources, limits)
        if len(names) > 1:
            problems.append(
                Problem(
                    f"a task holds at most one limited resource; it names {', '.join(names)} "
                    "(all listed in policies.resources)",
                    task.id,
                    "resources",
                )
            )
        for name in names:
            if task.resources[name] != 1:
                problems.append(
                    Problem(
                        f"a task takes one slot of '{name}' (policies.resources limits it); "
                        f"got {task.resources[name]:g}",
                        task.id,
                        f"resources.{name}",
                    )
                )
    return problems


def make_slots(spec: WorkflowSpec, routes: Mapping[int, Route], *, lanes: int) -> Slots | None:
    """The Dispatcher's ``resource``/``capacities`` for a run (None: nothing is limited).

    Args:
        spec: the workflow.
        routes: per quantum task index, where it runs and which backend slot it holds.
        lanes: how many attempts run at once anyway (resource 0's slot count).
    """
    limits = spec.policies.resources
    if not limits and not any(r.slot for r in routes.values()):
        return None  # the common classical case: no per-task loop
    names = [NO_LIMIT]
    capacities = [max(1, lanes)]
    index: dict[str, int] = {}
    resource: list[int] = []
    for i, task in enumerate(spec.tasks):
        mine = limited_resource(task.resources, limits)
        route = routes.get(i)
        name: str | None = None
        slots = 0
        if mine:
            name, slots = mine[0], limits[mine[0]]
        elif route is not None and route.slot is not None:
            name, slots = route.slot, limits.get(route.slot, route.slots)
        if name is None or slots <= 0:
            resource.append(0)
            continue
        r = index.get(name)
        if r is None:
            r = index[name] = len(names)
            names.append(name)
            capacities.append(slots)
        resource.append(r)
    if len(names) == 1:
        return None
    return Slots(resource, capacities, names)
