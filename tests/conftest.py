from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest
from hypothesis import settings

# Tests never share a parse cache with a developer's builds, and never depend on one.
os.environ.setdefault("JIXIAO_CACHE", "off")

import jixiao.checks as _checks
from jixiao.findings import Finding
from jixiao.load import load_unit

# Property tests judge results, never speed: a busy CI machine must not fail them on hypothesis's 200 ms deadline.
settings.register_profile("jixiao", deadline=None)
settings.load_profile("jixiao")

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SEED = DATA / "2024" / "宝城镇"
FIXTURES = ROOT / "tests" / "fixtures" / "seed"
SUBPATH = "portal/jixiao"
# The public address the real site is built for: the 公示卡's QR codes and the 404 page's links use it. Its path is
# the test server's sub-path, so the 404 page's links work on localhost too.
SITE_URL = f"https://www.example.gov.cn/{SUBPATH}/"


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
        build_site(DATA, site, ROOT / "mkdocs.yml", site_url=SITE_URL)
    finally:
        os.chdir(cwd)
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static server that answers a missing address under the site with the site's own 404 page, as a
    portal's web server configured for it does."""

    not_found: Path | None = None

    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        if code == 404 and self.not_found and self.not_found.is_file() and self.command == "GET":
            body = self.not_found.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)


def serve_under_subpath(site: Path, root: Path):
    """Serve ``site`` on localhost at /portal/jixiao/, as a county portal would; yields the site's address."""
    target = root / SUBPATH
    target.parent.mkdir(parents=True)
    shutil.copytree(site, target)
    handler_class = type("Handler", (_QuietHandler,), {"not_found": target / "404.html"})
    handler = functools.partial(handler_class, directory=str(root))
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


# --- Which test makes each rule fire ----------------------------------------------------------------------------
# test_every_rule_has_a_test derives its list from this record, not from a hand-kept list: a rule counts as tested
# only when a test in this session actually made it produce a finding.
FIRED: dict[str, set[str]] = {}
_CURRENT: list[str | None] = [None]
_finding = _checks.finding


def _recording_finding(rule, where, message):
    if _CURRENT[0] is not None:
        FIRED.setdefault(rule.id, set()).add(_CURRENT[0])
    return _finding(rule, where, message)


_checks.finding = _recording_finding

# Readers, the loader and the gate name their findings by a literal id at the call (``ex.problem("missing-headers",
# …)``): every Finding made in this process is recorded, so test_every_finding_id_has_a_test covers them too.
_finding_init = Finding.__init__


def _recording_init(self, rule, *args, **kwargs):
    if _CURRENT[0] is not None:
        FIRED.setdefault(rule, set()).add(_CURRENT[0])
    _finding_init(self, rule, *args, **kwargs)


Finding.__init__ = _recording_init
WHOLE_SUITE: list[bool] = [False]
LAST = "test_every_rule_has_a_test"


@pytest.fixture(autouse=True)
def _record_rules(request):
    _CURRENT[0] = request.node.nodeid
    yield
    _CURRENT[0] = None


def pytest_collection_modifyitems(session, config, items):
    """The rule-coverage test runs last, and only when every test module was collected."""
    modules = {Path(str(item.fspath)).name for item in items}
    every = {p.name for p in Path(__file__).parent.glob("test_*.py")}
    WHOLE_SUITE[0] = every <= modules and not config.getoption("-k") and not config.getoption("-m")
    items.sort(key=lambda item: item.name == LAST)


@pytest.fixture(scope="session")
def printed_pdfs():
    """The PDFs, printed by Chromium the first time (and again when a layout changes); without Chromium the PDF
    format is skipped locally and required in CI."""
    import shutil
    import sys

    sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "realdata"))
    import build

    if not Path("/usr/bin/chromium").exists() or shutil.which("chromium") is None:
        if os.environ.get("JIXIAO_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required to print the PDF fixtures")
        return False
    build.write_pdfs(build.DOCS)
    return True


@pytest.fixture(scope="session")
def printed_heldout_pdfs():
    """The held-out corpus's PDFs, printed like the realdata ones (tests/fixtures/heldout/build_heldout.py)."""
    import sys

    sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "heldout"))
    import build_heldout

    if not Path("/usr/bin/chromium").exists() or shutil.which("chromium") is None:
        if os.environ.get("JIXIAO_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required to print the PDF fixtures")
        return False
    build_heldout.write_pdfs(build_heldout.DOCS)
    return True
