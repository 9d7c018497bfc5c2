"""The tool a county installs: the command line's conventions, `jixiao init`, the MkDocs plugin, the cache, and a
preview that shows edits."""

from __future__ import annotations

import fcntl
import gzip
import io
import json
import os
import pty
import re
import shutil
import socket
import struct
import subprocess
import sys
import termios
import time
import urllib.error
import urllib.request
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
import yaml

from jixiao.cli import main
from jixiao.cli_parser import build_parser
from jixiao.model import SiteInfo
from jixiao.plugin import JixiaoPlugin
from jixiao.site import generate

from .conftest import DATA, FIXTURES, ROOT, SEED

ENGLISH = ("usage:", "options:", "show this help", "positional arguments", "show program's", "error:")


def run(*args: str, cwd: Path = ROOT, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "jixiao", *args], cwd=cwd, capture_output=True, text=True, env=env, **kwargs
    )


def help_of(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as exit_:
        main([*argv, "--help"])
    assert exit_.value.code == 0
    return capsys.readouterr().out


def test_help_is_chinese_throughout_with_the_exit_codes(capsys):
    commands = build_parser()._subparsers._group_actions[0].choices
    assert set(commands) >= {"build", "check", "import", "serve", "demo", "init", "cache"}
    for argv in [(), *((name,) for name in commands)]:
        text = help_of(capsys, *argv)
        assert text.startswith(f"用法：jixiao {' '.join(argv)}".rstrip()), argv
        assert "选项：" in text and "显示本帮助并退出" in text, argv
        assert "退出状态：\n  0  成功\n  1  数据有误" in text and "2  命令用法有误" in text, argv
        assert not [word for word in ENGLISH if word in text.lower()], (argv, text)
    serve = help_of(capsys, "serve")
    assert "--addr 地址:端口" in serve and "预览地址和端口（默认 127.0.0.1:8000）" in serve
    assert "--data 目录" in serve and "--config 文件" in serve


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["build", "--bogus"], "jixiao：错误：无法识别的参数：--bogus"),
        (["frob"], "jixiao：错误：参数 <命令>：无效的选择：'frob'（可选：'build', 'check'"),
        (
            ["demo", "--units", "x", "--out", "y"],
            "jixiao demo：错误：参数 --units：无效的值：'x'（应为整数）",
        ),
        (["demo", "--units", "3"], "jixiao demo：错误：缺少必需的参数：--out"),
        (["cache"], "jixiao cache：错误：缺少必需的参数：操作"),
        (["build", "--site"], "jixiao build：错误：参数 --site：需要一个值"),
    ],
)
def test_usage_errors_exit_2_in_chinese(capsys, argv, message):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：jixiao")
    assert message in err, err


