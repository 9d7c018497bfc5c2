from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

# Tests never share a parse cache with a developer's builds, and never depend on one.
os.environ.setdefault("JIXIAO_CACHE", "off")

from jixiao.load import load_unit

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SEED = DATA / "2024" / "宝城镇"
FIXTURES = ROOT / "tests" / "fixtures" / "seed"
SUBPATH = "portal/jixiao"


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/ from the current output"
    )


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture(scope="session")
def seed():
    return load_unit(SEED)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site built from data/ by `jixiao build`, once per test session."""
    from jixiao.build import build_site

    site = tmp_path_factory.mktemp("built") / "site"
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        build_site(DATA, site, ROOT / "mkdocs.yml")
    finally:
        os.chdir(cwd)
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_under_subpath(site: Path, root: Path):
    """Serve ``site`` on localhost at /portal/jixiao/, as a county portal would; yields the site's address."""
    target = root / SUBPATH
    target.parent.mkdir(parents=True)
    shutil.copytree(site, target)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/{SUBPATH}/"
    server.shutdown()


@pytest.fixture(scope="session")
def served_site(built_site, tmp_path_factory):
    yield from serve_under_subpath(built_site, tmp_path_factory.mktemp("portal"))


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """Three fictional units over two years, built into a site with `jixiao build`."""
    root = tmp_path_factory.mktemp("demo")
    data, site = root / "data", root / "site"
    from jixiao.cli import main

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        assert main(["demo", "--units", "3", "--years", "2023,2024", "--out", str(data)]) == 0
        assert main(["build", "--data", str(data), "--site", str(site)]) == 0
    finally:
        os.chdir(cwd)
    return data, site


@pytest.fixture(scope="session")
def served_demo(demo, tmp_path_factory):
    yield from serve_under_subpath(demo[1], tmp_path_factory.mktemp("demo-portal"))
