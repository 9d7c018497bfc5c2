"""What a check sees: the evaluation, where each field came from, and the number helpers every rule shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.location import Location
from jixiao.metrics import TOLERANCE
from jixiao.model import Evaluation
from jixiao.numbers import money, num
from jixiao.overlay import origin_of


@dataclass
class Context:
    evaluation: Evaluation
    folder: str
    origins: dict[str, Location] = field(default_factory=dict)
    # Every text of every source file with its place (set by the loader); None: scan the evaluation's own texts.
    texts: list[tuple[Location, str]] | None = None
    # The personal data found in those texts: found once, read by each kind's rule (jixiao.checks.personal).
    personal: list | None = field(default=None, repr=False, compare=False)

    def where(self, path: str) -> Location:
        """The place a finding about ``path`` points at: the cell the value came from, else the unit folder."""
        origin = origin_of(path, self.origins)
        return origin if origin.file else Location(self.folder, field=path)


def same_amount(a: float, b: float) -> bool:
    return abs(a - b) < TOLERANCE + 1e-9


def decimals(value: float) -> int:
    """How many decimals a stated figure was written with: 45.9 → 1, 67 → 0, 66.24 → 2."""
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def rounds_to(stated: float, computed: float) -> bool:
    """Whether ``computed`` rounds to ``stated`` at the precision ``stated`` was written with."""
    return abs(stated - computed) <= 0.5 * 10 ** -decimals(stated) + 1e-9


# The checks write figures as the pages do (thousands separators, 万元 with two decimals).
m = money
w = num


def p(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}%"
