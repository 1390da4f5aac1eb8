"""Statements and their speakers, found the way news texts attribute words: a quotation with
"said X" / "X said" / "he added" / "it quoted X as saying", reported speech ("X confirmed that",
"according to X", "X was cited by AGENCY as ..."), passive attribution ("was confirmed by X"),
relays ("as quoted by AGENCY") and quotations that carry on into the next paragraph."""

from __future__ import annotations

import re
from typing import Any

from extract.lexicon import Lexicon

SPEECH_VERBS = (
    "said|says|told|tells|stated|states|confirmed|confirms|announced|announces|reported|reports|"
    "claimed|claims|stressed|stresses|noted|notes|added|adds|insisted|insists|pointed out|"
    "reminded|warned|warns|denied|denies|blamed|accused|criticized|criticised|argued|argues|"
    "explained|declared|emphasized|emphasised|asserted|admitted|acknowledged|revealed|alleged")
_VERB = re.compile(rf"\b(?:{SPEECH_VERBS})\b")
_PASSIVE = re.compile(rf"\b(?:was|were|has been|have been)\s+(?P<verb>{SPEECH_VERBS}|cited|quoted)"
                      r"\s+by\s+(?P<agent>[^,.;()]+?)(?=\s+as\b|[,.;(]|$)")
_QUOTED_AS = re.compile(r"\b(?P<relay>it|they|[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*)\s+quoted\s+"
                        r"(?P<who>.+?)\s+as\s+saying\b")
_RELAY = re.compile(r"\b(?:as\s+)?(?:quoted|cited|reported)\s+by\s+(?P<agent>[^,.;()]+)")
# The words naming a source after "according to", "citing", "statements from": up to the
# first verb, clause word or punctuation.
_WHO = (r"(?P<who>(?:(?!\b(?:point|points|say|says|show|shows|suggest|suggests|about|that|which|"
        r"who|was|were|is|are|has|have|had|on|in|to|for)\b)[^,.;()])+)")
_ACCORDING = re.compile(rf"\baccording to\s+{_WHO}", re.I)
_CITING = re.compile(rf"\bciting\s+(?:sources\s+(?:at|in|close to)\s+)?{_WHO}", re.I)
_NOMINAL = re.compile(rf"\b(?:statements?|announcement|remarks|comments)\s+(?:from|by)\s+{_WHO}",
                      re.I)
_UNNAMED = re.compile(r"\bthe\s+(?:head|chief|director|leader|spokesman|spokeswoman|"
                      r"spokesperson|chairman|representative)\s+of\s+[^,.;()]+?(?=\s+[a-z]+ed\b|,|$)")
_CITATION = re.compile(r"\((?:see\s+)?(?P<who>[^(),]+),\s*[^()]*\d[^()]*\)")
_PRONOUN = re.compile(r"^\s*(?:he|she|they)\b", re.I)
_ROLE = re.compile(r"\b(?:the|this|that)\s+(?:[\w-]+\s+){0,3}?(?:adviser|advisor|aide|spokesman|"
                   r"spokeswoman|spokesperson|minister|president|official|analyst|expert|"
                   r"diplomat|envoy|ambassador|chairman|secretary)\b", re.I)
_ORG_NOUN = re.compile(r"\b(?:the|this)\s+(?:[\w-]+\s+){0,2}?(?:ministry|agency|government|"
                       r"office|committee|department|service|administration)\b", re.I)
_GENERIC_SOURCE = re.compile(r"\b(?:media|sources|reports|outlets|press)\b", re.I)
_BOUNDARY = re.compile(r"\b(?:which|who|whom|whose|that|while|but|when|after|because)\b|[;:]")
_OPEN, _CLOSE = "\u201c\u00ab", "\u201d\u00bb"
_PRIORITY = {"person": 0, "organization": 1, "unit": 2, "state": 3}
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


