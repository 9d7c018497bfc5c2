"""The 公示卡: one A4 sheet per unit for the notice board (政务公开栏), with a QR code made at build time that opens
the unit page's public address. Pure: evaluation in, Markdown and the QR code's SVG out."""

from __future__ import annotations

import io
from urllib.parse import quote, urljoin

import segno

from jixiao import metrics
from jixiao.location import shorten
from jixiao.model import Evaluation
from jixiao.render.env import render
from jixiao.render.findings import FindingView
from jixiao.render.summary import lost_points, missed_targets

CARD_DIR = "card"
QR_FILE = "qr.svg"
BRIEF = 46  # characters of a problem or planned fix: the whole card fits one A4 sheet


def public_address(site_url: str | None, slug: str) -> str | None:
    """The unit page's address on the public site (``https://portal.example/jixiao/2024/%E5%AE%9D…/``)."""
    if not site_url:
        return None
    return urljoin(site_url if site_url.endswith("/") else site_url + "/", quote(slug) + "/")


def qr_svg(address: str) -> str:
    """A QR code of ``address`` as a standalone SVG (medium error correction survives a creased paper)."""
    buffer = io.BytesIO()
    segno.make(address, error="m").save(buffer, kind="svg", scale=4, border=4, xmldecl=False)
    return buffer.getvalue().decode("utf-8")


def render_card(
    ev: Evaluation, findings: list[FindingView], site_url: str | None, date: str
) -> tuple[str, str | None]:
    """(Markdown of ``<slug>/card/index.md``, the QR code's SVG or None without a site address)."""
    address = public_address(site_url, ev.slug)
    report = ev.report
    page = render(
        "card.md.j2",
        ev=ev,
        grade=metrics.grade(ev.scores.total) if ev.scores else None,
        execution_rate=metrics.execution_rate(ev),
        counts=metrics.indicator_counts(ev),
        lost=lost_points(ev),
        missed=missed_targets(ev),
        problems=[shorten(p, BRIEF) for p in (report.problems if report else [])[:3]],
        fixes=[shorten(p, BRIEF) for p in (report.suggestions if report else [])[:3]],
        warnings=[f for f in findings if f.severity == "warning"],
        address=address,
        qr_file=QR_FILE if address else None,
        date=date,
    )
    return page, qr_svg(address) if address else None
