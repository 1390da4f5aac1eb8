"""Content negotiation over the one format table (``graph.formats``): ``format=``, URL suffixes
and Accept headers with q-values and wildcards; 406 when nothing fits."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from graph.formats import BY_KEY, Format, of_kind
from server.errors import HttpError


class NotAcceptable(HttpError):
    """No format of the right kind is acceptable to the client (HTTP 406)."""

    status = 406


class UnknownFormat(HttpError):
    """A ``format=`` value that names no format of the right kind (HTTP 400)."""

    status = 400


@lru_cache(maxsize=256)  # clients send few distinct headers; each request negotiates thrice
def parse_accept(header: str) -> tuple[tuple[str, str, float], ...]:
    """Parse an Accept header (werkzeug's parser) into ``(type, subtype, q)`` ranges; malformed
    ranges and those with an invalid q are left out."""
    ranges = []
    for value, q in parse_accept_header(header, MIMEAccept):
        media_range = value.split(";", 1)[0].strip().lower()
        main, slash, sub = media_range.partition("/")
        if slash and main and sub:
            ranges.append((main, sub, float(q)))
    return tuple(ranges)


def _quality(media_type: str, ranges: Sequence[tuple[str, str, float]]) -> tuple[float, int]:
    """(q, specificity) of the most specific range matching ``media_type``; q is -1 if none.

    Specificity ranks exact over type/* over */*, so an explicitly named type beats a wildcard.
    """
    main, _, sub = media_type.partition("/")
    best, best_specificity = -1.0, -1
    for r_main, r_sub, q in ranges:
        if (r_main, r_sub) == (main, sub):
            specificity = 2
        elif r_main == main and r_sub == "*":
            specificity = 1
        elif r_main == "*" and r_sub == "*":
            specificity = 0
        else:
            continue
        if specificity > best_specificity:
            best, best_specificity = q, specificity
    return best, best_specificity


def negotiate(
    kind: str, accept: str | None, formats: str | Sequence[str] | None = None
) -> Format:
    """Choose the format for a response of ``kind``: ``format=`` first, then Accept, else default.

    ``formats`` are the ``format=`` values, first known one wins (clients such as SPARQLWrapper
    send a name and a media type). Raises UnknownFormat if none is known and NotAcceptable when
    Accept excludes every format.
    """
    candidates = of_kind(kind)
    names = [formats] if isinstance(formats, str) else list(formats or [])
    names = [n.strip().lower() for n in names if n and n.strip()]
    for name in names:
        chosen = next((m for m in candidates if m.answers_to(name)), None)
        if chosen is not None:
            return chosen
    if names:
        keys = ", ".join(m.key for m in candidates)
        raise UnknownFormat(f"format={names[0]!r} is not available here (use one of {keys})")
    if not accept or not accept.strip():
        return candidates[0]
    ranges = parse_accept(accept)
    if not ranges:
        return candidates[0]
    best = best_match(candidates, ranges)
    if best is None:
        offered = ", ".join(m.media_type for m in candidates)
        raise NotAcceptable(
            f"none of the accepted media types ({accept}) is available; "
            f"this response can be: {offered}"
        )
    return best


def prefers_html(kind: str, accept: str | None) -> bool:
    """Whether Accept ranks HTML above every format of ``kind`` by q-value (a browser); on a tie
    the data format wins, so a client naming both equally gets data."""
    ranges = parse_accept(accept or "")
    return bool(ranges) and best_match((*of_kind(kind), BY_KEY["html"]), ranges) is BY_KEY["html"]


def best_match(candidates: Sequence[Any], ranges: Sequence[tuple[str, str, float]]) -> Any:
    """The candidate (anything with ``media_type`` and ``aliases``) the Accept ranges rank
    highest; the earlier one on a tie; None when every candidate has quality 0."""
    best, best_rank = None, (0.0, -1)
    for item in candidates:
        rank = max(_quality(t, ranges) for t in (item.media_type, *item.aliases))
        if rank[0] > 0 and rank > best_rank:
            best, best_rank = item, rank
    return best


def choose(formats: Sequence[Format], accept: str | None) -> Format | None:
    """The format Accept prefers; the first one without Accept; None when none is acceptable."""
    ranges = parse_accept(accept or "")
    if not ranges:
        return formats[0]
    best: Format | None = best_match(formats, ranges)
    return best


def split_suffix(path: str, formats: Sequence[Format]) -> tuple[str, Format | None]:
    """``person/x.ttl`` -> (``person/x``, Turtle); a path without a known suffix is kept whole."""
    stem, dot, suffix = path.rpartition(".")
    if dot and "/" not in suffix:
        fmt = next((f for f in formats if f.key == suffix), None)
        if fmt is not None:
            return stem, fmt
    return path, None
