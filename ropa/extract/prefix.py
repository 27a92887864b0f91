"""Which strings can a regex's matches start with? Used to index lexicon patterns by their first characters, so
a document is scanned once per word start instead of once per pattern (hundreds of patterns, 10-50x faster).

``prefixes(pattern)`` returns the set of possible first-K-character strings of a match (shorter strings when a
match can be shorter), or ``None`` when that cannot be known (a pattern starting with \\w, ., a negated class...).
"""
from __future__ import annotations

from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]

K = 10
MAX_SET = 20000
MAX_CLASS = 12


class _Unknown(Exception):
    pass


def index_keys(pattern: str) -> set[str] | None:
    """The longest prefixes (up to K characters) that can be known for ``pattern``: K first, shorter when the
    expansion would be too large."""
    for k in (K, 8, 6, 4, 3, 2):
        if k <= K and (keys := prefixes(pattern, k)) is not None:
            return keys
    return None


def prefixes(pattern: str, k: int = K) -> set[str] | None:
    try:
        parsed = P.parse(pattern)
        out = _seq(list(parsed), {""}, k)
    except (_Unknown, Exception):
        return None
    return out if out and all(p for p in out) else None


def _extend(pre: set[str], chars: set[str], k: int) -> set[str]:
    out = {p if len(p) >= k else p + c for p in pre for c in chars}
    if len(out) > MAX_SET:
        raise _Unknown
    return out


CATEGORIES = {C.CATEGORY_SPACE: set(" \t\n\xa0"), C.CATEGORY_DIGIT: set("0123456789")}


def _class(av) -> set[str]:
    chars: set[str] = set()
    for op, val in av:
        if op is C.LITERAL:
            chars.add(chr(val))
        elif op is C.RANGE and val[1] - val[0] < MAX_CLASS:
            chars.update(chr(c) for c in range(val[0], val[1] + 1))
        elif op is C.CATEGORY and val in CATEGORIES:
            chars |= CATEGORIES[val]
        else:
            raise _Unknown
    if len(chars) > MAX_CLASS:
        raise _Unknown
    return chars


def _seq(items: list, pre: set[str], k: int, icase: bool = False) -> set[str]:
    for op, av in items:
        if all(len(p) >= k for p in pre):
            return pre
        pre = _item(op, av, pre, k, icase)
    return pre


def _cased(chars: set[str], icase: bool) -> set[str]:
    return {v for c in chars for v in (c.lower(), c.upper())} if icase else chars


def _item(op, av, pre: set[str], k: int, icase: bool = False) -> set[str]:
    done = {p for p in pre if len(p) >= k}
    todo = pre - done
    if op is C.LITERAL:
        return done | _extend(todo, _cased({chr(av)}, icase), k)
    if op is C.IN:
        return done | _extend(todo, _cased(_class(av), icase), k)
    if op is C.BRANCH:
        out = set(done)
        for branch in av[1]:
            out |= _seq(list(branch), todo, k, icase)
        return out
    if op is C.SUBPATTERN:
        sub_icase = (icase or bool(av[1] & C.SRE_FLAG_IGNORECASE)) and not av[2] & C.SRE_FLAG_IGNORECASE
        return done | _seq(list(av[-1]), todo, k, sub_icase)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        lo, hi, sub = av
        if lo == 0 and pre == {""}:
            # an optional lead ("(?:the |our )?data") is skipped: the entry is tried where its required part
            # starts, and matches from there; indexing "the"/"our" would try it at every article in the text
            return pre
        out, cur = set(done), todo
        for i in range(k + 1):
            if i >= lo:
                out |= cur
            if i >= (hi if hi is not C.MAXREPEAT else k + 1) or all(len(p) >= k for p in cur):
                break
            cur = _seq(list(sub), cur, k, icase)
        return out | {p for p in cur if len(p) >= k}
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return pre
    raise _Unknown
