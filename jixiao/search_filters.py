"""Pagefind's index made reproducible: the same site gives the same bytes, build after build.

Pagefind (1.5) writes hash maps in arbitrary order: each filter's values in ``pagefind/filter/*.pf_filter``, and
each page's filters and metadata in ``pagefind/fragment/*.pf_fragment``, so those files (and the language's
``.pf_meta`` that names them, and ``pagefind-entry.json`` that names that) change on every build of the same pages
once pages carry filters (upstream: Pagefind issue #638). The files are gzip'd CBOR (filters, meta) or JSON
(fragments) behind a ``pagefind_dcd`` signature; this module sorts those maps, writes the files under names derived
from their content, and points the meta and entry files at them. It also makes the meta (which every search
downloads first) lighter: short fragment names, word counts rounded. Nothing else in the index is touched.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
from pathlib import Path

SIGNATURE = b"pagefind_dcd"


class Float(bytes):
    """A CBOR float kept as its encoded bytes, so it is written back exactly as read."""


def _head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for extra, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if value < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | extra]) + struct.pack(fmt, value)
    raise ValueError(value)


def encode(item) -> bytes:
    if isinstance(item, Float):
        return bytes(item)
    if isinstance(item, bool) or item is None:
        return bytes([0xF5 if item is True else 0xF4 if item is False else 0xF6])
    if isinstance(item, int):
        return _head(0, item) if item >= 0 else _head(1, -1 - item)
    if isinstance(item, bytes):
        return _head(2, len(item)) + item
    if isinstance(item, str):
        data = item.encode("utf-8")
        return _head(3, len(data)) + data
    if isinstance(item, list):
        return _head(4, len(item)) + b"".join(encode(x) for x in item)
    if isinstance(item, dict):
        return _head(5, len(item)) + b"".join(encode(k) + encode(v) for k, v in item.items())
    raise TypeError(type(item))


def decode(data: bytes, pos: int = 0):
    """One CBOR item from ``data`` at ``pos``: (item, next position). Definite lengths only, as Pagefind writes."""
    first = data[pos]
    major, info = first >> 5, first & 31
    pos += 1
    if major == 7:
        size = {25: 2, 26: 4, 27: 8}.get(info)
        if size:
            return Float(data[pos - 1 : pos + size]), pos + size
        return {20: False, 21: True, 22: None}[info], pos
    if info < 24:
        value = info
    else:
        size = 1 << (info - 24)
        value = int.from_bytes(data[pos : pos + size], "big")
        pos += size
    if major == 0:
        return value, pos
    if major == 1:
        return -1 - value, pos
    if major in (2, 3):
        raw = data[pos : pos + value]
        return (bytes(raw) if major == 2 else raw.decode("utf-8")), pos + value
    if major == 4:
        out = []
        for _ in range(value):
            item, pos = decode(data, pos)
            out.append(item)
        return out, pos
    if major == 5:
        table = {}
        for _ in range(value):
            key, pos = decode(data, pos)
            table[key], pos = decode(data, pos)
        return table, pos
    raise ValueError(f"CBOR major type {major}")


def _body(path: Path) -> bytes:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise ValueError(f"{path}: not a Pagefind index file")
    return raw[len(SIGNATURE) :]


def _read(path: Path):
    return decode(_body(path))[0]


def _store(path: Path, body: bytes) -> None:
    # mtime=0: the gzip header carries no time, so equal content gives equal bytes.
    path.write_bytes(gzip.compress(SIGNATURE + body, mtime=0))


def _write(path: Path, item) -> None:
    _store(path, encode(item))


def _fragment(path: Path) -> bytes:
    """A page's fragment (JSON) with its filters and metadata in key order."""
    page = json.loads(_body(path))
    for key in ("filters", "meta"):
        if isinstance(page.get(key), dict):
            page[key] = {k: sorted(v) if isinstance(v, list) else v for k, v in sorted(page[key].items())}
    return json.dumps(page, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _base36(number: int) -> str:
    digits = ""
    while True:
        number, rest = divmod(number, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[rest] + digits
        if not number:
            return digits


def _rounded(words: int) -> int:
    """A page's word count to two significant digits. Pagefind weighs a match by the page's length (a match in a
    short page counts more), and a length off by under 5% moves no result; the exact counts cost ~1.6 bytes a page
    in the meta every search downloads first (32 KB at 20,000 pages), rounded ones under half that."""
    if words < 100:
        return words
    step = 10 ** (len(str(words)) - 2)
    return (words + step // 2) // step * step


def _digest(item, length: int) -> str:
    return hashlib.sha256(encode(item)).hexdigest()[:length]


def stabilise(pagefind: Path) -> None:
    """Rewrite the filter indexes of every language in ``pagefind`` in a stable order, under stable names."""
    entry_path = pagefind / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language in entry["languages"].values():
        meta_path = pagefind / f"pagefind.{language['hash']}.pf_meta"
        meta = _read(meta_path)
        prefix = language["hash"].split("_")[0]
        # Read every fragment before writing any: a new name may equal an old one not yet read.
        pages = meta[1]  # [fragment name, word count] per page
        bodies = []
        for page in pages:
            old = pagefind / "fragment" / f"{page[0]}.pf_fragment"
            bodies.append(_fragment(old))
            old.unlink()
        # Every search first downloads the meta, which names each page's fragment: Pagefind's random 7-digit names
        # cost ~8 bytes a page once gzip'd (160 KB at 20,000 pages). A name is the page's number in base 36 after
        # one digest of all the fragments (~4.5 bytes a page): still derived from the content, so a changed site
        # gets new names and a browser never shows a cached fragment of another build.
        whole = hashlib.sha256()
        for body in bodies:
            whole.update(hashlib.sha256(body).digest())
        build = whole.hexdigest()[:6]
        for number, (page, body) in enumerate(zip(pages, bodies, strict=True)):
            page[0] = f"{prefix}_{build}{_base36(number)}"
            page[1] = _rounded(page[1])
            _store(pagefind / "fragment" / f"{page[0]}.pf_fragment", body)
        filters = _filter_list(meta)
        contents = {}
        for pair in filters:
            old = pagefind / "filter" / f"{pair[1]}.pf_filter"
            content = _read(old)
            old.unlink()
            content[1] = sorted(content[1], key=lambda value: str(value[0]))
            pair[1] = f"{prefix}_{_digest(content, 7)}"
            contents[pair[1]] = content
        for name, content in contents.items():
            _write(pagefind / "filter" / f"{name}.pf_filter", content)
        filters.sort(key=lambda pair: pair[0])
        meta[2] = _smaller_chunks(pagefind, meta[2], prefix)
        language["hash"] = f"{prefix}_{_digest(meta, 10)}"
        meta_path.unlink()
        _write(pagefind / f"pagefind.{language['hash']}.pf_meta", meta)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


# A search downloads, for each of its words and each part of the index, the chunk of the index that holds the word:
# Pagefind makes chunks of ≈ 55 KB (7 KB gzip'd), though a word on most pages of a part of 1,000 takes ≈ 9 KB of it.
# So each chunk is cut in pieces of about CHUNK bytes (a common word alone, rare ones together). At 20,000 units in
# parts of 1,000, searching 满意度 downloaded 518 KB before, 326 KB after (each part's meta ≈ 2.3 KB longer); pieces
# of 12,000 bytes gave 333 KB, of 25,000 371 KB. Cutting costs ≈ 0.4 s of CPU per 1,000 pages indexed.
CHUNK = 6_000


def _smaller_chunks(pagefind: Path, chunks: list, prefix: str) -> list:
    """The meta's list of index chunks ([from, to, file] each, in word order) with each chunk cut in pieces. Pagefind
    looks up a word's chunk by its range (``from <= word <= to``) and finds the words that begin with a query's word
    within that one chunk, so a piece never splits the words that begin with the same character: every word a query
    word could extend to stays with it. A piece's range is its first word's first character to its last word (the
    chunk's own bounds outside), so a word between two pieces begins with no word of either, as a word between two of
    Pagefind's chunks. The words are cut from the chunk's bytes as they are, not decoded and encoded again: a
    20,000-unit index is ≈ 400 MB of CBOR."""
    out = []
    for low, high, name in chunks:
        path = pagefind / "index" / f"{name}.pf_index"
        data = _body(path)
        # A chunk is [[word, …], …]: an array whose first item is the array of words, each [text, pages].
        outer, pos = _length(data, 0, 4)
        count, pos = _length(data, pos, 4)
        pieces: list[list[tuple[str, bytes]]] = [[]]
        size = 0
        for _ in range(count):
            text, _ = decode(data, _length(data, pos, 4)[1])
            end = _end(data, pos)
            if pieces[-1] and size + end - pos > CHUNK and text[:1] != pieces[-1][-1][0][:1]:
                pieces.append([])
                size = 0
            pieces[-1].append((text, data[pos:end]))
            size += end - pos
            pos = end
        if len(pieces) == 1:
            out.append([low, high, name])
            continue
        rest = data[pos:]  # the chunk's other items, if any, go with every piece
        path.unlink()
        for n, words in enumerate(pieces):
            body = _head(4, outer) + _head(4, len(words)) + b"".join(raw for _, raw in words) + rest
            own = f"{prefix}_{hashlib.sha256(body).hexdigest()[:7]}"
            _store(pagefind / "index" / f"{own}.pf_index", body)
            first = low if n == 0 else words[0][0][:1]
            last = high if n == len(pieces) - 1 else words[-1][0]
            out.append([first, last, own])
    return out


def _length(data: bytes, pos: int, major: int) -> tuple[int, int]:
    """The length in the head of the array (or other item of ``major`` type) at ``pos``, and where its items begin."""
    if data[pos] >> 5 != major:
        raise ValueError(f"CBOR major type {data[pos] >> 5} at {pos}, not {major}")
    info = data[pos] & 31
    if info < 24:
        return info, pos + 1
    size = 1 << (info - 24)
    return int.from_bytes(data[pos + 1 : pos + 1 + size], "big"), pos + 1 + size


def _table() -> tuple[list[int], list[int]]:
    """For each first byte of a CBOR item: how many bytes its head takes, and how many items follow as its content
    (-1: a length to read, -2: that many bytes of text follow, -3: two items per entry of a map)."""
    head, kids = [1] * 256, [0] * 256
    for first in range(256):
        major, info = first >> 5, first & 31
        head[first] = 1 + ({24: 1, 25: 2, 26: 4, 27: 8}.get(info, 0))
        if major in (2, 3):
            kids[first] = info if info < 24 else -2
            if info < 24:
                head[first] += info  # the text itself
                kids[first] = 0
        elif major == 4:
            kids[first] = info if info < 24 else -1
        elif major == 5:
            kids[first] = 2 * info if info < 24 else -3
        elif major == 6:
            kids[first] = 1  # a tag: the tagged item follows
    return head, kids


_HEAD, _KIDS = _table()


def _end(data: bytes, pos: int) -> int:
    """Where the CBOR item at ``pos`` ends (definite lengths only, as Pagefind writes), without decoding it."""
    head, kids = _HEAD, _KIDS
    todo = 1
    while todo:
        todo -= 1
        first = data[pos]
        more = kids[first]
        if more >= 0:
            pos += head[first]
            todo += more
            continue
        size = head[first] - 1
        value = int.from_bytes(data[pos + 1 : pos + 1 + size], "big")
        pos += 1 + size
        if more == -2:
            pos += value
        else:
            todo += value if more == -1 else 2 * value
    return pos


def _filter_list(meta) -> list:
    """The meta's list of [filter name, filter file] pairs (Pagefind's meta: [version, pages, index chunks,
    filters, sorts, meta fields])."""
    for part in meta:
        if (
            isinstance(part, list)
            and part
            and all(isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in part)
            and all(p[1].count("_") == 1 for p in part)
        ):
            return part
    return []
