"""Human forms: the same table as the lab extension's format.ts (formatCases.json)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from quantumflow import formats

CASES = json.loads(
    (Path(__file__).parents[1] / "labextension/src/model/formatCases.json").read_text("utf-8")
)


@pytest.mark.parametrize(("seconds", "text"), CASES["duration"])
def test_duration(seconds: float, text: str) -> None:
    assert formats.duration(seconds) == text


@pytest.mark.parametrize(("n", "text"), CASES["bytes"])
def test_size(n: float, text: str) -> None:
    assert formats.size(n) == text


@pytest.mark.parametrize(("n", "noun", "text"), CASES["count"])
def test_count(n: int, noun: str, text: str) -> None:
    assert formats.count(n, noun) == text


def test_when_is_local_and_relative_to_today() -> None:
    now = dt.datetime(2026, 11, 25, 12, 0, 0).timestamp()
    at = dt.datetime(2026, 11, 25, 6, 19, 7).timestamp()
    assert formats.when(at, now=now) == "today 06:19:07"
    assert formats.when(at - 86400, now=now) == "yesterday 06:19:07"
    assert formats.when(at - 3 * 86400, now=now) == "2026-11-22 06:19:07"
    assert formats.when(None) == "—" and formats.duration(None) == "—"


def test_output_summary() -> None:
    result = {"counts": {"00": 508, "11": 516}, "shots": 1024, "metadata": {}}
    assert formats.output_summary(result) == "counts: 2 outcomes, top 11 (516/1024)"
    assert formats.output_summary(0.123456789) == "0.123457"
    assert formats.output_summary("11") == "11"
    assert formats.output_summary(None) == "null"
    sweep = {"sweep": {"points": [{}, {}, {}], "results": []}}
    assert formats.output_summary(sweep) == "sweep of 3 points"
    long = formats.output_summary({"x": list(range(100))}, width=30)
    assert len(long) == 30 and long.endswith("…")