def test_python_m_jixiao_and_version():
    result = run("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"jixiao {metadata.version('jixiao')}\n"
    assert run("build", "--bogus").returncode == 2


def test_progress_is_a_line_per_phase_off_a_terminal_and_quiet_silences_it():
    result = run("check", "--data", str(DATA))
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(
        r"读取并核对：1 个单位，0 处错误，3 处需核对，8 条提示（\d+\.\d 秒）\n", result.stderr
    ), result.stderr
    assert result.stdout.splitlines()[-1] == "检查完毕：1 个单位，0 处错误，3 处需核对，8 条提示。"
    for argv in (["-q", "check", "--data", str(DATA)], ["check", "--quiet", "--data", str(DATA)]):
        quiet = run(*argv)
        assert quiet.returncode == 0 and quiet.stderr == "", quiet.stderr
        assert "检查完毕" not in quiet.stdout
        assert "[stated-rate]" in quiet.stdout  # the findings are the output, not chatter


def test_progress_bar_on_a_terminal():
    leader, follower = pty.openpty()
    # A terminal 100 columns wide: a bar needs a width to draw in.
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "jixiao", "check", "--data", str(DATA)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=follower,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert process.wait() == 0
    os.close(leader)
    screen = b"".join(chunks).decode("utf-8", "replace")
    assert "\r" in screen  # redrawn in place
    assert re.search(r"读取并核对: 100%\|█+\| 1/1 \[", screen), screen


def test_init_refuses_a_folder_that_is_not_empty(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        f"错误：{tmp_path}: 不是空文件夹；请换一个新文件夹名，jixiao init 不会覆盖已有文件\n"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_init_rejects_an_address_that_is_not_http(tmp_path, capsys):
    assert main(["init", str(tmp_path / "site1"), "--url", "portal.example/jixiao"]) == 1
    assert "错误：--url：应为网站的 http(s) 地址" in capsys.readouterr().err
    assert not (tmp_path / "site1").exists()


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    """`jixiao init site1`, the seed's folder copied in, `jixiao build` run there as a clerk would."""
    root = tmp_path_factory.mktemp("first-run")
    init = run("init", "site1", "--county", "渠县", "--url", "https://portal.example/jixiao", cwd=root)
    project = root / "site1"
    shutil.copytree(SEED, project / "data" / "2024" / "宝城镇")
    build = run("build", cwd=project)
    return project, init, build


def test_init_writes_a_project_that_builds(first_run):
    project, init, build = first_run
    assert init.returncode == 0, init.stderr
    written = sorted(p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file())
    example = next(p for p in written if p.endswith("/evaluation.yaml") and "示例镇01" in p)
    assert init.stdout.splitlines()[0] == "新网站项目已建在 site1（5 个文件）："
    # The seed's folder was copied in after init.
    assert sorted(p for p in written if not p.startswith("site/") and "宝城镇" not in p) == sorted(
        [".gitignore", ".site.lock", "README.md", "data/README.md", example, "data/site.yaml"]
    )
    info = SiteInfo.model_validate(
        yaml.safe_load((project / "data" / "site.yaml").read_text(encoding="utf-8"))
    )
    assert (info.county, info.url, info.demo, info.title) == (
        "渠县",
        "https://portal.example/jixiao/",
        True,
        None,
    )
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert "jixiao serve   # 本地预览" in readme and "jixiao build   # 检查数据并生成网站" in readme
    assert "演示数据" in (project / example).read_text(encoding="utf-8")

    assert build.returncode == 0, build.stderr
    assert build.stdout.startswith(f"网站已生成：{(project / 'site').resolve()}（2 个单位")
    phases = [line.split("：")[0] for line in build.stderr.splitlines()]
    assert phases == ["读取数据", "核对数据", "生成网页", "搜索索引"], build.stderr
    site = project / "site"
    for page in (
        "index.html",
        "2024/宝城镇/index.html",
        example.removeprefix("data/").replace("evaluation.yaml", "index.html"),
        "checks/index.html",
        "about/index.html",
        "search/index.html",
    ):
        assert "演示数据（虚构）" in (site / page).read_text(encoding="utf-8"), page
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert (site / "assets" / "js" / "plotly-jixiao.min.js").is_file()
    assert (site / "2024" / "宝城镇" / "原始文件" / "自评表.xlsx").is_file()
    # site.yaml's url is the site's address: the 404 page, served at any depth, leads home and to search by it.
    not_found = (site / "404.html").read_text(encoding="utf-8")
    assert 'href="/jixiao/"' in not_found and 'href="/jixiao/search/"' in not_found
    assert not list(project.glob(".jixiao-cache")) and not (project / "mkdocs.yml").exists()


def test_verbose_shows_mkdocs_own_log_and_the_default_does_not(first_run, tmp_path):
    project, _, quiet_build = first_run
    log = re.compile(r"(?:DEBUG|INFO|WARNING) +-  ")
    # Without -v a clerk sees the four phase lines only (asserted line by line above), no MkDocs log line.
    assert quiet_build.returncode == 0 and not [
        line for line in quiet_build.stderr.splitlines() if log.match(line)
    ]
    verbose = run("-v", "build", "--site", str(tmp_path / "site"), cwd=project)
    assert verbose.returncode == 0, verbose.stderr
    lines = verbose.stderr.splitlines()
    mkdocs = [line for line in lines if log.match(line)]
    assert any(line.startswith("INFO    -  Building documentation to directory: ") for line in mkdocs), lines
    assert any(re.fullmatch(r"INFO    -  Documentation built in [\d.]+ seconds", line) for line in mkdocs), (
        lines
    )
    # The progress lines are still there, between MkDocs' own.
    assert [line.split("：")[0] for line in lines if not log.match(line)] == [
        "读取数据",
        "核对数据",
        "生成网页",
        "搜索索引",
    ]
    assert (tmp_path / "site" / "2024" / "宝城镇" / "index.html").is_file()


@pytest.fixture(scope="module")
def from_the_wheel(tmp_path_factory):
    """The wheel pip builds from the package's files, unpacked into a folder of its own, and a project that
    `jixiao init` and `jixiao build` make from there, outside the repository: what a county installs and runs."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    # A copy, so that setuptools' build/ and egg-info of an earlier run (or a file since deleted) cannot slip in.
    shutil.copytree(ROOT / "jixiao", source / "jixiao", ignore=shutil.ignore_patterns("__pycache__"))
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index"]
        + ["--wheel-dir", str(root / "dist"), str(source)],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = (root / "dist").glob("jixiao-*-py3-none-any.whl")
    installed = root / "installed"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(installed)
    # The wheel's jixiao comes first on the path; the working folder holds no jixiao of its own.
    env = {**os.environ, "PYTHONPATH": str(installed)}
    work = root / "work"
    work.mkdir()
    imported = subprocess.run(
        [sys.executable, "-c", "import jixiao; print(jixiao.__file__)"],
        cwd=work,
        capture_output=True,
        text=True,
        env=env,
    )
    init = run("init", "site1", "--county", "渠县", cwd=work, env=env)
    build = run("build", cwd=work / "site1", env=env)
    return installed, imported, init, build, work / "site1" / "site"


def test_the_wheel_alone_makes_a_working_site(from_the_wheel):
    installed, imported, init, build, site = from_the_wheel
    assert imported.returncode == 0, imported.stderr
    assert Path(imported.stdout.strip()).is_relative_to(installed), imported.stdout
    assert init.returncode == 0, init.stderr
    assert build.returncode == 0, build.stderr
    assert build.stdout.startswith(f"网站已生成：{site.resolve()}（1 个单位")
    (unit,) = site.glob("*/示例镇01/index.html")
    page = unit.read_text(encoding="utf-8")
    assert re.search(r"<h1[^>]*>示例县示例镇01人民政府 \d{4} 年预算绩效自评", page), page[:2000]
    assert "演示数据（虚构）" in page and 'class="jx-chart" data-figure=' in page
    # The theme's styles and scripts (Material's and jixiao's) are all there, as the page links them.
    linked = re.findall(r'<(?:link rel="stylesheet"[^>]*href|script[^>]*src)="(?!https?:)([^"]+)"', page)
    assert len(linked) >= 6 and any("/assets/js/charts." in href for href in linked)
    missing = [href for href in linked if not (unit.parent / href).resolve().is_file()]
    assert missing == []
    assert list(site.glob("assets/js/plotly-jixiao.min.*.js"))
    assert (site / "assets" / "js" / "plotly-jixiao.LICENSE.txt").is_file()
    # The pages the package ships (搜索, 说明), and Pagefind's index with the unit page in it.
    search = (site / "search" / "index.html").read_text(encoding="utf-8")
    assert '<div id="jx-search" data-pagefind-ignore></div>' in search
    assert "什么是" in (site / "about" / "index.html").read_text(encoding="utf-8")
    assert (site / "pagefind" / "pagefind.js").is_file()
    fragments = [gzip.decompress(f.read_bytes()) for f in (site / "pagefind" / "fragment").iterdir()]
    urls = {json.loads(f[f.index(b"{") :])["url"] for f in fragments}
    assert "/" + unit.parent.relative_to(site).as_posix() + "/" in urls, urls


def files_of(site: Path) -> dict[str, object]:
    """Every file's content; a workbook's parts but its timestamps (openpyxl stamps the time of writing)."""
    out: dict[str, object] = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        content = path.read_bytes()
        if path.suffix == ".gz":
            content = gzip.decompress(content)
        elif path.suffix == ".xlsx":
            with zipfile.ZipFile(io.BytesIO(content)) as book:
                content = {n: book.read(n) for n in book.namelist() if n != "docProps/core.xml"}
        out[path.relative_to(site).as_posix()] = content
    return out


def test_mkdocs_build_gives_the_same_site_as_jixiao_build(first_run):
    project, _, _ = first_run
    # The project's own minimal mkdocs.yml: the rest comes from the plugin.
    (project / "mkdocs.yml").write_text(
        "site_name: 预算绩效自评公开\nplugins:\n  - jixiao\n", encoding="utf-8"
    )
    (project / "docs").mkdir()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", "mkdocs-site"],
            cwd=project,
            capture_output=True,
            text=True,
        )
    finally:
        (project / "mkdocs.yml").unlink()
        (project / "docs").rmdir()
    assert result.returncode == 0, result.stderr
    by_jixiao, by_mkdocs = files_of(project / "site"), files_of(project / "mkdocs-site")
    assert len(by_jixiao) > 50 and "pagefind/pagefind.js" in by_mkdocs
    assert sorted(by_jixiao) == sorted(by_mkdocs)
    differ = [name for name in by_jixiao if by_jixiao[name] != by_mkdocs[name]]
    assert differ == []


def test_the_reference_project_uses_the_packaged_files():
    assert yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8")) == {
        "site_name": "预算绩效自评公开",
        "plugins": ["jixiao"],
    }
    assert not [p for p in (ROOT / "overrides").rglob("*") if p.is_file()]
    # MkDocs needs the folder; the reference project has no page of its own.
    assert [p.name for p in (ROOT / "docs").rglob("*") if p.is_file()] == [".gitkeep"]
    assert not list((ROOT / "scripts").glob("gen_pages.py")) and not list((ROOT / "scripts").glob("*hooks*"))


def test_no_raw_html_relative_link_outside_an_index_page():
    """Zensical resolves a raw-HTML link of `checks.md` from checks/ as if from the root: only index.md is safe."""
    pages: dict[str, str] = {}

    def write(path: str, content: str | bytes | Path) -> None:
        if path.endswith(".md"):
            pages[path] = content.read_text(encoding="utf-8") if isinstance(content, Path) else content

    generate(DATA, write, lambda path, content: write(path, content))
    packaged = Path(__file__).parent.parent / "jixiao" / "pages"
    for page in packaged.rglob("*.md"):
        pages[page.relative_to(packaged).as_posix()] = page.read_text(encoding="utf-8")
    assert len(pages) >= 10 and "checks/index.md" in pages
    for path, text in pages.items():
        if path == "index.md" or path.endswith("/index.md"):
            continue
        assert not re.search(r"""(?:href|src)=["'](?![a-z]+:|/|#)""", text), path


def test_cache_is_in_the_user_cache_folder_never_the_current_one(tmp_path):
    work, cache_home = tmp_path / "work", tmp_path / "xdg-cache"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "JIXIAO_CACHE"}
    env["XDG_CACHE_HOME"] = str(cache_home)
    result = run("import", str(FIXTURES / "自评表.xlsx"), cwd=work, env=env)
    assert result.returncode == 0, result.stderr
    cached = list((cache_home / "jixiao" / "parsed").glob("*.json"))
    assert len(cached) == 1
    assert list(work.iterdir()) == []
    info = run("cache", "info", cwd=work, env=env)
    assert info.stdout.startswith(f"缓存位置：{cache_home / 'jixiao' / 'parsed'}（1 个文件，")
    cleared = run("cache", "clear", cwd=work, env=env)
    assert cleared.returncode == 0 and cleared.stdout.startswith("已清空缓存")
    assert not list(cache_home.rglob("*.json"))


def test_a_rebuild_in_the_same_process_shows_a_data_edit(tmp_path, capsys):
    """What `jixiao serve` does on an edit: the plugin watches data/, and the next build reads the new data."""
    data, site = tmp_path / "data", tmp_path / "site"
    folder = data / "2024" / "宝城镇"
    folder.mkdir(parents=True)
    evaluation = yaml.safe_load((FIXTURES / "expected.yaml").read_text(encoding="utf-8"))
    (folder / "evaluation.yaml").write_text(yaml.safe_dump(evaluation, allow_unicode=True), encoding="utf-8")
    assert main(["build", "-q", "--data", str(data), "--site", str(site)]) == 0, capsys.readouterr().err
    page = site / "2024" / "宝城镇" / "index.html"
    assert "村、社区劝导员人数" in page.read_text(encoding="utf-8")

    evaluation["indicators"][1]["name"] = "村、社区文明劝导员人数（改）"
    (folder / "evaluation.yaml").write_text(yaml.safe_dump(evaluation, allow_unicode=True), encoding="utf-8")
    assert main(["build", "-q", "--data", str(data), "--site", str(site)]) == 0, capsys.readouterr().err
    assert "村、社区文明劝导员人数（改）" in page.read_text(encoding="utf-8")

    class Server:
        watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(path)

    plugin = JixiaoPlugin()
    plugin.load_config({"data_dir": str(data)})
    config = type("Config", (), {"config_file_path": str(tmp_path / "mkdocs.yml")})()
    assert plugin.on_serve(Server(), config, None).watched == [str(data)]


def test_site_yaml_is_checked_with_its_lines(tmp_path, capsys):
    shutil.copytree(SEED, tmp_path / "2024" / "宝城镇")
    (tmp_path / "site.yaml").write_text(
        "title: 渠县\nurl: portal.example/jixiao\nlicense: CC\n", encoding="utf-8"
    )
    assert main(["check", "--data", str(tmp_path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[1:3] == [
        f"{tmp_path / 'site.yaml'}:2: url: 应为网站的 http(s) 地址，如 https://portal.example/jixiao/；"
        "实际为 'portal.example/jixiao' [invalid-value]",
        f"{tmp_path / 'site.yaml'}:3: license: 未知字段（是否拼写有误？） [unknown-field]",
    ]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return 0, ""


def _wait_for(condition, what: str, seconds: float = 90):
    """Poll until ``condition()`` is true; a bounded wait for a server, not a measure of its speed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.5)
    raise AssertionError(f"{what}: not within {seconds} s")


def test_serve_has_search_and_shows_a_data_edit(tmp_path):
    """`jixiao serve` in a project without mkdocs.yml: Pagefind's index is there, and an edit to the data rebuilds."""
    folder = tmp_path / "data" / "2024" / "宝城镇"
    folder.mkdir(parents=True)
    evaluation = yaml.safe_load((FIXTURES / "expected.yaml").read_text(encoding="utf-8"))
    (folder / "evaluation.yaml").write_text(yaml.safe_dump(evaluation, allow_unicode=True), encoding="utf-8")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [sys.executable, "-m", "jixiao", "serve", "--addr", f"127.0.0.1:{port}"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(lambda: _get(base + "pagefind/pagefind.js")[0] == 200, "the search index under serve")
        unit = base + "2024/%E5%AE%9D%E5%9F%8E%E9%95%87/"
        assert "村、社区劝导员人数" in _get(unit)[1]
        evaluation["indicators"][1]["name"] = "村、社区文明劝导员人数（改）"
        (folder / "evaluation.yaml").write_text(
            yaml.safe_dump(evaluation, allow_unicode=True), encoding="utf-8"
        )
        _wait_for(lambda: "村、社区文明劝导员人数（改）" in _get(unit)[1], "the edit in the preview")
    finally:
        server.terminate()
        log = server.communicate(timeout=30)[1]
    assert "Serving on" in log and "Detected file changes" in log, log
    assert "Traceback" not in log and "ERROR" not in log, log
