"""Statements and their speakers, found the way news texts attribute words: a quotation with
"said X" / "X said" / "he added" / "it quoted X as saying", reported speech ("X confirmed that",
"according to X", "X was cited by AGENCY as ..."), passive attribution ("was confirmed by X"),
relays ("as quoted by AGENCY") and quotations that carry on into the next paragraph."""

from __future__ import annotations

import re
from typing import Any

from extract.lexicon import Lexicon
from extract.speakers import QUOTED_AS, Attributor

SPEECH_VERBS = (
    "said|says|told|tells|stated|states|confirmed|confirms|announced|announces|reported|reports|"
    "claimed|claims|stressed|stresses|noted|notes|added|adds|insisted|insists|pointed out|"
    "reminded|warned|warns|denied|denies|blamed|accused|criticized|criticised|argued|argues|"
    "explained|declared|emphasized|emphasised|asserted|admitted|acknowledged|revealed|alleged")
_VERB = re.compile(rf"\b(?:{SPEECH_VERBS})\b")
_PASSIVE = re.compile(rf"\b(?:was|were|has been|have been)\s+(?P<verb>{SPEECH_VERBS}|cited|quoted)"
                      r"\s+by\s+(?P<agent>[^.;()]+?)(?=\s+as\b|[.;(]|$)")
# The words naming a source after "according to", "citing", "statements from": up to the
# first verb, clause word or punctuation.
_WHO = (r"(?P<who>(?:(?!\b(?:point|points|say|says|show|shows|suggest|suggests|about|that|which|"
        r"who|was|were|is|are|has|have|had|on|in|to|for)\b)[^,.;()])+)")
_ACCORDING = re.compile(rf"\baccording to\s+{_WHO}", re.I)
_CITING = re.compile(rf"\bciting\s+(?:sources\s+(?:at|in|close to)\s+)?{_WHO}", re.I)
_NOMINAL = re.compile(rf"\b(?:statements?|announcement|remarks|comments)\s+(?:from|by)\s+{_WHO}",
                      re.I)
_CITATION = re.compile(r"\((?:see\s+)?(?P<who>[^(),]+),\s*[^()]*\d[^()]*\)")
_GENERIC_SOURCE = re.compile(r"\b(?:media|sources|reports|outlets|press)\b", re.I)
_OPEN, _CLOSE = "\u201c\u00ab", "\u201d\u00bb"
_MIN_QUOTE_WORDS = 4


def quotations(text: str) -> list[tuple[int, int]]:
    """(start, end) of each outermost quotation, marks included: curly quotes nest, straight
    ones alternate within a paragraph."""
    out, stack, straight = [], [], None
    for i, c in enumerate(text):
        if c in _OPEN:
            stack.append(i)
        elif c in _CLOSE and stack:
            start = stack.pop()
            if not stack:
                out.append((start, i + 1))
        elif c == '"' and not stack:
            if straight is None:
                straight = i
            else:
                out.append((straight, i + 1))
                straight = None
        elif c == "\n" and straight is not None:
            straight = None
    return sorted(out)


def _sentence_of(sentences: list[dict[str, int]], pos: int) -> dict[str, int]:
    for s in sentences:
        if s["start"] <= pos < s["end"]:
            return s
    return {"start": pos, "end": pos}


def _date_in(dates: list[dict[str, Any]], spans: list[tuple[int, int]]) -> str | None:
    for d in dates:
        if d["value"] and d["precision"] == "day" and any(
                s <= d["start"] and d["end"] <= e for s, e in spans):
            return str(d["value"])
    return None


def _cited_date(text: str, dates: list[dict[str, Any]], end: int) -> str | None:
    """The date of the first citation in brackets after ``end`` in the same paragraph ("...
    (RIA Novosti, April 17)"): a citation stands after the sentences it supports."""
    stop = text.find("\n", end)
    for m in _CITATION.finditer(text, end, len(text) if stop < 0 else stop):
        got = _date_in(dates, [(m.start(), m.end())])
        if got:
            return got
    return None


def _statement(text: str, start: int, end: int, kind: str, speaker: dict[str, Any] | None,
               via: str | None, date: str | None) -> dict[str, Any]:
    return {"start": start, "end": end, "text": text[start:end], "kind": kind,
            "speaker": speaker["entity"] if speaker else None,
            "speaker_text": speaker["text"] if speaker else None, "via": via, "date": date}


