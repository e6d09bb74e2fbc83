"""A package whose import leaves a mark (``QF_SIDEFX_MARK``): validation behind an
allow-list must locate it without importing it."""

from __future__ import annotations

import os
from pathlib import Path

_mark = os.environ.get("QF_SIDEFX_MARK")
if _mark:
    Path(_mark).write_text("imported", encoding="utf-8")


def one() -> int:
    return 1
