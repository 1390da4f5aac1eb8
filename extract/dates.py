"""Dates as news texts write them: calendar dates (dateparser), weekdays and phrases counted from
the publication date, vague parts of a year as ranges, and numeric datelines."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache
from typing import Any

from dateparser.date import DateDataParser

_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
           "December|Jan\\.?|Feb\\.?|Mar\\.?|Apr\\.?|Jun\\.?|Jul\\.?|Aug\\.?|Sept?\\.?|Oct\\.?|"
           "Nov\\.?|Dec\\.?")
_M = f"(?:{_MONTHS})"
_WEEKDAY = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_D = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"

# Each pattern names its kind; the first that matches at a place wins, longest forms first.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [(kind, re.compile(rx)) for kind, rx in [
    ("at_least", rf"\bat least until\s+(?:{_M}\s+)?{_YEAR}\b"),
    ("numeric", r"\b[0-3]?\d\.[01]?\d\.(?:\d{4}|\d\d)\b(?:\s+[0-2]?\d:[0-5]\d)?"),
    ("day_range", rf"\b{_D}\s*[-\u2013]\s*{_D}\s+{_M}(?:\s+{_YEAR})?\b"),
    ("part", rf"\b(?i:early|mid|late)[- ](?:{_YEAR}|{_M}(?:\s+{_YEAR})?)\b"),
    ("calendar", rf"\b{_M}\s+{_D}(?:,?\s+{_YEAR})?\b(?!\s*,\s*\d)"),
    ("calendar", rf"\b{_D}\s+{_M}(?:,?\s+{_YEAR})?\b"),
    ("calendar", rf"\b{_M}(?:\s+of)?\s+{_YEAR}\b"),
    ("last_month", rf"\blast\s+{_M}\b"),
    ("month", rf"\b(?:in|since|until|by|from) (?P<w>{_M})\b(?!\s+(?:{_D}|{_YEAR}))"),
    ("weekday", rf"\b(?:(?:early|late|last)\s+)?{_WEEKDAY}\b"),
    ("few_days", r"\b(?:a few|several|a couple of)\s+days\s+ago\b"),
    ("this_week", r"\b(?:earlier\s+)?this\s+week\b"),
    ("relative_unit", r"\b(?:last|this|next)\s+(?:year|month)\b"),
    ("following", r"\bthe following year\b"),
    ("relative_day", r"\b(?:yesterday|today)\b"),
    ("calendar", rf"(?<![\d,.])\b{_YEAR}\b(?!\d|,\d|\s*(?:sq|km|troops|people|soldiers))"),
]]


@lru_cache(maxsize=8)
def _parser(base: dt.date | None, numeric: bool) -> DateDataParser:
    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past"}
    if numeric:
        settings = {"DATE_ORDER": "DMY"}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(base, dt.time())
    return DateDataParser(languages=["en"], settings=settings)


def _value(day: dt.date, precision: str) -> str:
    return {"day": day.isoformat(), "month": day.isoformat()[:7], "year": str(day.year)}[precision]


def _bounds(day: dt.date, precision: str) -> tuple[dt.date, dt.date]:
    if precision == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    if precision == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return dt.date(day.year, day.month, 1), dt.date(day.year, day.month, last)
    return day, day


def _item(start: int, words: str, value: str | None, precision: str,
          lo: dt.date | None, hi: dt.date | None, relative: bool) -> dict[str, Any]:
    return {"start": start, "end": start + len(words), "text": words, "value": value,
            "precision": precision, "earliest": lo.isoformat() if lo else None,
            "latest": hi.isoformat() if hi else None,
            "relative_to": "published" if relative else None}


def _parse(words: str, base: dt.date | None, numeric: bool = False) -> tuple[dt.date, str] | None:
    data = _parser(base, numeric).get_date_data(words)
    if data.date_obj is None or data.period not in ("day", "month", "year"):
        return None
    return data.date_obj.date(), str(data.period)


def _resolve(kind: str, words: str, base: dt.date | None) -> tuple | None:
    """(value, precision, earliest, latest, relative) for one phrase, or None."""
    plain = re.sub(r"^(?:early|late|last)\s+", "", words)
    has_year = re.search(_YEAR, words) is not None
    if kind == "following":
        return None  # counted from the date before it: find_dates resolves it
    relative = kind not in ("numeric", "calendar", "day_range", "part", "at_least") \
        or not has_year
    if relative and base is None:
        precision = {"weekday": "day", "few_days": "day", "this_week": "day",
                     "relative_day": "day", "relative_unit": "year" if "year" in words
                     else "month"}.get(kind, "day" if re.search(r"\d", plain) else "month")
        return None, precision, None, None, True
    if kind in ("numeric", "calendar", "month", "last_month"):
        got = _parse(plain, base, numeric=kind == "numeric")
        if got is None:
            return None
        day, precision = got
        lo, hi = _bounds(day, precision)
        return _value(day, precision), precision, lo, hi, relative
    if kind == "at_least":
        got = _parse(words[len("at least until"):].strip(), base)
        return (None, got[1], _bounds(*got)[0], None, False) if got else None
    if kind == "weekday" and base is not None:
        # The weekday of the publication day is that day: dateparser counts from the next one.
        got = _parse(plain, base + dt.timedelta(days=1))
        return (_value(got[0], "day"), "day", got[0], got[0], True) if got else None
    if kind == "day_range":
        first, rest = re.split(r"\s*[-\u2013]\s*", words, maxsplit=1)
        month_year = re.sub(rf"^{_D}\s+", "", rest)
        a, b = _parse(f"{first} {month_year}", base), _parse(rest, base)
        if not a or not b:
            return None
        return None, "day", a[0], b[0], relative
    if kind == "part":
        # Thirds of a year (or of a month), as ontology/README.md's conventions say.
        part = re.split(r"[- ]", words, maxsplit=1)[0].lower()
        rest = words[len(part) + 1:]
        got = _parse(rest, base)
        if not got:
            return None
        day, precision = got
        lo, hi = _bounds(day, precision)
        if precision == "year":
            months = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[part]
            lo = dt.date(day.year, months[0], 1)
            hi = dt.date(day.year, months[1], calendar.monthrange(day.year, months[1])[1])
        else:
            thirds = {"early": (1, 10), "mid": (11, 20), "late": (21, hi.day)}[part]
            lo, hi = lo.replace(day=thirds[0]), lo.replace(day=thirds[1])
        return None, precision, lo, hi, relative
    assert base is not None
    if kind == "few_days":
        # "A few" / "several" units: 2 to 9 of them (ontology/README.md).
        return None, "day", base - dt.timedelta(days=9), base - dt.timedelta(days=2), True
    if kind == "this_week":
        monday = base - dt.timedelta(days=base.weekday())
        # "Earlier this week" may still be the day of writing: Monday to that day.
        return None, "day", monday, base, True
    if kind == "relative_day":
        day = base - dt.timedelta(days=1) if words.lower() == "yesterday" else base
        return day.isoformat(), "day", day, day, True
    if kind == "relative_unit":
        step = {"last": -1, "this": 0, "next": 1}[words.rsplit(" ", 1)[0]
                                                                       .lower()]
        if words.endswith("year"):
            day = dt.date(base.year + step, 1, 1)
            lo, hi = _bounds(day, "year")
            return str(day.year), "year", lo, hi, True
        month = base.month - 1 + step
        day = dt.date(base.year + month // 12, month % 12 + 1, 1)
        lo, hi = _bounds(day, "month")
        return _value(day, "month"), "month", lo, hi, True
    return None


def _following(found: list[dict[str, Any]], start: int) -> tuple | None:
    """"the following year": the year after the last dated year before it."""
    before = [d for d in found if d["end"] <= start and (d["value"] or d["earliest"])]
    if not before:
        return None
    last = max(before, key=lambda d: d["end"])
    year = int((last["value"] or last["earliest"])[:4]) + 1
    return str(year), "year", dt.date(year, 1, 1), dt.date(year, 12, 31), False


def find_dates(text: str, published: str | None) -> list[dict[str, Any]]:
    """Every date phrase of ``text`` with its value, precision and range of days."""
    base = dt.date.fromisoformat(published) if published else None
    taken: list[tuple[int, int]] = []
    out: list[dict[str, Any]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            group = "w" if "w" in pattern.groupindex else 0
            start, end, words = m.start(group), m.end(group), m.group(group)
            if any(start < e and s < end for s, e in taken):
                continue
            try:
                got = _following(out, start) if kind == "following" else \
                    _resolve(kind, words, base)
            except (ValueError, OverflowError):
                got = None
            if got is None:
                continue
            taken.append((start, end))
            value, precision, lo, hi, relative = got
            out.append(_item(start, words, value, precision, lo, hi, relative))
    from extract.relative import counted_dates

    out += counted_dates(text, sorted(out, key=lambda d: d["start"]), published)
    return sorted(out, key=lambda d: (d["start"], d["end"]))


_BYLINE = [re.compile(r"(?:Published|Posted|Updated)(?:\s+on)?\s*:?\s+(?P<d>" + _M + r"\s+" + _D
                      + r",?\s+" + _YEAR + ")"),
           re.compile(r"^\s*(?P<d>[0-3]?\d\.[01]?\d\.(?:\d{4}|\d\d))(?:\s+[0-2]?\d:[0-5]\d)?\s*$",
                      re.M),
           re.compile(r"^(?P<line>[A-Z][A-Za-z .'-]+,\s+(?:[A-Z][A-Za-z .'-]+,\s+)?(?P<d>" + _M
                      + r"\s+" + _D + r"))\s*[.\u2013\u2014-]", re.M)]


def byline_date(text: str) -> tuple[str | None, str | None]:
    """(publication date, dateline) from a byline, a numeric date line or a "CITY, Month Day."
    dateline near the top of ``text``; None where there is none."""
    head = text[:3000]
    for i, pattern in enumerate(_BYLINE):
        m = pattern.search(head)
        if not m:
            continue
        got = _parse(m.group("d"), None, numeric=i == 1)
        if got is None:
            continue
        if i == 2:
            return (got[0].isoformat() if re.search(_YEAR, m.group("d")) else None,
                    m.group("line").strip())
        return got[0].isoformat(), m.group(0).strip()
    return None, None
