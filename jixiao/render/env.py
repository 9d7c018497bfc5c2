"""The one Jinja environment: HTML autoescape on, Markdown escaping and number formats as filters."""

from __future__ import annotations

import json
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from jixiao.render import fmt, rows


def _front_matter_string(text: object) -> Markup:
    """A YAML-safe string for page metadata; angle brackets become full-width so no theme can emit a tag."""
    return Markup(json.dumps(str(text).replace("<", "＜").replace(">", "＞"), ensure_ascii=False))


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("jixiao.render", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Markdown heading ids are written {#id}: keep Jinja comments out of their way.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    env.filters.update(
        money=fmt.money,
        measure=fmt.measure,
        pct=fmt.pct,
        num=fmt.num,
        md=fmt.md,
        md_cell=fmt.md_cell,
        yaml_str=_front_matter_string,
        paragraphs=lambda text: [p.strip() for p in str(text).split("\n\n") if p.strip()],
    )
    # The long tables' rows, written in Python (see jixiao.render.rows).
    env.globals.update(chart_row=rows.chart_row, indicator_row=rows.indicator_row, score_row=rows.score_row)
    return env


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)
