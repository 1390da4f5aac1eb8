"""Dates counted from another date, as ontology/README.md's conventions count them: "several days
before" or "almost immediately following" a date of the same sentence, "in a year and a half"
from the publication, "this past fall", "not long ago", and phrases inside a reported statement
counted from the statement's date ("APA reported late Tuesday that ... a few days ago")."""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from typing import Any

_NUMBER = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eighteen": 18}
_N = r"(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|eighteen|\d{1,2})"
_AROUND = re.compile(r"\b(?:a few|several|a couple of)\s+(?P<unit>days|weeks)\s+"
                     r"(?P<dir>before|after|following)\b")
_IMMEDIATELY = re.compile(r"\b(?:almost\s+)?immediately\s+(?:after|following)\b")
_LENGTH = re.compile(rf"\bin\s+(?:(?P<half>half a (?:year|month))|(?P<n>{_N})\s+"
                     r"(?P<unit>years?|months?)(?P<and_half>\s+and\s+a\s+half)?)\b"
                     rf"|\bin\s+(?P<n2>{_N})(?:\s+and\s+a\s+half)\s+(?P<unit2>years?|months?)\b")
_FALL = re.compile(r"\b(?:this\s+past|last)\s+(?:fall|autumn)\b", re.I)
_NOT_LONG = re.compile(r"\b(?:not long ago|recently)\b", re.I)


def _add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; from a month's last day, that month's last day."""
    m = day.month - 1 + months
    year, month = day.year + m // 12, m % 12 + 1
    last = calendar.monthrange(year, month)[1]
    at_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return dt.date(year, month, last if at_end else min(day.day, last))


def _item(m: re.Match[str], lo: dt.date | None, hi: dt.date | None, relative: str,
          precision: str = "day") -> dict[str, Any]:
    return {"start": m.start(), "end": m.end(), "text": m.group(0), "value": None,
            "precision": precision, "earliest": lo.isoformat() if lo else None,
            "latest": hi.isoformat() if hi else None, "relative_to": relative}


def _anchor(text: str, dates: list[dict[str, Any]], end: int) -> dict[str, Any] | None:
    """The next date after ``end`` in the same sentence, if it has bounds."""
    for d in dates:
        if d["start"] >= end and d["earliest"] and d["latest"]:
            return d if not re.search(r"[.!?]\s", text[end:d["start"]]) else None
    return None


def _free(dates: list[dict[str, Any]], m: re.Match[str]) -> bool:
    return not any(d["start"] < m.end() and m.start() < d["end"] for d in dates)


def counted_dates(text: str, dates: list[dict[str, Any]], published: str | None
                  ) -> list[dict[str, Any]]:
    """The dates counted from another one, outside the spans of ``dates`` (the calendar ones)."""
    base = dt.date.fromisoformat(published) if published else None
    out: list[dict[str, Any]] = []
    for m in _AROUND.finditer(text):
        x = _anchor(text, dates, m.end())
        if x is None or not _free(dates, m):
            continue
        step = dt.timedelta(days=7 if m.group("unit") == "weeks" else 1)
        first, last = dt.date.fromisoformat(x["earliest"]), dt.date.fromisoformat(x["latest"])
        if m.group("dir") == "before":
            out.append(_item(m, first - 9 * step, last - 2 * step, "date"))
        else:
            out.append(_item(m, first + 2 * step, last + 9 * step, "date"))
    for m in _IMMEDIATELY.finditer(text):
        x = _anchor(text, dates, m.end())
        if x is not None and _free(dates, m):
            last = dt.date.fromisoformat(x["latest"])
            out.append(_item(m, dt.date.fromisoformat(x["earliest"]), _add_months(last, 1),
                             "date"))
    if base is None:
        return out
    for m in _LENGTH.finditer(text):
        if not _free(dates, m):
            continue
        if m.group("half"):
            months = 6.0 if "year" in m.group("half") else 0.5
        else:
            n, unit = (m.group("n"), m.group("unit")) if m.group("n") else (m.group("n2"),
                                                                         m.group("unit2"))
            count = float(_NUMBER.get(n.lower()) or int(n))
            count += 0.5 if m.group("and_half") or m.group("n2") else 0
            months = count * (12 if unit.startswith("year") else 1)
        # A round length: +-10 %, rounded outward to whole months.
        out.append(_item(m, _add_months(base, math.floor(0.9 * months)),
                         _add_months(base, math.ceil(1.1 * months)), "published"))
    for m in _FALL.finditer(text):
        year = base.year if base.month == 12 else base.year - 1
        out.append(_item(m, dt.date(year, 9, 1), dt.date(year, 11, 30), "published"))
    for m in _NOT_LONG.finditer(text):
        out.append(_item(m, None, base, "published"))
    return out


def reanchor(dates: list[dict[str, Any]], statements: list[dict[str, Any]],
             published: str | None) -> None:
    """A phrase counted from the time of speaking, inside a reported statement that has its
    own date ("APA reported late Tuesday that ... a few days ago"), counts from that date."""
    from extract.dates import find_dates

    for st in statements:
        if st["kind"] != "reported" or not st["date"] or st["date"] == published:
            continue
        for i, d in enumerate(dates):
            if d["relative_to"] != "published" or not (st["start"] <= d["start"] < st["end"]):
                continue
            if d["value"] == st["date"]:
                continue  # the statement's own date
            again = find_dates(d["text"], st["date"])
            if len(again) == 1 and again[0]["text"] == d["text"]:
                dates[i] = {**again[0], "start": d["start"], "end": d["end"],
                            "relative_to": "statement"}
