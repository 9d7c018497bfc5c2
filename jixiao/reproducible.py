"""Reproducible output: the same inputs give byte-identical files, whatever the clock says.

Dates that a page or a file carries come from ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention, which
MkDocs also reads for its sitemap) or else from the data itself.
"""

from __future__ import annotations

import datetime as dt
import os
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
