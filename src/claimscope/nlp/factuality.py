"""How firmly a claim is put: polarity, certainty, conditionality, and the hedge words.

Hedges, conditionals and negations come from the ``hedges`` rule set, matched as word
sequences on the tokens' forms or lemmas ("expects" matches ``expect``), never on a date
("May 9") or a proper noun. A matched word plays one of two parts:

- an *operator* (an adverb, adjective, modal, particle, or any phrase of several words:
  "reportedly", "may", "likely", "appears to") lowers the clause it stands in;
- a *predicate* (a single verb or noun, or any word taking a clausal complement: "want",
  "plan", "fears", "likely" in "likely to fall") lowers only what it governs, its
  complement ("plans to *attack*", "fears of a *recession*"), never its own clause: that
  Russia plans something is said as certain.

Two views use them. :meth:`FactualityTagger.tag` gives a claim's factuality: the operators
anywhere in its content and the adverbs of its cue ("reportedly said"); the lowest
certainty found wins, and the content's main verb decides the polarity.
:meth:`FactualityTagger.tag_clause` gives one word's: the operators of its own clause
(its auxiliaries, adverbs, marker, determiner), then, climbing the parse, what each
governing word passes down: a predicate's level to its complement, a modal to its
dependents ("could *push* the value"), a negation to an infinitive ("did not agree to
*pay*", "failed to *pay*"). The climb stops where a clause is asserted on its own (a
relative clause, a parenthetical, an adverbial clause with its own marker: "while …",
"if …") and at a verb's participants (subject, agent), which keep their own factuality;
a passive verb still does to its subject what it would do to its object ("the flight
*was cancelled*"). ``claimscope eval factuality`` scores this view.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from claimscope.records import Certainty, Factuality, Span
from claimscope.rules import HedgeLexicon

_ORDER: dict[Certainty, int] = {"certain": 3, "probable": 2, "possible": 1, "unknown": 0}
_OPERATOR_POS = {"ADV", "ADJ", "AUX", "PART", "SCONJ", "ADP", "DET", "PUNCT"}
_CLAUSAL = {"xcomp", "ccomp", "csubj", "csubjpass", "advcl", "acl", "relcl", "parataxis", "pcomp", "conj"}
"""Dependents that head a clause of their own."""
_OWN = {"aux", "auxpass", "neg", "advmod", "mark", "prt", "det", "predet", "amod", "preconj", "quantmod"}
"""Dependents that belong to their head's clause: its verb group, or a noun's modifiers."""
_COMPLEMENTS = {"xcomp", "ccomp", "csubj", "csubjpass", "dobj", "prep", "acl", "oprd", "attr", "pcomp", "pobj"}
"""How what a predicate governs hangs from it ("hopes *to win*", "fears *of* war")."""
_COMPLEMENT_PREPOSITIONS = {"for", "of", "on", "about", "over", "at", "to", "into", "from"}
"""Prepositions by which a verb governs what it hedges ("hope *for* peace"); others mark
adjuncts ("delayed *after* the accident")."""
_STOPS = {"relcl", "parataxis", "appos"}
"""Clauses asserted on their own: nothing above reaches into them."""
_ARGUMENTS = {"nsubj", "nsubjpass", "csubj", "csubjpass", "expl", "poss", "npadvmod", "agent", "dative"}
"""A verb's participants keep their own factuality: "the *operations* could push …"."""
_NEGATION_PASSES = {"xcomp"}
"""A negated governor negates an infinitive complement: "did not agree to pay"."""
_INFINITIVE_PURPOSE = {"advcl", "acl"}
PURPOSE_CERTAINTY: Certainty = "probable"
"""An infinitive that no listed predicate governs ("efforts to ease", "went there to appease")
states an aim, not an event: it has not happened yet. Levels tuned on MEANTIME and UW
train/dev (benchmarks/RESULTS.md)."""
_MODAL_VERBS = {"be"}
"""Verbs that make an infinitive complement a plan: "were *to take* delivery"."""


