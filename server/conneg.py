"""Content negotiation over the one format table (``graph.formats``): ``format=``, URL suffixes
and Accept headers with q-values and wildcards; 406 when nothing fits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph.formats import Format, of_kind
from server.errors import HttpError


class NotAcceptable(HttpError):
    """No format of the right kind is acceptable to the client (HTTP 406)."""

    status = 406


class UnknownFormat(HttpError):
    """A ``format=`` value that names no format of the right kind (HTTP 400)."""

    status = 400


def parse_accept(header: str) -> list[tuple[str, str, float]]:
    """Parse an Accept header into ``(type, subtype, q)`` ranges; malformed parts are skipped."""
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0] or "/" not in fields[0]:
            continue
        main, _, sub = fields[0].lower().partition("/")
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((main.strip(), sub.strip(), q))
    return ranges


def _quality(media_type: str, ranges: list[tuple[str, str, float]]) -> tuple[float, int]:
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


def accepts_html(accept: str | None) -> bool:
    """Whether a browser asked for HTML explicitly (text/html listed with q > 0)."""
    return bool(accept) and any(
        (m, s) == ("text", "html") and q > 0 for m, s, q in parse_accept(accept or "")
    )


def best_match(candidates: Sequence[Any], ranges: list[tuple[str, str, float]]) -> Any:
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
