"""``jixiao init DIR``: a new site project, ready to build — site.yaml, a data folder with one example unit and
a README of its layout, and a README with the two commands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jixiao.demo import write_demo
from jixiao.findings import JixiaoError
from jixiao.model import SiteInfo

DATA_README = """\
# 数据目录

每个单位每个年度一个文件夹：`<年度>/<单位简称>/`，放单位报送的原始文件，文件名不限：

```
data/
  site.yaml                 网站信息（名称、县名、网址、数据许可）
  2024/
    宝城镇/
      自评表.xlsx           部门整体支出绩效目标完成情况自评表（.xlsx、.xls 或另存的网页）
      打分表.xls            部门预算绩效自评打分表
      自评报告.docx         自评报告
      unit.yaml             文件里没有的信息（单位类型、县名）和更正记录 corrections
  2023/
    宝城镇/
      evaluation.yaml       也可以不放文件，手写一份 evaluation.yaml
```

- 文件夹的年度和单位简称就是这份自评的身份：文件里写的年度或简称与文件夹不一致，会报错。
- 原始文件会随网页公开（附 SHA-256）；发布前 `jixiao build` 会检查个人信息（身份证号、手机号、银行账号）。
- 各字段的含义见生成的网站上的“数据格式”页。

`{example}/` 是虚构的示例单位：放入真实数据后删掉它，并把 site.yaml 的 `demo: true` 改为 `demo: false`。
"""

README = """\
# {title}

预算绩效自评公开网站，由 jixiao 生成。

## 两个命令

```sh
jixiao serve   # 本地预览：浏览器打开 http://127.0.0.1:8000/ ，修改 data/ 后自动刷新
jixiao build   # 检查数据并生成网站到 site/；有错误时逐条列出，原网站不变
```

把 `site/` 整个复制到网站服务器即可发布（可放在子路径下，如 https://portal.example/jixiao/）。

## 第一次使用

1. 编辑 `data/site.yaml`：县名、网站名称、发布地址（url）、数据许可。
2. 把各单位的自评表、打分表、自评报告放到 `data/<年度>/<单位简称>/`（见 `data/README.md`）。
3. 删掉示例单位 `data/{example}/`，并把 `data/site.yaml` 的 `demo: true` 改为 `demo: false`。
4. `jixiao check` 只检查数据、不生成网站；`jixiao --help` 查看全部命令。

退出状态：0 成功；1 数据有误或生成失败；2 命令用法有误。

想加自己的页面或改网站配置：写一个 `mkdocs.yml`（`site_name: {title}` 和 `plugins: [jixiao]` 两项即可），
页面放在 `docs/` 里；`mkdocs build`、`mkdocs serve` 与 jixiao 的命令生成同样的网站。
"""

GITIGNORE = "/site/\n/.site.*\n"


def site_yaml(info: SiteInfo, year: int) -> str:
    def line(key: str, value: str | None, example: str, note: str) -> str:
        text = f"{key}: {value}" if value else f"# {key}: {example}"
        return f"{text}  # {note}\n"

    return (
        "# 网站信息（jixiao init 生成）。各字段的含义见网站的“数据格式”页。\n"
        + line("title", info.title, "渠县预算绩效自评公开", "网站名称；不写则按县名生成")
        + line("county", info.county, "渠县", "县（市、区）")
        + line("url", info.url, "https://portal.example/jixiao/", "网站发布后的地址；404 页面需要它")
        + line("licence", info.licence, "本站数据可自由下载和转载，请注明来源。", "开放数据页显示的许可")
        + f"# data/{year}/示例镇01/ 是虚构的示例单位，所以每一页都标明“演示数据”。\n"
        + "# 放入真实数据、删掉示例单位后，把下一行改为 demo: false\n"
        + "demo: true\n"
    )


def create_project(folder: Path, info: SiteInfo) -> list[Path]:
    """Write a new site project into ``folder`` (which must be empty or absent); return the files written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise JixiaoError(f"{folder}: 不是空文件夹；请换一个新文件夹名，jixiao init 不会覆盖已有文件")
    year = dt.date.today().year - 1  # self-evaluations are published for the year just ended
    data = folder / "data"
    write_demo(data, 1, [year])
    example = f"{year}/示例镇01"
    title = info.title or f"{info.county or '本县'}预算绩效自评公开"
    (data / "site.yaml").write_text(site_yaml(info, year), encoding="utf-8")
    (data / "README.md").write_text(DATA_README.format(example=example), encoding="utf-8")
    (folder / "README.md").write_text(README.format(title=title, example=example), encoding="utf-8")
    (folder / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    return sorted(p for p in folder.rglob("*") if p.is_file())
