"""A 0–1 score a fact-checker can rank claims by: is this worth checking?

A transparent logistic scorer over features that separate verifiable statements
(numbers, places, dates, named actors, past events, confirmations and allegations)
from commentary. Its weights are the ``checkworthiness`` rule set; issue #3 measures
it on ClaimBuster and CheckThat and replaces it with a trained model.
"""

from __future__ import annotations

import math

from spacy.tokens import Doc

from claimscope.records import CueClass
from claimscope.rules import CheckworthinessWeights

_NUMERIC = {"CARDINAL", "QUANTITY", "PERCENT", "MONEY", "ORDINAL"}


class CheckworthinessScorer:
    def __init__(self, weights: CheckworthinessWeights) -> None:
        self._weights = weights
        self._opinion = set(weights.opinion_words)

    def features(self, doc: Doc, start: int, end: int, *, cue_class: CueClass | None,
                 has_place: bool, has_date: bool, hedged: bool) -> dict[str, float]:
        tokens = [t for t in doc[start:end] if not t.is_punct and not t.is_space]
        ent_labels = {t.ent_type_ for t in tokens}
        return {
            "has_number": float(bool(ent_labels & _NUMERIC) or any(t.like_num for t in tokens)),
            "has_date": float(has_date),
            "has_place": float(has_place),
            "has_person_or_org": float(bool(ent_labels & {"PERSON", "ORG"})),
            "past_tense_event": float(any(t.tag_ in {"VBD", "VBN"} and t.pos_ == "VERB" for t in tokens)),
            "attributed": float(cue_class is not None),
            "cue_confirm_allege_deny": float(cue_class in {"confirm", "allege", "deny"}),
            "hedged": float(hedged),
            "opinion": float(any(t.lemma_.lower() in self._opinion for t in tokens)),
            "first_person": float(any(t.lower_ in {"i", "we", "our", "my"} for t in tokens)),
            "modal_future": float(any(t.lower_ in {"will", "would", "could", "might"} for t in tokens)),
            "log_tokens": math.log1p(len(tokens)),
        }

    def score(self, features: dict[str, float]) -> float:
        z = self._weights.bias + sum(self._weights.weights.get(k, 0.0) * v for k, v in features.items())
        return round(1.0 / (1.0 + math.exp(-z)), 4)
