"""The command line's words: every command, option and help text of ``jixiao`` (in Chinese, as a clerk reads
them), and the exit statuses the help states. What each command does is in jixiao.cli.
"""

from __future__ import annotations

import argparse
from importlib import metadata
from pathlib import Path

from jixiao.zh_argparse import ChineseArgumentParser

EPILOG = """退出状态：
  0  成功
  1  数据有误（逐条列出：文件:工作表!单元格: 说明 [规则]），或网站未能生成
  2  命令用法有误（如参数拼错）

进度显示在标准错误（stderr）上：终端里是进度条，重定向到文件时每个阶段一行；-q 关闭进度。
常用：jixiao init 新网站 → jixiao serve（预览）→ jixiao build（生成 site/）"""


def version() -> str:
    try:
        return metadata.version("jixiao")
    except metadata.PackageNotFoundError:
        return "未安装"


def build_parser() -> argparse.ArgumentParser:
    common = ChineseArgumentParser(add_help=False)
    # SUPPRESS: given before or after the command, neither place resets what the other set.
    common.add_argument(
        "-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="不显示进度和小结"
    )
    common.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="显示更多过程信息（MkDocs 日志）",
    )
    parser = ChineseArgumentParser(
        prog="jixiao", description="预算绩效自评公开网站生成器", epilog=EPILOG, parents=[common]
    )
    parser.add_argument("--version", action="version", version=f"jixiao {version()}", help="显示版本号并退出")
    commands = parser.add_subparsers(
        dest="command",
        required=True,
        metavar="<命令>",
        title="命令",
        description="jixiao <命令> -h 显示该命令的选项",
    )

    def command(name: str, help: str, description: str | None = None) -> argparse.ArgumentParser:
        return commands.add_parser(
            name, help=help, description=description or help, epilog=EPILOG, parents=[common]
        )

    def data_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--data", type=Path, default=Path("data"), metavar="目录", help="数据目录（默认 data/）"
        )

    def config_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--config",
            type=Path,
            metavar="文件",
            help="MkDocs 配置文件（默认当前文件夹的 mkdocs.yml；没有时用 jixiao 自带的配置）",
        )

    build = command("build", "检查数据并生成网站", "检查数据并生成网站；有错误时逐条列出，原网站不变。")
    data_option(build)
    build.add_argument(
        "--site", type=Path, default=Path("site"), metavar="目录", help="网站输出目录（默认 site/）"
    )
    config_option(build)
    build.add_argument(
        "--site-url",
        metavar="网址",
        help="网站发布地址，如 https://portal.example/jixiao/（默认取 site.yaml 的 url；用于 404 页面和站点地图）",
    )

    check = command("check", "只检查数据，不生成网站")
    data_option(check)
    check.add_argument("paths", nargs="*", type=Path, metavar="单位目录", help="只检查这些单位目录")

    imp = command("import", "读取自评表文件或单位目录，输出规范 JSON")
    imp.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="文件或目录",
        help="xlsx/xls/docx/doc/pdf/html 文件，或单位目录 data/<年度>/<单位>",
    )
    imp.add_argument(
        "--explain",
        action="store_true",
        help="在标准错误输出中说明每张表如何识别：表头所在行、各列对应的字段、读取与跳过的表",
    )

    serve = command("serve", "本地预览（修改数据或页面后自动重新生成并刷新）")
    data_option(serve)
    config_option(serve)
    serve.add_argument(
        "--addr", default="127.0.0.1:8000", metavar="地址:端口", help="预览地址和端口（默认 127.0.0.1:8000）"
    )
    serve.add_argument("--open", action="store_true", help="启动后在浏览器中打开")

    demo = command("demo", "生成虚构单位的演示数据目录（不会写入 data/）")
    demo.add_argument("--units", type=int, required=True, metavar="个数", help="单位个数")
    demo.add_argument(
        "--years", default="2024", metavar="年度", help="年度，逗号分隔，如 2023,2024（默认 2024）"
    )
    demo.add_argument("--out", type=Path, required=True, metavar="目录", help="输出目录，如 build/demo")
    demo.add_argument(
        "--seed", type=int, default=1, metavar="整数", help="随机种子（同一种子生成同样的数据）"
    )

    init = command(
        "init",
        "新建一个网站项目",
        "新建一个网站项目：site.yaml、带一个示例单位的 data/、说明文件。文件夹必须是空的或不存在。",
    )
    init.add_argument("folder", type=Path, metavar="文件夹", help="新项目的文件夹，如 qu-xian")
    init.add_argument("--county", metavar="县名", help="县（市、区）名称，如 渠县")
    init.add_argument("--title", metavar="名称", help="网站名称（默认“<县名>预算绩效自评公开”）")
    init.add_argument("--url", metavar="网址", help="网站发布后的地址，如 https://portal.example/jixiao/")
    init.add_argument("--licence", metavar="文字", help="开放数据的许可说明")

    cache = command("cache", "管理读取文件的缓存（在用户缓存目录，不在当前文件夹）")
    cache.add_argument(
        "action", choices=["clear", "info"], metavar="操作", help="clear 清空缓存；info 显示缓存位置和大小"
    )
    return parser
