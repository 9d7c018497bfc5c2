"""The parse cache: what a file yields, stored by the SHA-256 of its bytes.

The key also holds the readers' own source and the versions of the libraries that read the files, so an unchanged
workbook is not parsed twice and a changed reader never serves stale results. A cached result names its file as it
was first read; it is renamed to the file it now stands for.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path

from jixiao.findings import Finding
from jixiao.forms.input_file import FileRead, InputFile
from jixiao.forms.tables import Extract
from jixiao.location import Location


def cache_dir() -> Path:
    """JIXIAO_CACHE names the folder (or "off"); by default the user's cache folder, never the current one."""
    configured = os.environ.get("JIXIAO_CACHE")
    if configured and configured != "off":
        return Path(configured)
    from platformdirs import user_cache_path

    return user_cache_path("jixiao", appauthor=False) / "parsed"


READER_LIBRARIES = (
    "python-calamine",
    "python-docx",
    "xlrd",
    "openpyxl",
    "lxml",
    "pdfplumber",
    "pdfminer.six",
    "opencc",
)
_VERSION: list[str] = []


def reader_version() -> str:
    if not _VERSION:
        digest = hashlib.sha256()
        for module in sorted(Path(__file__).parent.glob("*.py")):
            digest.update(module.read_bytes())
        # What the readers' results also depend on: places, findings, the personal-data pre-filter, the limits.
        for module in ("fieldpath.py", "location.py", "findings.py", "privacy.py", "limits.py"):
            digest.update((Path(__file__).parent.parent / module).read_bytes())
        for library in READER_LIBRARIES:
            try:
                digest.update(f"{library}={metadata.version(library)}".encode())
            except metadata.PackageNotFoundError:
                digest.update(f"{library}=-".encode())
        _VERSION.append(digest.hexdigest()[:16])
    return _VERSION[0]


def cached(file: InputFile, read) -> FileRead:
    enabled = os.environ.get("JIXIAO_CACHE") != "off"
    stored = cache_dir() / f"{file.sha256}-{reader_version()}.json"
    result = _load(stored, file.display) if enabled else None
    if result is None:
        result = read()
        if enabled:
            _store(stored, result, file.display)
    result.sha256 = file.sha256
    return result


def _load(stored: Path, display: str) -> FileRead | None:
    try:
        return _thaw(json.loads(stored.read_text(encoding="utf-8")), display)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # not cached yet, or written by a jixiao that stored it otherwise


def _store(stored: Path, result: FileRead, display: str) -> None:
    try:
        stored.parent.mkdir(parents=True, exist_ok=True)
        stored.write_text(json.dumps(_freeze(result, display), ensure_ascii=False), encoding="utf-8")
    except OSError:
        pass  # a read-only checkout still builds, just without the cache


def _freeze(result: FileRead, display: str) -> dict:
    return {
        "display": display,
        "kinds": result.kinds,
        "extracts": [
            {
                "data": ex.data,
                "origins": {k: v.to_dict() for k, v in ex.origins.items()},
                "notes": ex.notes,
                "findings": [f.to_dict() for f in ex.findings],
            }
            for ex in result.extracts
        ],
        "texts": [[where.to_dict(), text] for where, text in result.texts],
        "explain": result.explain,
        "unscanned": result.unscanned,
    }


def _thaw(stored: dict, display: str) -> FileRead:
    """A cached file names itself as it was first read; name it as it is read now."""
    old = stored["display"]

    def here(where: dict) -> Location:
        location = Location.from_dict(where)
        return location.in_file(display) if location.file == old else location

    def note(text: str) -> str:
        return display + text[len(old) :] if text.startswith(old) else text

    extracts = [
        Extract(
            data=e["data"],
            origins={k: here(v) for k, v in e["origins"].items()},
            findings=[
                Finding(f["rule"], here(f["location"]), f["message"], f["severity"]) for f in e["findings"]
            ],
            notes=[note(n) for n in e["notes"]],
        )
        for e in stored["extracts"]
    ]
    explain = [note(line) for line in stored.get("explain", [])]
    return FileRead(
        extracts,
        stored["kinds"],
        [(here(w), t) for w, t in stored["texts"]],
        explain,
        stored.get("unscanned", []),
    )
