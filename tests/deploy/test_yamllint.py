"""yamllint on every YAML file under deploy/ and .github/."""

from __future__ import annotations

from pathlib import Path

import pytest
from yamllint import linter
from yamllint.config import YamlLintConfig

from tests.deploy.deploy_helpers import DEPLOY, ROOT

FILES = sorted([*DEPLOY.rglob("*.yaml"), *(ROOT / ".github").rglob("*.yml")])
CONFIG = YamlLintConfig(file=str(DEPLOY / ".yamllint.yaml"))


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_yamllint_clean(path: Path) -> None:
    problems = list(linter.run(path.read_text(encoding="utf-8"), CONFIG, str(path)))
    assert [f"{p.line}:{p.column} {p.message}" for p in problems] == []


def test_yamllint_config_rejects_bad_yaml() -> None:
    problems = list(linter.run("a: 1\na: 2\nb:  [1,2]\n", CONFIG))
    assert any("duplication" in p.message for p in problems)
