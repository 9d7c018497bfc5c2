"""The command line: ``jixiao build|check|import|serve|demo``. Only here is it decided to stop on errors."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from jixiao.findings import InvalidData, JixiaoError, problem


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="jixiao", description="预算绩效自评公开网站生成器")
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="检查数据并生成网站")
    build.add_argument("--data", type=Path, default=Path("data"), help="数据目录（默认 data/）")
    build.add_argument("--site", type=Path, default=Path("site"), help="网站输出目录（默认 site/）")
    build.add_argument(
        "--config", type=Path, default=Path("mkdocs.yml"), help="MkDocs 配置（默认 mkdocs.yml）"
    )
    build.add_argument(
        "--site-url", help="网站发布地址，如 https://portal.example/jixiao/（可选；用于 404 页面和站点地图）"
    )

    check = commands.add_parser("check", help="只检查数据，不生成网站")
    check.add_argument("--data", type=Path, default=Path("data"), help="数据目录（默认 data/）")
    check.add_argument("paths", nargs="*", type=Path, help="只检查这些单位目录")

    imp = commands.add_parser("import", help="读取自评表文件或单位目录，输出规范 JSON")
    imp.add_argument(
        "paths", nargs="+", type=Path, help="xlsx/xls/docx/doc/pdf/html 文件，或单位目录 data/<年度>/<单位>"
    )
    imp.add_argument(
        "--explain",
        action="store_true",
        help="在标准错误输出中说明每张表如何识别：表头所在行、各列对应的字段、读取与跳过的行及原因",
    )

    serve = commands.add_parser("serve", help="本地预览（修改后自动刷新）")
    serve.add_argument("--data", type=Path, default=Path("data"))
    serve.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    serve.add_argument("--addr", default="127.0.0.1:8000")

    demo = commands.add_parser("demo", help="生成虚构单位的演示数据目录（不会写入 data/）")
    demo.add_argument("--units", type=int, required=True, help="单位个数")
    demo.add_argument("--years", default="2024", help="年度，逗号分隔，如 2023,2024（默认 2024）")
    demo.add_argument("--out", type=Path, required=True, help="输出目录，如 build/demo")
    demo.add_argument("--seed", type=int, default=1, help="随机种子（同一种子生成同样的数据）")

    args = parser.parse_args(argv)
    # Material and its dependencies print banners about MkDocs 2 on every build: not a clerk's concern.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")
    try:
        commands_ = {"build": _build, "check": _check, "import": _import, "serve": _serve, "demo": _demo}
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


def _build(args) -> int:
    from jixiao.build import build_site

    built = build_site(args.data, args.site, args.config, site_url=args.site_url)
    print(
        f"网站已生成：{built.site_dir.resolve()}（{built.units} 个单位，用时 {built.seconds:.1f} 秒；"
        f"数据核对：{built.summary}，已随页面公开）"
    )
    return 0


def _check(args) -> int:
    from jixiao.checks import check_loaded, counts, summary
    from jixiao.load import find_unit_folders, load_unit_with_origins

    folders = args.paths or find_unit_folders(args.data)
    if not folders:
        raise InvalidData(
            [
                problem(
                    "no-data",
                    str(args.data),
                    "没有找到任何单位目录 <年度>/<单位>/（应含自评表文件或 evaluation.yaml）",
                )
            ]
        )
    everything = []
    for folder in folders:
        try:
            item = load_unit_with_origins(folder)
            findings, title = check_loaded(item), f"{item.evaluation.unit.name} {item.evaluation.year} 年"
        except InvalidData as err:
            findings, title = err.findings, "未能读取"
        everything += findings
        if findings:
            print(f"【{folder}】{title}：{summary(findings)}")
            for finding in findings:
                print(finding.line())
            print()
    print(f"检查完毕：{len(folders)} 个单位，{summary(everything)}。")
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
        for (
            finding
        ) in imported.findings:  # warnings and infos: the data is printed, what was not read is said
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
    print(f"演示数据已写入 {args.out}：{args.units} 个虚构单位 × {len(years)} 个年度 = {len(folders)} 份自评")
    print(f"生成网站：jixiao build --data {args.out} --site {args.out}-site")
    return 0


def _serve(args) -> int:
    from mkdocs.commands.serve import serve

    from jixiao.site import DATA_ENV

    os.environ[DATA_ENV] = str(args.data.resolve())
    serve(config_file=str(args.config), dev_addr=args.addr, livereload=True, watch=[str(args.data)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
