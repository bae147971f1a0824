"""Shared fixtures: the knowledge base, a built report, the app (in-process and on a real port), Chromium."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from migrantsp.knowledge.base import Knowledge, knowledge

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPORT_DATE = date(2026, 3, 1)  # fixed, so the report's content does not move with the calendar
SIM_SIZE = 3_000  # small, for speed: above the 451 corridor x sex cells of the world scope
SIM_SEED = 1


@pytest.fixture(scope="session")
def kb() -> Knowledge:
    return knowledge()


@pytest.fixture(scope="session")
def report_dir(kb: Knowledge, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from migrantsp.report import build_report
    from migrantsp.report.simulation import SimOptions

    out = tmp_path_factory.mktemp("report")
    build_report(out, kb, REPORT_DATE, EXAMPLES, SimOptions(size=SIM_SIZE, seed=SIM_SEED))
    return out


@pytest.fixture(scope="session")
def app(kb: Knowledge) -> Any:
    from migrantsp.web import create_app

    return create_app(kb)


@pytest.fixture(scope="session")
def client(app: Any) -> Any:
    from fastapi.testclient import TestClient

    return TestClient(app)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def server_url(app: Any) -> Iterator[str]:
    """The app under uvicorn on a free localhost port, in a background thread, stopped after the tests."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start within 30 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def external_requests() -> list[str]:
    """Requests a page tried to send off this machine (the page fixture aborts and records them)."""
    return []


@pytest.fixture
def page(browser: Any, external_requests: list[str]) -> Iterator[Any]:
    """A fresh page that lets no request leave this machine and records any that tries."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:", "http://127.0.0.1:")):
            route.continue_()
        else:
            external_requests.append(url)
            route.abort()

    pg.route("**/*", guard)
    yield pg
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
