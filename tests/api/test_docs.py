"""docs/api.md is generated from the OpenAPI schema and must be up to date."""

from __future__ import annotations

from quantumflow.api import docs


def test_api_reference_is_current() -> None:
    assert docs.DEFAULT_PATH.read_text(encoding="utf-8") == docs.current(), (
        "docs/api.md is stale: run `python -m quantumflow.api.docs`"
    )


def test_check_mode(tmp_path) -> None:
    stale = tmp_path / "api.md"
    stale.write_text("old\n")
    assert docs.main(["--check", "--path", str(stale)]) == 1
    assert docs.main(["--path", str(stale)]) == 0
    assert docs.main(["--check", "--path", str(stale)]) == 0
    assert "### `GET /api/runs/{run_id}/events`" in stale.read_text()
