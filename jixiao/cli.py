"""The command line: ``jixiao build|check|import|serve|demo|init|cache``. Only here is it decided to stop on errors.

Exit status: 0 done; 1 the data has errors, or the site could not be built; 2 the command was used wrongly (argparse).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
from pathlib import Path

from jixiao.cli_parser import build_parser
from jixiao.findings import InvalidData, JixiaoError, problem
from jixiao.progress import for_stream, showing


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    quiet, verbose = getattr(args, "quiet", False), getattr(args, "verbose", False)
    args.quiet, args.verbose = quiet, verbose
    # Material and its dependencies print banners about MkDocs 2 on every build: not a clerk's concern.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")
    _log_mkdocs(logging.INFO if verbose else logging.WARNING)
    commands_ = {
        "build": _build,
        "check": _check,
        "import": _import,
        "serve": _serve,
        "demo": _demo,
        "init": _init,
        "cache": _cache,
    }
    try:
        with showing(for_stream(quiet)):
            return commands_[args.command](args)
    except InvalidData as err:
        for finding in err.findings:
            print(finding.line(), file=sys.stderr)
        errors = sum(f.severity == "error" for f in err.findings)
        print(
            f"共 {errors} 处错误，未生成网站。" if args.command == "build" else f"共 {errors} 处错误。",
            file=sys.stderr,
        )
        return 1
    except JixiaoError as err:
        print(f"错误：{err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130


def _say(args, text: str) -> None:
    """A closing summary or hint on stdout; -q leaves it out."""
    if not args.quiet:
        print(text)


def _build(args) -> int:
    from jixiao.build import build_site

    built = build_site(args.data, args.site, args.config, site_url=args.site_url)
    _say(
        args,
        f"网站已生成：{built.site_dir.resolve()}（{built.units} 个单位，用时 {built.seconds:.1f} 秒；"
        f"数据核对：{built.summary}，已随页面公开）",
    )
    return 0


def _check(args) -> int:
    from jixiao.checks import check_loaded, counts, summary
    from jixiao.load import load_unit_with_origins, unit_folders
    from jixiao.progress import current
    from jixiao.site import site_info

    folders = args.paths or unit_folders(args.data)
    everything, report = [], []
    try:
        site_info(args.data)
    except InvalidData as err:
        everything += err.findings
        report += [
            f"【{args.data}】site.yaml：{summary(err.findings)}",
            *(f.line() for f in err.findings),
            "",
        ]
    # The findings are printed after the progress bar has gone, so the two never interleave on a terminal.
    with current().phase("读取并核对", len(folders), "个单位") as step:
        for folder in folders:
            try:
                item = load_unit_with_origins(folder)
                findings, title = check_loaded(item), f"{item.evaluation.unit.name} {item.evaluation.year} 年"
            except InvalidData as err:
                findings, title = err.findings, "未能读取"
            everything += findings
            if findings:
                report += [f"【{folder}】{title}：{summary(findings)}", *(f.line() for f in findings), ""]
            step.advance()
        step.note = summary(everything)
    for line in report:
        print(line)
    _say(args, f"检查完毕：{len(folders)} 个单位，{summary(everything)}。")
    return 1 if counts(everything)["error"] else 0


def _import(args) -> int:
    from jixiao.forms import import_files
    from jixiao.load import load_unit

    folders = [p for p in args.paths if p.is_dir()]
    files = [p for p in args.paths if not p.is_dir()]
    if folders and files:
        raise JixiaoError("请只给单位目录，或只给文件，不要混在一起")
    missing = [p for p in files if not p.exists()]
    if missing:
        raise InvalidData([problem("missing-file", str(p), "文件不存在") for p in missing])
    if files:
        imported = import_files(files)
        out = {**imported.data, "sources": imported.sources}
        # Warnings and infos: the data is printed, and what was not read is said.
        for finding in imported.findings:
            print(finding.line(), file=sys.stderr)
        if args.explain:
            for line in imported.explain:
                print(line, file=sys.stderr)
    else:
        findings, documents = [], []
        for folder in folders:
            try:
                documents.append(load_unit(folder).canonical())
            except InvalidData as err:
                findings.extend(err.findings)
        if findings:
            raise InvalidData(findings)
        out = documents[0] if len(documents) == 1 else documents
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


def _demo(args) -> int:
    from jixiao.demo import write_demo

    try:
        years = sorted({int(y) for y in str(args.years).split(",") if y.strip()})
    except ValueError:
        raise JixiaoError(f"--years 应为逗号分隔的年度，如 2023,2024；实际为 {args.years!r}") from None
    if args.units < 1 or not years:
        raise JixiaoError("--units 至少为 1，--years 至少一个年度")
    out = args.out.resolve()
    if out == Path("data").resolve() or (out.exists() and any(out.glob("*/*/unit.yaml"))):
        raise JixiaoError(f"{args.out}: 这里有真实数据；演示数据请写到别的目录（如 build/demo）")
    folders = write_demo(out, args.units, years, args.seed)
    _say(
        args,
        f"演示数据已写入 {args.out}：{args.units} 个虚构单位 × {len(years)} 个年度 = {len(folders)} 份自评",
    )
    _say(args, f"生成网站：jixiao build --data {args.out} --site {args.out}-site")
    return 0


def _serve(args) -> int:
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import Abort, MkDocsException

    from jixiao.project import mkdocs_options

    project = args.config.parent if args.config else Path.cwd()
    read, options = mkdocs_options(project, args.data, args.config)
    if not args.quiet:
        _log_mkdocs(logging.INFO)  # MkDocs says where it serves and when it rebuilds
    try:
        # The plugin watches the data folder: an edit rebuilds the pages and the search index.
        serve(
            config_file=str(read), dev_addr=args.addr, livereload=True, open_in_browser=args.open, **options
        )
    except (Abort, MkDocsException) as err:
        raise JixiaoError(f"预览未能启动：{err}") from None
    return 0


def _init(args) -> int:
    from jixiao.model import SiteInfo
    from jixiao.new_project import create_project

    try:
        info = SiteInfo(title=args.title, county=args.county, url=args.url, licence=args.licence)
    except ValueError as err:
        raise JixiaoError(f"--url：{err.errors()[0]['ctx']['error']}") from None
    files = create_project(args.folder, info)
    _say(args, f"新网站项目已建在 {args.folder}（{len(files)} 个文件）：")
    for path in files:
        _say(args, f"  {path.relative_to(args.folder)}")
    _say(args, f"下一步：cd {args.folder} && jixiao serve   （预览；jixiao build 生成 site/）")
    return 0


def _cache(args) -> int:
    from jixiao.forms import cache_dir

    folder = cache_dir()
    # Parsed files at the top, each unit's loaded and rendered results in units/ (jixiao.incremental).
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    size = sum(f.stat().st_size for f in files)
    if args.action == "info":
        print(f"缓存位置：{folder}（{len(files)} 个文件，{size / 1e6:.1f} MB）")
        return 0
    if folder.is_dir():
        shutil.rmtree(folder)
    _say(args, f"已清空缓存 {folder}（{len(files)} 个文件，{size / 1e6:.1f} MB）")
    return 0


class _StderrHandler(logging.Handler):
    """Writes to whatever sys.stderr is when a record arrives (not when the handler was made)."""

    _jixiao = True

    def emit(self, record: logging.LogRecord) -> None:
        print(self.format(record), file=sys.stderr)


def _log_mkdocs(level: int) -> None:
    """MkDocs logs through 'mkdocs': warnings always (strict mode turns each into a failure), more with -v."""
    logger = logging.getLogger("mkdocs")
    handler = next((h for h in logger.handlers if getattr(h, "_jixiao", False)), None)
    if handler is None:
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
    handler.setLevel(level)
    logger.setLevel(logging.INFO)


if __name__ == "__main__":
    sys.exit(main())
