"""Write a synthetic seeds folder of N news articles in the seeds' own format.

    python bench/generate.py --articles 100 --out /tmp/seeds-100
    KG_SEEDS_DIR=/tmp/seeds-100 kg build

Each article is a short news text about the withdrawal with the shapes the curated ones have:
an authorial claim with a hedged figure, a direct quotation with its speaker and date, a
reported statement dating the start of the withdrawal (sources disagree, so conflict sets grow
with the corpus), a dated event of the article's own in the registry, and a role. Every claim's
evidence stands at its offset in the text. The five curated articles come first (they say what
the registry's deployments and agreements are); N counts them. The output is a function of
(N, seed) only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
FIRST = ["Arif", "Lala", "Sergey", "Anna", "Ruslan", "Nigar", "Armen", "Olga", "Farid", "Irina",
         "Tural", "Marina", "Elchin", "Gayane", "Pavel", "Sabina"]
LAST = ["Mammadov", "Ivanova", "Petrosyan", "Aliyeva", "Smirnov", "Huseynov", "Karapetyan",
        "Volkova", "Guliyev", "Orlov", "Rahimova", "Sargsyan"]
ROLES = ["spokesperson", "deputy minister", "senior adviser", "press secretary", "analyst"]
PLACES = ["place/karabakh", "place/khankendi", "place/lachin-corridor", "place/kalbajar-district",
          "place/azerbaijan-territory"]
HEDGES = [  # words, kg:approximation, bounds of N
    ("nearly", "Nearly", lambda n: (n * 9 // 10, n - 1)),
    ("about", "About", lambda n: (n * 9 // 10, n * 11 // 10)),
    ("more than", "MoreThan", lambda n: (n + 1, None)),
]
QUOTES = [
    "The withdrawal is proceeding according to the agreed schedule",
    "All posts in the area have been handed over",
    "We see no obstacles to completing the process on time",
    "The decision was taken at the highest level",
]


@dataclass
class Text:
    """An article text built sentence by sentence, keeping each piece's code-point offset."""

    parts: list[str] = field(default_factory=list)
    length: int = 0

    def add(self, piece: str) -> int:
        start = self.length
        self.parts.append(piece)
        self.length += len(piece)
        return start

    def __str__(self) -> str:
        return "".join(self.parts)