@dataclass
class _Reading:
    """Factuality being gathered for one clause."""

    certainty: Certainty = "certain"
    negations: int = 0
    conditional: bool = False
    hedges: list[Span] = field(default_factory=list)

    def lower(self, level: Certainty, cue: Span | None = None) -> None:
        if cue is not None:
            self.hedges.append(cue)
        if _ORDER[level] < _ORDER[self.certainty]:
            self.certainty = level

    def result(self) -> Factuality:
        return Factuality(
            polarity="negative" if self.negations % 2 else "positive",
            certainty=self.certainty,
            conditional=self.conditional,
            hedges=tuple(sorted(set(self.hedges), key=lambda s: s.start)),
        )


class FactualityTagger:
    def __init__(self, lexicon: HedgeLexicon) -> None:
        self._hedges = [(h.text.lower().split(), h.certainty) for h in lexicon.hedges]
        self._single = {words[0]: level for words, level in self._hedges if len(words) == 1}
        self._by_first: dict[str, list[tuple[list[str], Certainty]]] = {}
        for words, level in self._hedges:
            self._by_first.setdefault(words[0], []).append((words, level))
        self._conditionals = [c.lower().split() for c in lexicon.conditionals]
        self._negations = set(lexicon.negations)

    # -- a claim -------------------------------------------------------------------
    def tag(self, doc: Doc, start: int, end: int, cue_index: int | None = None) -> Factuality:
        """Factuality of the content tokens ``doc[start:end]`` (and adverbs of the cue)."""
        indices = list(range(start, end))
        if cue_index is not None:
            indices += [c.i for c in doc[cue_index].children if c.dep_ == "advmod" and not start <= c.i < end]
            indices.sort()
        reading = _Reading()
        for first, last, level in self._matches(doc, indices):
            if first.i == last.i and self._is_predicate(first):
                continue  # "plans to attack": the plan is the claim, said as certain
            reading.lower(level, _span(doc, first, last))
        reading.conditional = any(_occurrences(_words(doc, indices), phrase) for phrase in self._conditionals)
        reading.negations = int(self._negated(doc, start, end))
        return reading.result()

    def _negated(self, doc: Doc, start: int, end: int) -> bool:
        roots = [t for t in doc[start:end] if not start <= t.head.i < end or t.head.i == t.i]
        for root in roots:
            heads = [root] + [c for c in root.children if c.dep_ in {"aux", "auxpass"}]
            if any(c.dep_ == "neg" and c.lower_ in self._negations for h in heads for c in h.children):
                return True
            if any(c.dep_ == "neg" for c in root.children):
                return True
        return False

    # -- one word's clause -----------------------------------------------------------
    def tag_clause(self, doc: Doc, index: int) -> Factuality:
        """Factuality of the event at token ``index`` (a verb, or a noun such as "attack"):
        its own clause's hedges and negation, and what the words governing it pass down."""
        reading = _Reading()
        node = doc[index]
        self._own(doc, node, reading)
        while node.dep_ not in _STOPS and node.head.i != node.i:
            head = node.head
            if node.dep_ == "nsubjpass":
                self._undergoes(doc, head, reading)  # "the flight was cancelled"
            if node.dep_ in _ARGUMENTS or node.dep_ == "prep" and self._predicate_level(head) is None:
                break  # "the *operations* could push …", "stepped down from his *post*"
            if node.dep_ == "advcl" and any(c.dep_ == "mark" for c in node.children):
                break  # "*while* some may have resisted, others reportedly …": its own assertion
            self._governed(doc, node, head, reading)
            node = head
        return reading.result()

    def cues(self, doc: Doc, start: int, end: int) -> list[Span]:
        """Every hedge and conditional cue in ``doc[start:end]``: the operators, and the
        predicates that govern something ("believed *to be*"), for scoring cue detection."""
        indices = list(range(start, end))
        found: list[Span] = []
        for first, last, _level in self._matches(doc, indices):
            if first.i == last.i and self._is_predicate(first) and not self._governs(first):
                continue
            if last.i > first.i and last.lower_ == "to":
                last = doc[last.i - 1]  # "appears to": the cue is the verb, "to" marks its infinitive
            found.append(_span(doc, first, last))
        words = _words(doc, indices)
        for phrase in self._conditionals:
            for k in _occurrences(words, phrase):
                found.append(_span(doc, doc[indices[k]], doc[indices[k + len(phrase) - 1]]))
        return sorted(set(found), key=lambda s: (s.start, s.end))

    def _own(self, doc: Doc, node: Token, reading: _Reading) -> None:
        """The node's own clause: its verb group, or a noun's determiner and modifiers."""
        indices = sorted(_own_tokens(node))
        for first, last, level in self._matches(doc, indices):
            if first.i == last.i and first.i != node.i and (self._is_predicate(first) or self._governs(first)):
                if first.dep_ in {"amod", "compound"} and first.head.i == node.i:
                    reading.lower(level, _span(doc, first, first))  # "the alleged attack"
                continue
            if first.i == node.i and first.i == last.i:
                continue  # a word does not hedge itself: "the plan", "may" as a noun
            reading.lower(level, _span(doc, first, last))
        words = _words(doc, indices)
        if any(_occurrences(words, phrase) for phrase in self._conditionals):
            reading.conditional = True
        reading.negations += sum(1 for i in indices if self._negates(doc[i], node))

    def _governed(self, doc: Doc, child: Token, head: Token, reading: _Reading) -> None:
        """What ``head`` passes down to its dependent ``child`` (and so to the event below)."""
        dep = child.dep_
        if dep == "conj":
            if not any(c.dep_ in {"aux", "auxpass"} for c in child.children):
                self._operators_of(doc, head, reading)  # "may seek control and buy": shared modal
            return
        level = self._predicate_level(head)
        if dep in {"prep", "pcomp"} and head.pos_ != "NOUN" and child.lower_ not in _COMPLEMENT_PREPOSITIONS:
            level = None  # "delayed *after* the accident" is no complement of "delayed"
        if dep == "acl" and not _infinitive(child) and not any(c.dep_ == "mark" for c in child.children):
            level = None  # "the demand *enjoyed* by …" describes the noun, it is no complement
        if dep == "xcomp" and _infinitive(child):
            marker = [c.i for c in child.children if c.tag_ == "TO"]
            for first, last, phrase_level in self._matches(doc, [head.i, *marker]):
                if last.i != first.i:  # "is *said to* be", "*expected to* fall"
                    reading.lower(phrase_level, _span(doc, first, last))
        if level is not None and dep in _COMPLEMENTS:
            reading.lower(level, _span(doc, head, head))
        elif _infinitive(child) and (dep in _INFINITIVE_PURPOSE and head.pos_ in {"VERB", "NOUN", "AUX", "ADJ"}
                                     or dep == "xcomp" and head.lemma_ in _MODAL_VERBS):
            reading.lower(PURPOSE_CERTAINTY)
        if dep in {"xcomp", "dobj"} and self._negating_verb(head):
            reading.negations += 1  # "failed to pay", "cancelled the flight"
        if head.lower_ in self._negations and dep in {"pobj", "pcomp"}:
            reading.negations += 1  # "without warning"
        if dep in _NEGATION_PASSES and any(self._negates(doc[i], head) for i in _own_tokens(head)):
            reading.negations += 1
        self._operators_of(doc, head, reading)

    def _operators_of(self, doc: Doc, head: Token, reading: _Reading) -> None:
        """The operators of ``head``'s clause, passed down to what it governs."""
        indices = sorted(_own_tokens(head) - {head.i})
        for first, last, level in self._matches(doc, indices):
            if first.i == last.i and (self._is_predicate(first) or self._governs(first)):
                continue
            reading.lower(level, _span(doc, first, last))
        if any(_occurrences(_words(doc, indices), phrase) for phrase in self._conditionals):
            reading.conditional = True

    def _undergoes(self, doc: Doc, verb: Token, reading: _Reading) -> None:
        """A passive verb does to its subject what the active does to its object, unless
        a clause is its complement ("the deal *was believed to be* worth …")."""
        if any(c.dep_ in {"xcomp", "ccomp"} for c in verb.children):
            return
        level = self._predicate_level(verb)
        if level is not None:
            reading.lower(level, _span(doc, verb, verb))
        if self._negating_verb(verb):
            reading.negations += 1

    def _negating_verb(self, token: Token) -> bool:
        return token.pos_ == "VERB" and token.lemma_.lower() in self._negations

    def _predicate_level(self, token: Token) -> Certainty | None:
        if token.pos_ not in {"VERB", "NOUN", "ADJ", "AUX"}:
            return None
        for word in (token.lower_, token.lemma_.lower()):
            if word in self._single:
                return self._single[word]  # type: ignore[return-value]
        return None

    def _negates(self, token: Token, node: Token) -> bool:
        """A "not"/"never" on the node or its auxiliaries; on the node itself, "no" before a
        noun, "nearly" before a verb ("nearly broke": it did not), "the cancelled deal"."""
        if token.dep_ == "neg":
            return token.lower_ in self._negations or token.head.i == node.i
        if token.head.i != node.i or token.lower_ not in self._negations and token.lemma_.lower() not in self._negations:
            return False
        return (token.dep_ == "det" or token.dep_ == "advmod" and node.pos_ == "VERB"
                or token.dep_ == "amod" and self._negating_verb(token))

    # -- matching ---------------------------------------------------------------------
    def _matches(self, doc: Doc, indices: list[int]) -> Iterator[tuple[Token, Token, Certainty]]:
        """(first, last, level) of every hedge among the tokens at ``indices``, in order."""
        tokens = [doc[i] for i in indices]
        forms = [t.lower_ for t in tokens]
        lemmas = [t.lemma_.lower() for t in tokens]
        for k, first in enumerate(tokens):
            candidates = self._by_first.get(forms[k], [])
            if lemmas[k] != forms[k]:
                candidates = candidates + self._by_first.get(lemmas[k], [])
            for phrase, level in candidates:
                n = len(phrase)
                if k + n > len(tokens) or not all(w in (forms[k + j], lemmas[k + j]) for j, w in enumerate(phrase)):
                    continue
                if first.ent_type_ == "DATE" or (n == 1 and first.pos_ == "PROPN"):
                    continue
                if first.is_sent_start and first.tag_ == "MD":
                    continue  # "May this score always be in your favor": a wish, not a hedge
                if n > 1 and phrase[0] != forms[k] and first.pos_ != "VERB":
                    continue  # a phrase's lemma reading is for verbs only ("appears to")
                yield first, tokens[k + n - 1], level

    @staticmethod
    def _is_predicate(token: Token) -> bool:
        return token.pos_ not in _OPERATOR_POS and token.tag_ != "MD"

    @staticmethod
    def _governs(token: Token) -> bool:
        """Takes a complement: "likely *to fall*", "believed *to be*", "fears *of* war",
        "regarded *as* the best"."""
        if any(c.dep_ in {"xcomp", "ccomp", "acl", "oprd"} for c in token.children):
            return True
        preposition = {"of", "that", "for"} if token.pos_ == "NOUN" else {"as", "of"}  # "regarded *as*"
        return any(c.dep_ == "prep" and c.lower_ in preposition for c in token.children)


def _own_tokens(node: Token) -> set[int]:
    """The node and its clause-internal dependents (recursively), not its arguments."""
    own = {node.i}
    stack = [c for c in node.children if c.dep_ in _OWN]
    while stack:
        token = stack.pop()
        own.add(token.i)
        stack.extend(c for c in token.children if c.dep_ not in _CLAUSAL)
    return own


def _infinitive(token: Token) -> bool:
    return token.tag_ == "VB" and any(c.tag_ == "TO" and c.dep_ == "aux" for c in token.children)


def _words(doc: Doc, indices: list[int]) -> list[str]:
    return [doc[i].lower_ for i in indices]


def _span(doc: Doc, first: Token, last: Token) -> Span:
    return Span(first.idx, last.idx + len(last.text), doc[first.i : last.i + 1].text)


def _occurrences(words: list[str], phrase: list[str]) -> list[int]:
    n = len(phrase)
    return [k for k in range(len(words) - n + 1) if words[k : k + n] == phrase]
