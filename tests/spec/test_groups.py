"""The one grouping rule (quantumflow/spec/groups.py), property-tested."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from quantumflow.spec.groups import group_of, task_groups

# a task id's stem: starts with a letter or "_", does not end in a digit
stems = st.from_regex(r"[A-Za-z_][A-Za-z0-9_\-]{0,12}[A-Za-z_]", fullmatch=True)
ids = st.from_regex(r"[A-Za-z_][A-Za-z0-9_\-]{0,20}", fullmatch=True)


@given(stems, st.sampled_from(["", "_", "-", "."]), st.integers(0, 10**6))
def test_a_trailing_number_and_its_separator_go(stem: str, sep: str, n: int) -> None:
    assert group_of(f"{stem}{sep}{n}") == stem


@given(ids, st.one_of(st.none(), st.text(min_size=1, max_size=10)))
def test_a_declared_group_wins_and_a_group_is_never_empty(task_id: str, group: str | None) -> None:
    found = group_of(task_id, group)
    assert found == group if group else found
    assert task_id.startswith(found) or found == group


@given(st.lists(st.tuples(ids, st.one_of(st.none(), st.sampled_from(["a", "b"]))), max_size=30))
def test_task_groups_is_group_of_for_each_task(tasks: list[tuple[str, str | None]]) -> None:
    unique = list(dict((tid, grp) for tid, grp in tasks).items())
    specs = [{"id": tid, "group": grp} for tid, grp in unique]
    assert task_groups(specs) == [group_of(tid, grp) for tid, grp in unique]
    # objects with attributes, and ids not among the tasks, get the same rule
    assert task_groups(specs, ids=["zz_9", *[t for t, _ in unique]]) == [
        "zz",
        *[group_of(tid, grp) for tid, grp in unique],
    ]


def test_examples() -> None:
    assert group_of("point_17") == group_of("point-17") == group_of("point17") == "point"
    assert group_of("42") == "42"  # nothing would be left
    assert group_of("L3_q12") == "L3_q"
