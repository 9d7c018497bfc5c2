"""Legacy Word (.doc) and WPS (.wps) files, read by converting them to .docx with LibreOffice when it is installed.

``soffice --headless --convert-to docx`` runs in a private temporary folder with its own user profile (a running
LibreOffice of the user's, or a parallel build, must not share it) and a time limit: a hostile file cannot hang
the build.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from jixiao.findings import InvalidData, problem

TIME_LIMIT = 120


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def converted_to_docx(data: bytes, suffix: str, display: str) -> bytes | None:
    """The .docx LibreOffice makes of a .doc or .wps file's bytes (its files removed afterwards); None when
    LibreOffice is not installed."""
    program = soffice()
    if program is None:
        return None
    with tempfile.TemporaryDirectory(prefix="jixiao-doc-") as tmp:
        source = Path(tmp) / ("input" + suffix)
        source.write_bytes(data)  # the bytes that were checked, not the path read again
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
        return out.read_bytes()
