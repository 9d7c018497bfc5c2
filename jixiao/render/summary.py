"""The top of a unit page, in plain words: score and grade, money, targets met and missed (by name), where points
were lost with the unit's own explanation, the problems it names, and the checks' warnings. Pure: model in, data out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao import fieldpath, metrics
from jixiao.location import shorten
from jixiao.model import Evaluation, Indicator
from jixiao.render.fmt import measure

# Sections of the unit page by the first key of a field path: a finding links to where its figures are shown.
SECTION_OF_FIELD = {
    "funds": "funds",
    "project_summary": "projects",
    "scores": "scores",
    "indicators": "indicators",
    "projects": "project-evaluations",
    "goal": "goals",
    "tasks": "goals",
    "staffing": "overview",
    "assets": "overview",
    "report": "report",
    "publications": "publications",
    "corrections": "corrections",
}
EXPLANATION_CHARS = 90
_SCORE_SENTENCE = re.compile(r"[^。]*满分[^。]*自评得分[^。]*。?")
_NOISE = re.compile(r"[\s\W_“”\"'（）()、，,。.:：；;]+|的|情况|指标|\d+分")


@dataclass(frozen=True)
class LostPoints:
    name: str
    level2: str
    max: float
    score: float
    lost: float
    explanation: str | None  # what the unit's report says under this item, shortened


@dataclass(frozen=True)
class Missed:
    name: str
    target: str
    actual: str
    reason: str | None


def section_of(field: str | None) -> str | None:
    """The page section (anchor) that shows ``field``: ``funds.execution_progress[6].rate`` -> ``funds``."""
    if not field:
        return None
    steps = fieldpath.parse(field)
    return SECTION_OF_FIELD.get(steps[0].key) if steps and steps[0].key else None


def lost_points(ev: Evaluation) -> list[LostPoints]:
    """Scoring items below their maximum, in sheet order, each with what the report says under its heading."""
    if ev.scores is None:
        return []
    out = []
    for item in ev.scores.items:
        lost = round(item.max - item.score, 4)
        if lost > 0:
            out.append(
                LostPoints(
                    item.name, item.level2, item.max, item.score, lost, _explanation(ev, item.name, item.note)
                )
            )
    return out


def _key(text: str) -> str:
    return _NOISE.sub("", text)


def _explanation(ev: Evaluation, name: str, note: str | None) -> str | None:
    """The unit's own words on a lost item: the sheet's 备注, else the report's paragraph under the heading that
    names the item (the "满分X分，自评得分Y分" sentence left out: the page says that already)."""
    if note:
        return shorten(note, EXPLANATION_CHARS)
    if ev.report is None or not _key(name):
        return None
    for section in ev.report.sections:
        if _key(name) not in _key(section.heading):
            continue
        text = " ".join(_SCORE_SENTENCE.sub("", p).strip() for p in section.text.split("\n\n")).strip()
        if text:
            return shorten(text, EXPLANATION_CHARS)
    return None


def missed_targets(ev: Evaluation) -> list[Missed]:
    """Indicators whose actual value does not meet the target, with the reason the form gives, if any."""
    return [_missed(i) for i in ev.indicators if metrics.indicator_status(i) == metrics.NOT_MET]


def _missed(ind: Indicator) -> Missed:
    op, _ = metrics.effective_op(ind)
    return Missed(
        name=ind.name,
        target=measure(ind.target, ind.unit, op),
        actual=measure(ind.actual, ind.unit),
        reason=shorten(ind.note, EXPLANATION_CHARS) if ind.note else None,
    )
