"""Browser tests of the lab extension: a real JupyterLab (with the QuantumFlow server
extension and the built lab extension) on 127.0.0.1, driven by Debian's Chromium."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.lab_server import LABEXT_DATA, REPO, Lab, jupyter_lab
from tests.requirements import missing

BUILT = LABEXT_DATA / "labextensions" / "quantumflow" / "package.json"
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "tests" / "e2e" / "artifacts"
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here drives the browser: ``-m browser`` (make ui-test) selects them all."""
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """A real JupyterLab server with a token, its own QuantumFlow store and notebook dir."""
    if not BUILT.exists():
        missing("lab extension not built: run `make labext` first")
    if not CHROMIUM.exists():
        missing("no /usr/bin/chromium (apt-get install chromium)")
    with jupyter_lab(tmp_path_factory.mktemp("lab")) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium through playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage"],
        )
        yield b
        b.close()


def _open_lab(browser: object, lab: Lab) -> tuple[object, object, list[str]]:
    """A fresh browser context on JupyterLab, loaded; page errors are collected."""
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(f"{e}\n{e.stack or ''}"[:2000]))
    # a fresh workspace per page: a layout saved by an earlier test (a widened side
    # panel, open documents) must not carry over
    pg.goto(f"{lab.url}/lab/workspaces/{secrets.token_hex(4)}?reset&token={lab.token}")
    pg.wait_for_selector("#jp-main-dock-panel", timeout=60_000)
    pg.wait_for_function(
        "() => window.jupyterapp"
        " && window.jupyterapp.commands.hasCommand('quantumflow:open-panel')",
        timeout=60_000,
    )
    # JupyterLab's "get notified about news?" toast would cover part of the page.
    news = pg.locator(".jp-toast-button", has_text="No")
    if news.count():
        news.first.click()
    return context, pg, errors


@pytest.fixture
def page(browser: object, lab: Lab) -> Iterator[object]:
    """A JupyterLab page with the QuantumFlow panel open and widened; console errors kept."""
    context, pg, errors = _open_lab(browser, lab)
    pg.evaluate("() => window.jupyterapp.commands.execute('quantumflow:open-panel')")  # type: ignore[attr-defined]
    pg.wait_for_selector("#quantumflow-panel .jp-QFlow-tabs", timeout=30_000)  # type: ignore[attr-defined]
    widen_right_panel(pg, 1150)
    yield pg
    seen = list(errors)  # requests cut off by closing the page are not the page's errors
    context.close()  # type: ignore[attr-defined]
    assert not seen, f"page errors: {seen}"


@pytest.fixture
def lab_page(browser: object, lab: Lab) -> Iterator[object]:
    """A JupyterLab page as a user first sees it (Launcher in the main area, side bars as
    they are); console errors kept."""
    context, pg, errors = _open_lab(browser, lab)
    yield pg
    seen = list(errors)  # requests cut off by closing the page are not the page's errors
    context.close()  # type: ignore[attr-defined]
    assert not seen, f"page errors: {seen}"


def widen_right_panel(pg: object, width: int) -> None:
    """Drag the splitter left of the right side bar so the panel is `width` px wide."""
    box = pg.evaluate(  # type: ignore[attr-defined]
        """() => {
          const panel = document.getElementById('quantumflow-panel').getBoundingClientRect();
          return { x: panel.left, y: panel.top + panel.height / 2, w: panel.width };
        }"""
    )
    mouse = pg.mouse  # type: ignore[attr-defined]
    mouse.move(box["x"] - 2, box["y"])
    mouse.down()
    mouse.move(box["x"] - (width - box["w"]), box["y"], steps=8)
    mouse.up()
