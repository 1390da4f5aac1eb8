"""Draft claims in the shape of seeds/articles/<id>.yaml (each marked ``status: draft``): one per
statement found (who said it, relayed by whom, on which date) and one per hedged figure."""

from __future__ import annotations

from typing import Any

_PREFIX_OF = {"person", "state", "organization", "unit", "place", "agreement", "deployment",
              "withdrawal", "event", "post", "mandate", "route"}


def _curie(entity: str) -> str | None:
    kind, _, slug = entity.partition("/")
    return f"{kind}:{slug}" if kind in _PREFIX_OF and slug else None


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"@en'


def _about(statement: dict[str, Any], mentions: list[dict[str, Any]]) -> list[str]:
    """Registry entities named inside the statement's words, speaker and relay left out (and,
    in reported speech, whatever stands before the speaker's name: the speaker's title)."""
    skip = {statement["speaker"], statement["via"]}
    start = statement["start"]
    who = statement["speaker_text"]
    if statement["kind"] == "reported" and who and who in statement["text"]:
        start += statement["text"].index(who) + len(who)
    seen: list[str] = []
    for m in mentions:
        e = m["entity"]
        if e and e not in skip and e not in seen and \
                start <= m["start"] and m["end"] <= statement["end"]:
            seen.append(e)
    return seen


def _statement_claim(st: dict[str, Any], mentions: list[dict[str, Any]]) -> dict[str, Any]:
    direct = st["kind"] == "direct"
    block: dict[str, Any] = {"speaker": st["speaker"]}
    if st["date"]:
        block["date"] = st["date"]
    about = _about(st, mentions)
    if about:
        block["about"] = about
    if direct and st["via"]:
        block["via"] = st["via"]
    claim: dict[str, Any] = {"status": "draft",
                             "evidence": {"start": st["start"], "exact": st["text"]},
                             "mode": "DirectQuote" if direct else "ReportedSpeech",
                             "according_to": st["speaker"]}
    if st["via"]:
        claim["via"] = st["via"]
    claim["quote" if direct else "statement"] = block
    speaker = _curie(st["speaker"])
    facts = f"[] a kg:SpeechAct ;\n    kg:speaker {speaker}"
    targets = [c for c in (_curie(e) for e in about) if c]
    facts += (" ;\n    kg:about " + ", ".join(targets) if targets else "") + " .\n"
    claim["facts"] = facts
    return claim


def _figure_claim(q: dict[str, Any], sentences: list[dict[str, int]], text: str) -> dict[str, Any]:
    lines = ["[] a schema:QuantitativeValue"]
    if q["value"] is not None:
        lines.append(f"schema:value {q['value']}")
    if q["min"] is not None:
        lines.append(f"schema:minValue {q['min']}")
    if q["max"] is not None:
        lines.append(f"schema:maxValue {q['max']}")
    if q["unit"]:
        lines.append(f"schema:unitText {_literal(q['unit'])[:-3]}")
    lines.append(f"kg:approximation kg:{q['approximation']}")
    lines.append(f"kg:phrase {_literal(q['text'])}")
    sent = next((s for s in sentences if s["start"] <= q["start"] < s["end"]),
                {"start": q["start"], "end": q["end"]})
    return {"status": "draft",
            "evidence": {"start": sent["start"], "exact": text[sent["start"]:sent["end"]]},
            "mode": "Authorial", "facts": " ;\n    ".join(lines) + " .\n"}


def draft_claims(text: str, sentences: list[dict[str, int]], statements: list[dict[str, Any]],
                 quantities: list[dict[str, Any]], mentions: list[dict[str, Any]],
                 first_n: int = 1) -> list[dict[str, Any]]:
    """Numbered draft claims, in text order: statements with a known speaker, and figures that
    are hedged or count ten or more of something (a "9 Min Read" is not a fact)."""
    drafts = [_statement_claim(st, mentions) for st in statements if st["speaker"]]
    drafts += [_figure_claim(q, sentences, text) for q in quantities
               if q["approximation"] != "Exact" or (q["unit"] and (q["value"] or 0) >= 10)]
    drafts.sort(key=lambda c: c["evidence"]["start"])
    return [{"n": first_n + i, **c} for i, c in enumerate(drafts)]
