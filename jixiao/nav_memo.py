"""Material's site navigation rendered once for all the pages it comes out the same for.

Material renders the navigation sidebar (every hub page, as links relative to the page) and the page's table of
contents into every page: for 40,000 unit pages and 公示卡 that is a large share of the template's time, yet these
pages are outside the navigation (mkdocs.yml's not_in_nav) and most share one table of contents. jixiao's main.html
keeps the ``site_nav`` block's HTML under the key made here, of everything that block reads off the page: whether the
page is in the navigation (only pages outside it are kept), the addresses the ``url`` filter would write there (each
link of the navigation, the home page, the logo, relative to this page), its ``hide`` front matter and the table of
contents as the block shows it. Two pages with the same key get the same HTML; the rest of the block's inputs (the
navigation, the configuration, the theme's language) are the same for every page of a build, and the cache is new
for every build (``jixiao.plugin.on_env``). A project's own base.html or partials could read anything off the page:
with them, every page renders its own (``usable``). tests/test_nav_memo.py builds a site with and without it.

The header and the ``__config`` script are kept the same way, under keys of what they read off the page (see
``shared_header`` and ``config_key``): everything else they print (the site's name, the theme's language, palette,
icons and features) is the same for every page of a build.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.utils import normalize_url

from jixiao.project import packaged_theme


def usable(config) -> bool:
    """Whether the ``site_nav`` block is made from Material's and jixiao's templates alone (see above)."""
    return not any(
        (folder / "base.html").exists() or (folder / "partials").exists()
        for folder in map(Path, config.theme.dirs)
        if not packaged_theme(folder)
    )


def shared_block(memo: dict, key, render) -> str:
    """A block's HTML kept under ``key`` for every page it comes out the same for; rendered for the page alone
    (``render``: the block's ``super``) when there is no key."""
    if key is None:
        return render()
    html = memo.get(key)
    if html is None:
        html = memo[key] = render()
    return html


def site_nav_key(page, nav, config) -> tuple | None:
    """The key of the ``site_nav`` block's HTML for this page, or None (in the navigation, or not a page)."""
    if page is None or nav is None or not hasattr(page, "toc") or page in nav.pages:
        return None
    toc = list(page.toc or [])
    first = toc[0] if toc else None
    if first is not None and first.level == 1:
        shown = ("children of the first", _toc(first.children))  # as partials/toc.html shows it
    else:
        shown = ("all", _toc(toc))
    targets = [
        *_addresses(nav.items),
        getattr(nav.homepage, "url", ""),
        config.extra.get("homepage"),
        config.theme.get("logo"),
    ]
    return (
        tuple(normalize_url(str(target or ""), page=page) for target in targets),
        repr((page.meta or {}).get("hide")),
        shown,
    )


def _addresses(items) -> list[str]:
    """Every address in the navigation (pages, links, sections' pages), depth first."""
    found: list[str] = []
    for item in items:
        if getattr(item, "url", None) is not None:
            found.append(item.url)
        found.extend(_addresses(getattr(item, "children", None) or []))
    return found


def _toc(items) -> tuple:
    return tuple(
        (item.url, str(item.title), item.level, repr(getattr(item, "typeset", None)), _toc(item.children))
        for item in items
    )


def shared_header(memo: dict, page, nav, config, render) -> str:
    """The ``header`` block's HTML (jixiao's partials/header.html) for this page, ``render`` being Material's way.

    The header prints the page's title once (its topic) and otherwise only what is the same for every page but
    the addresses its ``url`` filter writes (the home page, the logo, the search page), relative to the page. So
    the HTML around the title is kept under those addresses, and a page gets it around its own title. A header
    with other languages' links (``extra.alternate``) or sticky tabs (the navigation, as seen from the page), or
    without a home page, is rendered for each page; so is one whose title cannot be told apart (empty, or starting
    with white space the template's own would run into)."""
    if (
        page is None
        or nav is None
        or nav.homepage is None
        or config.extra.get("alternate")
        or "navigation.tabs.sticky" in (config.theme.get("features") or [])
    ):
        return render()
    meta = page.meta or {}
    title = str(meta["title"] if meta.get("title") else page.title)  # as the template prints it
    targets = [config.extra.get("homepage") or nav.homepage.url, "search/"]
    if config.theme.get("logo"):
        targets.append(config.theme.get("logo"))
    key = ("header", tuple(normalize_url(str(t), page=page) for t in targets))
    around = memo.get(key)
    if around is not None:
        return around[0] + title + around[1]
    html = str(render())
    around = _around_title(html, title)
    if around is not None:
        memo[key] = around
    return html


# Where the header prints the page's title: in the one element marked as its topic, inside its first span.
_TOPIC, _SPAN = 'data-md-component="header-topic"', '<span class="md-ellipsis">'


def _around_title(html: str, title: str) -> tuple[str, str] | None:
    """The header's HTML before and after the page's title, or None if it is not found where the template prints
    it (then nothing is kept)."""
    at = html.find(_TOPIC)
    if at < 0 or html.find(_TOPIC, at + 1) >= 0 or not title or title[0].isspace():
        return None
    start = html.find(_SPAN, at)
    if start < 0:
        return None
    start += len(_SPAN)
    start += len(html[start:]) - len(html[start:].lstrip())  # the template's white space before the title
    if html[start : start + len(title)] != title:
        return None
    return html[:start], html[start + len(title) :]


def config_key(page, base_url: str) -> tuple | None:
    """The key of the ``config`` block's HTML (Material's ``__config`` script) for this page, or None. It prints the
    build's configuration, the page's ``base_url`` and the search worker's address under ``assets/`` relative to
    the page: that address is ``base_url`` followed by the worker's path, unless the page is itself under a folder
    named ``assets`` (then it is rendered for the page)."""
    if page is None or "assets" in str(page.url).split("/"):
        return None
    return ("config", base_url)
