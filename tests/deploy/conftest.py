"""Fixtures for the deployment-file checks and the image smoke tests."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.deploy import image_helpers

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
#: Mounted at /home/quantumflow/work, where compose mounts notebooks/ (on PYTHONPATH there).
WORKDIR = Path(__file__).resolve().parent / "workdir"
#: The image's size is reported here and in pytest's summary.
REPORT = Path(__file__).resolve().parents[2] / "build" / "image" / "image-size.txt"
#: Above this the image is no longer lean (1.63 GB with every SDK extra, December 2026).
MAX_IMAGE_BYTES = 2_500_000_000

_reported: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "image: runs the built container image with buildah (make image-local)"
    )


@pytest.fixture(scope="session")
def compose() -> dict[str, Any]:
    data = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="session")
def env_doc() -> str:
    return (DEPLOY / "env.md").read_text(encoding="utf-8")


def _unavailable(reason: str) -> None:
    """Skip on a workstation; fail in CI, where the image must be built and tested."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must build and run the image (.ci/run installs buildah)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def image() -> dict[str, Any]:
    """The built image's config and size (`make image-local` builds it)."""
    if shutil.which("buildah") is None:
        _unavailable("buildah not found (apt-get install buildah debootstrap)")
    if os.geteuid() != 0:
        _unavailable("buildah runs the image as root here (chroot isolation)")
    info = image_helpers.image_info()
    if info is None:
        _unavailable(f"{image_helpers.IMAGE} not built: make image-local")
    assert info is not None
    size = f"{image_helpers.IMAGE}: {info['Size'] / 1e9:.2f} GB"
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(size + "\n", encoding="utf-8")
    _reported.append(size)
    return info


@pytest.fixture(scope="session")
def container(image: dict[str, Any]) -> Iterator[image_helpers.Container]:
    """One working container of the image for the session (a full copy with vfs: ~30 s)."""
    image_helpers.remove_leftover_containers()
    box = image_helpers.Container()
    try:
        yield box
    finally:
        box.remove()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for line in _reported:
        terminalreporter.write_line(f"image size: {line} (limit {MAX_IMAGE_BYTES / 1e9:.1f} GB)")
