"""Reproducible output: the same inputs give byte-identical files, whatever the clock says.

Dates that a page or a file carries come from ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention, which
MkDocs also reads for its sitemap) or else from the data itself; zip containers (XLSX) get fixed entry times.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Iterable

ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)  # the earliest time a zip entry can hold


def source_date(dates: Iterable[dt.date] = ()) -> dt.datetime:
    """``SOURCE_DATE_EPOCH`` if set, else the latest of ``dates`` (from the data), else 1980-01-01."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    latest = max(dates, default=None)
    if latest is None:
        return ZIP_EPOCH
    return dt.datetime(latest.year, latest.month, latest.day, tzinfo=dt.UTC)


def data_dates(evaluations) -> list[dt.date]:
    """The dates the data states: publication dates, else the last day of each evaluation's year."""
    evaluations = list(evaluations)
    dates = [p.date for ev in evaluations for p in ev.publications]
    return dates or [dt.date(ev.year, 12, 31) for ev in evaluations]


def fixed_zip(data: bytes, when: dt.datetime = ZIP_EPOCH) -> bytes:
    """The same zip with every entry stamped ``when`` (document properties too), in the same order."""
    stamp = max(when, ZIP_EPOCH).timetuple()[:6]
    iso = max(when, ZIP_EPOCH).strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + iso.encode() + rb"\g<2>",
                    content,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return out.getvalue()
