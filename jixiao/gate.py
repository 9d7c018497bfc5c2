"""The publish gate: an original file goes onto the site only if every part of it was scanned.

The readers give, for each file, the texts of all its parts (scanned for personal data by the checks, which stop
the build on any find) and the parts they could not scan: pictures, embedded objects, PDF pages without a text
layer, types jixiao does not know. Such a file is withheld: the unit page lists it with the reason, and only a
``released_files`` entry in unit.yaml (the file's name and why it may be published, shown on the page) lets it out.
"""

from __future__ import annotations

from jixiao import fieldpath
from jixiao.findings import Finding, problem
from jixiao.location import Location, masked_name


def decide(
    sources: list[dict], unscanned: dict[str, list[str]], released: list, where: Location
) -> list[Finding]:
    """Mark each source dict ``withheld`` (with the reasons) or ``released`` (with the unit's reason), in place;
    a release naming no withheld file is an error (a typo must not leave a file out silently)."""
    reasons = {r.get("file"): r.get("reason") for r in released if isinstance(r, dict)}
    findings = []
    for source in sources:
        why = unscanned.get(source["file"])
        if not why:
            continue
        if reasons.get(source["file"]):
            source["released"] = reasons[source["file"]]
        else:
            source["withheld"] = "；".join(why)
    names = {s["file"] for s in sources if unscanned.get(s["file"])}
    for n, entry in enumerate(released, start=1):
        name = entry.get("file") if isinstance(entry, dict) else None
        if name is not None and name not in names:
            known = {s["file"] for s in sources}
            findings.append(
                problem(
                    "unknown-release",
                    where.at(fieldpath.join(fieldpath.join("released_files", n), "file")),
                    f"“{masked_name(str(name))}”"
                    + ("已全部检查，无须登记" if name in known else "不在本单位目录中（文件名是否有误？）"),
                )
            )
    return findings


def published(source) -> bool:
    """Whether an original goes onto the site: hashed, and not withheld."""
    return bool(source.sha256) and not source.withheld