def day_words(day: dt.date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def quoted(value: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def registry(people: int, agencies: int, articles: int) -> str:
    """The curated registry followed by the synthetic people, agencies and events."""
    lines = [SEEDS.joinpath("entities.yaml").read_text(encoding="utf-8").rstrip("\n"),
             "  # --- synthetic (bench/generate.py) ---"]
    for k in range(people):
        name = f"{FIRST[k % len(FIRST)]} {LAST[(k // len(FIRST)) % len(LAST)]}"
        lines += [f"  - id: person/synthetic-{k}", "    type: kg:Person",
                  f"    label: {name} {k}"]
    for k in range(agencies):
        lines += [f"  - id: organization/synthetic-agency-{k}", "    type: kg:NewsOrganization",
                  f"    label: Synthetic Agency {k}"]
    for i in range(articles):
        lines += [f"  - id: event/synthetic-visit-{i}", "    type: kg:Event",
                  f"    label: Visit number {i}"]
    return "\n".join(lines) + "\n"


def article(i: int, rng: random.Random, people: int, agencies: int) -> tuple[str, str, str]:
    """One article: (id, text, annotation YAML)."""
    published = dt.date(2024, 4, 17) + dt.timedelta(days=i % 60)
    aid = f"synthetic-{published.isoformat()}-{i:05d}"
    speaker, other = rng.randrange(people), rng.randrange(people)
    agency = rng.randrange(agencies)
    place = rng.choice(PLACES)
    started = dt.date(2024, 4, 10) + dt.timedelta(days=rng.randrange(10))
    visited = published - dt.timedelta(days=rng.randrange(1, 20))
    figure = rng.choice([1800, 1960, 2000, 2100])
    words, hedge, bounds = rng.choice(HEDGES)
    low, high = bounds(figure)
    quote = rng.choice(QUOTES)
    role = rng.choice(ROLES)
    name = f"{FIRST[speaker % len(FIRST)]} {LAST[(speaker // len(FIRST)) % len(LAST)]} {speaker}"
    name2 = f"{FIRST[other % len(FIRST)]} {LAST[(other // len(FIRST)) % len(LAST)]} {other}"

    text = Text()
    text.add(f"Peacekeepers leave {['Karabakh', 'the region'][i % 2]}\n\n")
    phrase = f"{words} {figure:,}"
    s1 = f"The Russian contingent in the region numbered {phrase} soldiers before the withdrawal."
    at1 = text.add(s1 + " ")
    q = f"“{quote},”"
    at2 = text.add(q)
    text.add(f" said {name}, {role} of Synthetic Agency {agency}, on {day_words(published)}. ")
    s3 = f"According to {name2}, the withdrawal began on {day_words(started)}."
    at3 = text.add(s3 + " ")
    s4 = f"{name} visited the area on {day_words(visited)}."
    at4 = text.add(s4 + "\n")
    s5 = f"{name}, {role} of Synthetic Agency {agency}"
    at5 = str(text).index(s5)

    upper = f"schema:maxValue {high} ;\n              " if high is not None else ""
    yaml = f"""# Synthetic article {i} (bench/generate.py).
article:
  id: {aid}
  source_file: {aid}.txt
  title: Peacekeepers leave, report {i}
  publisher: organization/synthetic-agency-{agency}
  author: null
  published: {{date: {published.isoformat()}}}
  genre: news
  url: null
  language: en

claims:
  - n: 1
    evidence: {{start: {at1}, exact: {quoted(s1)}}}
    mode: Authorial
    facts: |
      deployment:russian-peacekeepers-karabakh kg:strength [ a schema:QuantitativeValue ;
              schema:minValue {low} ;
              {upper}kg:approximation kg:{hedge} ;
              kg:phrase "{phrase}"@en ;
              schema:unitText "soldiers" ] .

  - n: 2
    evidence: {{start: {at2}, exact: {quoted(q)}}}
    mode: DirectQuote
    according_to: person/synthetic-{speaker}
    quote:
      speaker: person/synthetic-{speaker}
      date: {published.isoformat()}
      about: withdrawal/russian-peacekeepers-karabakh
    facts: |
      withdrawal:russian-peacekeepers-karabakh kg:status kg:Underway ;
          sem:hasPlace {place.replace("/", ":")} .

  - n: 3
    evidence: {{start: {at3}, exact: {quoted(s3)}}}
    mode: ReportedSpeech
    according_to: person/synthetic-{other}
    statement:
      speaker: person/synthetic-{other}
      about: withdrawal/russian-peacekeepers-karabakh
    facts: |
      withdrawal:russian-peacekeepers-karabakh kg:startDate "{started.isoformat()}"^^xsd:date .

  - n: 4
    evidence: {{start: {at4}, exact: {quoted(s4)}}}
    mode: Authorial
    facts: |
      event:synthetic-visit-{i} a kg:Event ;
          sem:hasActor person:synthetic-{speaker} ;
          sem:hasPlace {place.replace("/", ":")} ;
          kg:date "{visited.isoformat()}"^^xsd:date .

  - n: 5
    evidence: {{start: {at5}, exact: {quoted(s5)}}}
    mode: Authorial
    facts: |
      [] a org:Membership ;
          org:member person:synthetic-{speaker} ;
          org:organization organization:synthetic-agency-{agency} ;
          kg:roleLabel "{role} of Synthetic Agency {agency}"@en .
"""
    return aid, str(text), yaml


def generate(articles: int, out: Path, seed: int = 0) -> None:
    """Write ``out`` (replaced if it exists) as a seeds folder of ``articles`` articles."""
    rng = random.Random(seed)
    curated = sorted((SEEDS / "articles").glob("*.yaml"))
    synthetic = articles - len(curated)
    if synthetic < 0:
        raise ValueError(f"at least {len(curated)} articles: the curated ones come first")
    people, agencies = max(4, synthetic // 2), max(2, synthetic // 20)
    if out.exists():
        shutil.rmtree(out)
    (out / "articles").mkdir(parents=True)
    shutil.copytree(SEEDS / "schema", out / "schema")
    for path in curated:
        for source in (path, path.with_suffix(".txt")):
            shutil.copyfile(source, out / "articles" / source.name)
    (out / "entities.yaml").write_text(registry(people, agencies, synthetic), encoding="utf-8")
    for i in range(synthetic):
        aid, text, annotation = article(i, rng, people, agencies)
        (out / "articles" / f"{aid}.txt").write_text(text, encoding="utf-8", newline="")
        (out / "articles" / f"{aid}.yaml").write_text(annotation, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, required=True, help="how many (10 to 10,000)")
    parser.add_argument("--out", type=Path, required=True, help="the seeds folder to write")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if not 5 <= args.articles <= 100_000:
        parser.error("--articles must be between 5 (the curated ones) and 100000")
    generate(args.articles, args.out, args.seed)
    print(f"wrote {args.articles} articles to {args.out}")


if __name__ == "__main__":
    main()