class Attributor:
    """Finds speakers among the text's mentions, remembering the last one (for "he said")."""

    def __init__(self, text: str, mentions: list[dict[str, Any]], lexicon: Lexicon | None):
        self.text, self.lexicon = text, lexicon
        self.agents = []
        self.things = [m for m in mentions if self._kind(m) not in _PRIORITY]
        for m in mentions:
            kind = self._kind(m)
            if kind in _PRIORITY:
                self.agents.append({**m, "kind": kind, "entity": self._speaking(m)})
        self.last_speaker: dict[str, Any] | None = None

    def _kind(self, m: dict[str, Any]) -> str | None:
        if m["entity"] is None:
            return m["proposed"]["type"] if m["proposed"] else None
        if self.lexicon and m["entity"] in self.lexicon.capital_of:
            return "state"
        return self.lexicon.kind_of(m["entity"]) if self.lexicon else m["entity"].split("/")[0]

    def _speaking(self, m: dict[str, Any]) -> str | None:
        if self.lexicon and m["entity"] in self.lexicon.capital_of:
            return self.lexicon.capital_of[m["entity"]]
        return m["entity"]

    def in_region(self, start: int, end: int) -> list[dict[str, Any]]:
        return [a for a in self.agents if start <= a["start"] and a["end"] <= end]

    def subject(self, start: int, end: int) -> list[dict[str, Any]]:
        """The speakers a region names: its first agent of the highest kind (and any joined to
        it by "and"), or whom a pronoun, a role or an institution noun stands for."""
        region = self.text[start:end]
        cut = [m.end() for m in _BOUNDARY.finditer(region)]
        for c in reversed(cut):
            if self.in_region(start + c, end):
                start, region = start + c, self.text[start + c:end]
                break
        unnamed = _UNNAMED.search(region)
        if unnamed:
            # "the head of the agency announced": a person the text does not name.
            words = unnamed.group(0).rstrip()
            return [{"start": start + unnamed.start(), "end": start + unnamed.start() + len(words),
                     "text": words, "kind": "person", "entity": None}]
        found = self.in_region(start, end)
        if found and all(a["kind"] == "state" for a in found) and _ROLE.search(region):
            # "the Azerbaijani adviser": a person described by role, the adjective is not him.
            found = []
        if found:
            best = min(_PRIORITY[a["kind"]] for a in found)
            first = next(a for a in found if _PRIORITY[a["kind"]] == best)
            group = [first]
            for a in found:
                between = self.text[group[-1]["end"]:a["start"]]
                if a["start"] > group[-1]["start"] and re.fullmatch(r"\s*(?:,|and|, and)\s*",
                                                                    between):
                    group.append(a)
            return [a for a in group if a["kind"] == first["kind"]] or [first]
        if _PRONOUN.match(region) or _ROLE.search(region):
            return self.recent(start, "person")
        if _ORG_NOUN.search(region) or re.match(r"^\s*it\b", region):
            return self.recent(start, "organization")
        return []

    def recent(self, before: int, kind: str) -> list[dict[str, Any]]:
        """The last speaker of that kind, else the last agent of that kind before ``before``."""
        if self.last_speaker and self.last_speaker["kind"] == kind:
            return [self.last_speaker]
        earlier = [a for a in self.agents if a["end"] <= before and a["kind"] == kind]
        return earlier[-1:]

    def relay(self, start: int, end: int) -> str | None:
        """The agency a region says relayed the words ("as quoted by ... Turan")."""
        for pattern in (_RELAY, _QUOTED_AS):
            m = pattern.search(self.text, start, end)
            if m:
                g = "agent" if "agent" in pattern.groupindex else "relay"
                orgs = [a for a in self.in_region(m.start(g), m.end(g))
                        if a["kind"] == "organization"]
                if orgs:
                    return orgs[0]["entity"]
                if m.group(g) in ("it", "they"):
                    got = self.recent(m.start(g), "organization")
                    return got[0]["entity"] if got else None
        return None


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
    m = _QUOTED_AS.search(text, *after)
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
        if not text[para_start:qs].strip() and previous and previous["kind"] == "direct" \
                and text[previous["end"]:qs].count("\n") <= 2:
            # A quotation that opens a paragraph right after another goes on with its speaker.
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
        has_quote = any(sent["start"] <= qs < sent["end"] or sent["start"] < qe <= sent["end"]
                        for qs, qe in quotes if qe - qs > 1)
        if not inside and not (has_quote and any(
                st["kind"] == "direct" and st["start"] < sent["end"] and sent["start"] < st["end"]
                for st in out)):
            out.extend(_reported(text, sent, prev_sent, att, dates))
        prev_sent = sent
    return sorted(out, key=lambda st: (st["start"], st["end"], st["speaker"] or ""))
