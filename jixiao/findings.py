"""Findings: what loading and checking found, collected in full before anyone decides to stop."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]


class JixiaoError(Exception):
    """Base of jixiao's own errors; the CLI prints them without a traceback."""


class InvalidData(JixiaoError):
    """Raised when the data holds errors; carries every finding, not just the first."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        super().__init__("\n".join(f.line() for f in findings))


@dataclass(frozen=True)
class Finding:
    rule: str
    location: str
    message: str
    severity: Severity = "error"

    def line(self) -> str:
        """The compiler-style line a clerk reads: ``location: message [rule-id]``."""
        return f"{self.location}: {self.message} [{self.rule}]"
