"""Run the built image without a container engine: `buildah run --isolation chroot`.

The commands run in one working container made from the image (`buildah from`), as the
image's own user, with the host's network (so servers bound to 127.0.0.1 answer the tests),
and with host directories bind-mounted where compose mounts its volumes. A server is a
`buildah run` in its own process group, stopped by that group's id.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: compose.yaml's image name (`quantumflow:${QUANTUMFLOW_IMAGE_TAG:-dev}`), as `make image-local`
#: tags it; buildah stores it under localhost/.
IMAGE = "localhost/quantumflow:dev"
STORAGE_DRIVER = os.environ.get("BUILDAH_STORAGE_DRIVER", "vfs")
#: Working containers of test sessions are named qf-test-<pid>; a dead pid's is left over.
_PREFIX = "qf-test-"


def buildah(*args: str, timeout: float = 600, check: bool = True) -> str:
    """Run buildah (with the storage driver `make image` uses) and return its stdout."""
    proc = subprocess.run(
        ["buildah", "--storage-driver", STORAGE_DRIVER, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and proc.returncode != 0:
        raise RuntimeError(f"buildah {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def image_info(image: str = IMAGE) -> dict[str, Any] | None:
    """The image's config (`Config`) and size in bytes (`Size`), or None when it is not built."""
    listing = subprocess.run(
        ["buildah", "--storage-driver", STORAGE_DRIVER, "images", "--json", image],
        capture_output=True,
        text=True,
        check=False,
    )
    if listing.returncode != 0:
        return None
    (entry,) = json.loads(listing.stdout)
    inspected = json.loads(buildah("inspect", "--type", "image", image))
    return {
        "Config": inspected["Docker"]["config"],
        "Size": _bytes(entry["size"]),
        "Id": entry["id"],
    }


def _bytes(human: str) -> int:
    """buildah's sizes ("1.64 GB", decimal units) in bytes."""
    number, unit = human.split()
    scale = {"B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12}[unit.upper()]
    return int(float(number) * scale)


def remove_leftover_containers() -> None:
    """Remove working containers of earlier test sessions whose process is gone."""
    names = buildah("containers", "--format", "{{.ContainerName}}").split()
    for name in names:
        match = re.fullmatch(rf"{_PREFIX}(\d+)", name)
        if match and not _alive(int(match[1])):
            buildah("rm", name, check=False)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True)
class Mount:
    """A host directory bind-mounted into the container."""

    host: Path
    target: str
    read_only: bool = False

    def option(self) -> str:
        return f"{self.host}:{self.target}" + (":ro" if self.read_only else "")


class Container:
    """One working container of the image; commands run in it as the image's user."""

    def __init__(self, image: str = IMAGE) -> None:
        self.name = f"{_PREFIX}{os.getpid()}"
        buildah("from", "--name", self.name, "--pull=never", "--quiet", image)

    def remove(self) -> None:
        buildah("rm", self.name, check=False)

    def _argv(
        self, cmd: Sequence[str], env: Mapping[str, str], mounts: Sequence[Mount]
    ) -> list[str]:
        argv = ["buildah", "--storage-driver", STORAGE_DRIVER, "run", "--isolation", "chroot"]
        for key, value in env.items():
            argv += ["--env", f"{key}={value}"]
        for mount in mounts:
            argv += ["--volume", mount.option()]
        return [*argv, self.name, "--", *cmd]

    def run(
        self,
        *cmd: str,
        env: Mapping[str, str] | None = None,
        mounts: Sequence[Mount] = (),
        timeout: float = 300,
    ) -> subprocess.CompletedProcess[str]:
        """Run ``cmd`` to completion; the result's returncode is the command's own."""
        return subprocess.run(
            self._argv(cmd, env or {}, mounts),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    @contextlib.contextmanager
    def start(
        self,
        *cmd: str,
        log: Path,
        env: Mapping[str, str] | None = None,
        mounts: Sequence[Mount] = (),
    ) -> Iterator[subprocess.Popen[bytes]]:
        """Run ``cmd`` in the background (output to ``log``); stop its process group on exit."""
        with log.open("wb") as out:
            proc = subprocess.Popen(
                self._argv(cmd, env or {}, mounts),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            yield proc
        finally:
            _stop(proc)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 10)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_until(
    check: Any, *, what: str, timeout: float, proc: subprocess.Popen[bytes], log: Path
) -> None:
    """Poll ``check()`` until it is true; fail with the server's log if it exits or times out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"{what} exited ({proc.returncode}):\n{log.read_text()[-4000:]}")
        with contextlib.suppress(OSError, urllib.error.URLError):
            if check():
                return
        time.sleep(0.5)
    raise AssertionError(f"{what} not ready after {timeout} s:\n{log.read_text()[-4000:]}")


def http_status(url: str, headers: Mapping[str, str] | None = None) -> int:
    """The HTTP status of a GET (errors included, no exception for 4xx/5xx)."""
    request = urllib.request.Request(url, headers=dict(headers or {}))
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as err:
        return int(err.code)


def http_get(url: str, headers: Mapping[str, str] | None = None) -> str:
    """The body of a successful GET."""
    request = urllib.request.Request(url, headers=dict(headers or {}))
    with urllib.request.urlopen(request, timeout=30) as resp:
        return str(resp.read().decode())


def writable_by_image_user(path: Path) -> Path:
    """Make ``path`` (a fresh directory) owned by the image's uid 1000, as a volume would be."""
    path.mkdir(parents=True, exist_ok=True)
    shutil.chown(path, 1000, 1000)
    return path
