"""How big a batch of quantum tasks may grow: the cost model's cut, the workflow's own
choice, and the split of a big group between the SDK's worker processes."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from quantumflow.cost.batching import MAX_BATCH, MIN_PART_S, TARGET_BATCH_S, batch_limit


def test_a_big_group_of_small_circuits_is_split_evenly_between_workers() -> None:
    assert batch_limit([0.002] * 1000, remote=False, workers=2) == (500, 0.005)
    assert batch_limit([0.002] * 1000, remote=False, workers=4)[0] == 250


def test_a_small_group_stays_one_batch_when_a_second_worker_would_not_pay() -> None:
    # 6 x 2 ms of work: waking another worker costs more than it saves
    assert batch_limit([0.002] * 6, remote=False, workers=2)[0] == 6


def test_long_members_are_cut_by_the_target_time_whatever_the_workers() -> None:
    size, _ = batch_limit([1.0] * 100, remote=False, workers=2)
    assert size == math.floor(TARGET_BATCH_S / 1.0)


def test_the_workflow_and_cloud_backends_keep_their_own_limits() -> None:
    assert batch_limit([0.002] * 1000, remote=False, workers=2, max_size=700)[0] == 700
    assert batch_limit([0.002] * 1000, remote=True, workers=2) == (MAX_BATCH, 0.25)
    assert batch_limit([0.002] * 10, remote=False, window_ms=20)[1] == 0.02


@given(
    st.lists(st.floats(min_value=1e-5, max_value=10.0), min_size=1, max_size=300),
    st.integers(min_value=1, max_value=8),
)
def test_every_part_is_worth_a_worker_and_no_more_parts_than_workers(
    costs: list[float], workers: int
) -> None:
    size, _ = batch_limit(costs, remote=False, workers=workers)
    assert 1 <= size <= MAX_BATCH
    parts = math.ceil(len(costs) / size)
    alone = batch_limit(costs, remote=False)[0]
    if size < alone:  # split because of the workers: few enough parts, each worth it
        assert parts <= workers
        assert sum(costs) / parts >= MIN_PART_S * 0.5
