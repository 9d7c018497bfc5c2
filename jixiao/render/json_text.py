"""JSON as ``json.dumps(value, ensure_ascii=False, indent=1)`` writes it, byte for byte, in a fraction of the time.

With an indent, Python before 3.13 encodes in Python, one generator step per value (its C encoder takes an indent
from 3.13 on): a unit's evaluation.json cost a third of its downloads. Here a list or dict that holds no other list
or dict (an indicator, a score item: most of a document) is written by the C encoder in one call, its item
separator carrying the newline and indent of its depth; only the few containers above them are joined in Python.
A dict above them with a key that is not text is left to the standard library for the whole document, so the
bytes never depend on which path wrote them.
"""

from __future__ import annotations

import json
import sys
from functools import cache

try:
    from _json import encode_basestring as _c_encode_string
    from _json import make_encoder as _c_make_encoder
except ImportError:  # a Python without the C accelerator: the standard library's own path
    _c_make_encoder = None

_STANDARD = sys.version_info >= (3, 13) or _c_make_encoder is None
_CONTAINERS = (dict, list, tuple)


class _Unusual(Exception):
    """A value this module does not write itself: the standard library writes the document."""


def indented_json(value: object) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=1)``."""
    if not _STANDARD:
        try:
            return _value(value, "\n")
        except (_Unusual, RecursionError):
            pass
    return json.dumps(value, ensure_ascii=False, indent=1)


def _unserialisable(value: object) -> object:
    raise _Unusual


@cache
def _flat(inner: str):
    """The C encoder of a list or dict without lists or dicts in it, its items on lines indented as ``inner``."""
    encode = _c_make_encoder(
        None, _unserialisable, _c_encode_string, None, ": ", "," + inner, False, False, True
    )
    return lambda value: "".join(encode(value, 0))


def _value(value: object, newline: str) -> str:
    if not isinstance(value, _CONTAINERS):
        return _flat(newline)(value)  # a string, number, true, false or null
    if not value:
        return "{}" if isinstance(value, dict) else "[]"
    inner = newline + " "
    items = value.values() if isinstance(value, dict) else value
    for item in items:
        if isinstance(item, _CONTAINERS):
            break
    else:
        text = _flat(inner)(value)
        return text[0] + inner + text[1:-1] + newline + text[-1]
    if isinstance(value, dict):
        for key in value:
            if type(key) is not str:
                raise _Unusual  # the standard library's rules for numbers, true, false and null as keys
        body = [_c_encode_string(key) + ": " + _value(item, inner) for key, item in value.items()]
        return "{" + inner + ("," + inner).join(body) + newline + "}"
    return "[" + inner + ("," + inner).join([_value(item, inner) for item in value]) + newline + "]"
