"""The spaCy pipeline: a blank English tokenizer, a paragraph splitter and the sentencizer.

spaCy's trained models are not on the package registries, so nothing here needs one. Its
tokenizer is language-neutral enough for the registry's labels in Russian, Azerbaijani and
Armenian as well.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from extract.fold import name_key


@Language.component("kg_paragraphs")
def _paragraphs(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, bylines and list items carry no full stop."""
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text and not token.is_space:
            token.is_sent_start = True
    return doc


@Language.component("kg_opening_quotes")
def _opening_quotes(doc: Doc) -> Doc:
    """An opening quotation mark after a full stop starts the next sentence (the sentencizer
    leaves it at the end of the one before)."""
    for token in doc[1:-1]:
        if token.text in "\u201c\u00ab" and doc[token.i - 1].text in (".", "!", "?"):
            token.is_sent_start = True
            doc[token.i + 1].is_sent_start = False
    return doc


@lru_cache(maxsize=1)
def pipeline() -> Language:
    """The one pipeline (built once: spaCy's start-up is the slow part)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("kg_paragraphs")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kg_opening_quotes")
    return nlp


def parse(text: str) -> Doc:
    """``text`` tokenised and split into sentences, each token's norm its matching key."""
    doc = pipeline()(text)
    for token in doc:
        token.norm_ = name_key(token.text)
    return doc


def sentences(doc: Doc) -> list[dict[str, int]]:
    """Sentence spans, surrounding white space left out (blank lines are not sentences)."""
    out = []
    for sent in doc.sents:
        words = [t for t in sent if not t.is_space]
        if words:
            out.append({"start": words[0].idx, "end": words[-1].idx + len(words[-1].text)})
    return out
