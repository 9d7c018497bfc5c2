"""Findings: what loading and checking found, collected in full before anyone decides to stop."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from jixiao.location import Location

Severity = Literal["error", "warning", "info"]


class JixiaoError(Exception):
    """Base of jixiao's own errors; the CLI prints them without a traceback."""


class InvalidData(JixiaoError):
    """Raised when the data holds errors; carries every finding, not just the first."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        super().__init__("\n".join(f.line() for f in findings))

    def __reduce__(self):  # from a build's child process to the command line (jixiao.build)
        return (type(self), (self.findings,))


@dataclass(frozen=True)
class Finding:
    rule: str
    location: Location
    message: str
    severity: Severity = "error"

    def line(self) -> str:
        """The compiler-style line a clerk reads: ``location: message [rule-id]``."""
        return f"{self.location.terminal()}: {self.message} [{self.rule}]"

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "location": self.location.to_dict(),
            "message": self.message,
            "severity": self.severity,
        }

    @classmethod
    def from_dict(cls, stored: dict) -> Finding:
        return cls(
            stored["rule"], Location.from_dict(stored["location"]), stored["message"], stored["severity"]
        )


def problem(rule: str, where: Location | str, message: str, severity: Severity = "error") -> Finding:
    """A finding at a place; a plain string names a file (or folder) with no place inside it."""
    return Finding(
        rule, where if isinstance(where, Location) else Location(file=str(where)), message, severity
    )
