"""Skip a test for a missing system dependency on a laptop, but fail in CI (CI=true).

CI must run every test: a browser test skipped there because Chromium is missing would hide
a broken install step.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def missing(reason: str) -> NoReturn:
    """Skip locally; fail when the ``CI`` environment variable is set."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} — CI must run every test, so this is a failure", pytrace=False)
    pytest.skip(reason)