def _direct(text: str, q: tuple[int, int], sentences: list[dict[str, int]], att: Attributor,
            previous: dict[str, Any] | None, dates: list[dict[str, Any]]) -> list[dict]:
    """The statement a quotation makes, with the speaker its frame names."""
    qs, qe = q
    s0, s1 = _sentence_of(sentences, qs), _sentence_of(sentences, max(qe - 1, qs))
    # A closing quote may stand after the sentence's full stop: the frame runs on to the next
    # sentence end when the words right after the quote belong to it (", he said.").
    after_end = s1["end"]
    if after_end <= qe:
        after_end = _sentence_of(sentences, qe)["end"] if qe < len(text) else qe
        if after_end <= qe:
            nxt = re.search(r"[.!?\n]", text[qe:])
            after_end = qe + (nxt.start() + 1 if nxt else len(text) - qe)
    if re.match(r"\s*(?:\n|[A-Z])", text[qe:qe + 3]) and text[qe - 2:qe - 1] in ".!?":
        after_end = qe  # '... accomplished." He stressed': the next sentence is not the frame
    before, after = (s0["start"], qs), (qe, after_end)
    words = len(text[qs:qe].split())
    speakers: list[dict[str, Any]] = []
    via = att.relay(*after) or att.relay(*before)
    m = QUOTED_AS.search(text, *after)
    if m:
        speakers = att.subject(m.start("who"), m.end("who"))
    if not speakers:
        v = _VERB.search(text, *after)
        if v:
            head = att.subject(qe, v.start())
            # "said X, ...": the speaker follows the verb; ", X said": it stands before it.
            speakers = head or att.subject(v.end(), after[1])
    if not speakers:
        verbs = list(_VERB.finditer(text, *before))
        if verbs:
            speakers = att.subject(before[0], verbs[-1].start())
    if not speakers and words >= _MIN_QUOTE_WORDS:
        para_start = text.rfind("\n", 0, qs) + 1
        between = text[previous["end"]:qs] if previous else ""
        follows_frame = bool(previous) and "\n" not in between and len(between.split()) <= 8 \
            and re.search(r"[.!?]\s*$", between) is not None and _VERB.search(between)
        if previous and previous["kind"] == "direct" and (follows_frame or (
                not text[para_start:qs].strip() and between.count("\n") <= 2)):
            # A quotation that opens a paragraph right after another, or that follows the
            # other's attribution ('"...," he said. "..."'), goes on with its speaker.
            return [{**previous, "start": qs, "end": qe, "text": text[qs:qe]}]
        if not text[para_start:qs].strip():
            # A quotation standing alone after its speaker has been introduced.
            speakers = [a for a in att.agents if a["kind"] == "person"
                        and s0["start"] - 300 <= a["start"] < qs][-1:]
    if not speakers:
        return []
    if len(text[qs:qe].split()) < _MIN_QUOTE_WORDS and not _VERB.search(
            text, s0["start"], after[1]):
        return []
    date = _date_in(dates, [before, after]) or _cited_date(text, dates, qe)
    att.last_speaker = speakers[0]
    return [_statement(text, qs, qe, "direct", sp, via, date) for sp in speakers]


def _reported(text: str, sent: dict[str, int], prev: dict[str, int] | None, att: Attributor,
              dates: list[dict[str, Any]]) -> list[dict]:
    """Reported speech in one sentence, with its speaker."""
    s, e = sent["start"], sent["end"]
    start, speakers, via = s, [], None
    m = _PASSIVE.search(text, s, e)
    if m:
        subject = att.subject(s, m.start())
        if m.group("verb") in ("cited", "quoted"):
            speakers, via = subject, att.relay(m.start(), e)
        else:
            speakers = att.subject(m.start("agent"), m.end("agent"))
            if prev and re.match(r"\s*This\b", text[s:e]):
                start = prev["start"]  # "This was confirmed by X": X said the sentence before
    for pattern in (_CITING, _ACCORDING, _NOMINAL):
        if speakers:
            break
        m = pattern.search(text, s, e)
        if m:
            lead = [t for t in att.things if m.start("who") <= t["start"] < m.end("who")]
            agents = att.in_region(m.start("who"), m.end("who"))
            if lead and (not agents or lead[0]["start"] < agents[0]["start"]):
                break  # "according to the agreement": a document, not a speaker
            speakers = att.subject(m.start("who"), m.end("who"))
            cited = _CITATION.search(text, m.end(), e + 2)
            if _GENERIC_SOURCE.search(m.group("who")) and cited:
                # "according to media sources ... (Apa.az, April 16)": the citation names them.
                named = att.subject(cited.start("who"), cited.end("who"))
                speakers = named or speakers
            speakers = [a for a in speakers if a["kind"] != "state"] \
                if _GENERIC_SOURCE.search(m.group("who")) else speakers
    if not speakers:
        v = _VERB.search(text, s, e)
        if v:
            speakers = att.subject(s, v.start())
    if not speakers:
        return []
    if via is None:  # "X said ..., as quoted by AGENCY": the agency relayed what X said
        relayed = att.relay(s, e)
        if relayed and all(relayed != sp["entity"] for sp in speakers):
            via = relayed
    att.last_speaker = speakers[0]
    date = _date_in(dates, [(s, e)]) or _cited_date(text, dates, s)
    return [_statement(text, start, e, "reported", sp, via, date) for sp in speakers]


def find_statements(text: str, sentences: list[dict[str, int]], mentions: list[dict[str, Any]],
                    dates: list[dict[str, Any]], lexicon: Lexicon | None) -> list[dict[str, Any]]:
    """Direct and reported statements, in text order, each with its speaker where found."""
    att = Attributor(text, mentions, lexicon)
    quotes = quotations(text)
    out: list[dict[str, Any]] = []
    qi, previous = 0, None
    prev_sent = None
    for sent in sentences:
        while qi < len(quotes) and quotes[qi][0] < sent["end"]:
            if quotes[qi][0] >= sent["start"]:
                got = _direct(text, quotes[qi], sentences, att, previous, dates)
                out.extend(got)
                previous = got[-1] if got else previous
            qi += 1
        inside = any(qs <= sent["start"] and sent["end"] <= qe for qs, qe in quotes)
        # A sentence that is mostly a quotation is that quotation's frame; one that quotes a
        # few words ('insisted that ... only "on a temporary basis."') is reported speech too.
        quoted = sum(min(qe, sent["end"]) - max(qs, sent["start"]) for qs, qe in quotes
                     if qs < sent["end"] and sent["start"] < qe)
        framed = quoted * 2 > sent["end"] - sent["start"] and any(
            st["kind"] == "direct" and st["start"] < sent["end"] and sent["start"] < st["end"]
            for st in out)
        if not inside and not framed:
            out.extend(_reported(text, sent, prev_sent, att, dates))
        prev_sent = sent
    return sorted(out, key=lambda st: (st["start"], st["end"], st["speaker"] or ""))
