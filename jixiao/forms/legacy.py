"""Legacy Word (.doc) and WPS (.wps) files, read by converting them to .docx with LibreOffice when it is installed.

``soffice --headless --convert-to docx`` runs in a private temporary folder with its own user profile (a running
LibreOffice of the user's, or a parallel build, must not share it) and a time limit: a hostile file cannot hang
the build.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from jixiao.findings import InvalidData, problem

TIME_LIMIT = 120


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@contextlib.contextmanager
def converted_to_docx(path: Path, display: str) -> Iterator[Path | None]:
    """The .docx LibreOffice makes of ``path`` (removed afterwards); None when LibreOffice is not installed."""
    program = soffice()
    if program is None:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="jixiao-doc-") as tmp:
        source = Path(tmp) / ("input" + Path(path).suffix.lower())
        shutil.copyfile(path, source)
        command = [
            program,
            f"-env:UserInstallation=file://{tmp}/profile",
            "--headless",
            "--norestore",
            "--convert-to",
            "docx",
            "--outdir",
            tmp,
            str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=TIME_LIMIT, check=False)
        except subprocess.TimeoutExpired:
            raise InvalidData(
                [problem("unreadable-file", display, f"LibreOffice 转换超过 {TIME_LIMIT} 秒，已放弃读取")]
            ) from None
        out = Path(tmp) / "input.docx"
        if not out.exists() or out.stat().st_size == 0:
            raise InvalidData(
                [problem("unreadable-file", display, "LibreOffice 无法转换该文件，可能已损坏或加密")]
            )
        yield out
