"""Finding attributions in a parsed sentence: a cue, who it is attributed to, and what.

Four shapes cover most news prose, each read off the dependency parse or, where the
small parser is unreliable, off the token sequence:

- a reporting verb with a subject, a passive agent, or (for a participle, "stating,"
  "describing it as") the subject of the cue it hangs from;
- "according to X" (and the other ``phrases`` of the cue lexicon);
- a parenthetical cue: "Control over the town, the ministry argues, allows …";
- a reporting noun with its author: handled upstream as a claim anaphor, never here.

The result is a list of :class:`Attribution` with token-level heads; turning heads
into canonical speakers is the job of :mod:`claimscope.nlp.speakers`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from claimscope.records import CueClass, QuoteKind
from claimscope.rules import CueLexicon

OPEN_QUOTES = "\"“‘'«"
CLOSE_QUOTES = "\"”’'»"
_CONTENT_DEPS = ("ccomp",)
_SUBJECTS = {"nsubj", "nsubjpass", "csubj"}


@dataclass
class Attribution:
    """One cue in a sentence with its speaker head and content extent (doc token indices)."""

    cue_start: int
    cue_end: int  # exclusive
    cue_class: CueClass
    content_start: int
    content_end: int  # exclusive
    speaker_head: Token | None = None
    speaker_phrase: tuple[int, int] | None = None
    """Token range of the speaker when the parse cannot be trusted to give it."""
    inherit_from: int | None = None
    """Index of the cue whose speaker this one shares (a participle: "…, stating, …")."""
    relay_heads: list[Token] = field(default_factory=list)
    gap: tuple[int, int] | None = None
    """Tokens inside the content extent that are not content: the interrupting cue in
    "Control over the town, the ministry argues, allows …" (a discontinuous content)."""
    takes_previous: bool = False
    """"This was stated by X", "He said this": X is the speaker of the previous sentence."""
    anaphoric: bool = False
    """The content is a claim anaphor ("This assertion, reported by Ria Novosti"): this is
    a relay of the previous sentence's claims, not a claim of its own."""

    def contains(self, index: int) -> bool:
        return self.content_start <= index < self.content_end


class CueFinder:
    def __init__(self, lexicon: CueLexicon, claim_anaphors: list[str]) -> None:
        self._verb_class: dict[str, CueClass] = {}
        for cue_class, lemmas in lexicon.verbs.items():
            for lemma in lemmas:
                self._verb_class.setdefault(lemma, cue_class)  # type: ignore[arg-type]
        self._phrases = [
            (phrase.split(), cue_class)
            for cue_class, phrases in lexicon.phrases.items()
            for phrase in phrases
        ]
        self._anaphors = set(claim_anaphors)
        self._nominal = set(lexicon.nominal_content)

    def cue_class_of(self, cue: SpacySpan) -> CueClass:
        """The lexicon's class of a cue found by other means (the trained tagger's "has
        warned", "according to"); "other" for a cue the lexicon does not know."""
        for token in cue:
            if token.lemma_.lower() in self._verb_class:
                return self._verb_class[token.lemma_.lower()]
        words = [t.lower_ for t in cue]
        for phrase, cue_class in self._phrases:
            if words[: len(phrase)] == phrase:
                return cue_class  # type: ignore[return-value]
        return "other"

    def find(self, sentence: SpacySpan) -> list[Attribution]:
        found: list[Attribution] = []
        for token in sentence:
            attribution = self._verb_cue(token, sentence)
            if attribution:
                found.append(attribution)
        found.extend(self._phrase_cues(sentence, found))
        found.extend(self._parenthetical_cues(sentence, found))
        for attribution in found:
            _widen_to_quotes(attribution, sentence)
        for attribution in found:
            _cut_at_participle(attribution, found, sentence.doc)
        return found

    # -- reporting verbs ------------------------------------------------------
    def _verb_cue(self, verb: Token, sentence: SpacySpan) -> Attribution | None:
        cue_class = self._verb_class.get(verb.lemma_.lower())
        if cue_class is None or verb.pos_ not in {"VERB", "AUX"}:
            return None
        if verb.lemma_.lower() == "point" and not any(c.lower_ == "out" for c in verb.children):
            return None
        children = list(verb.children)
        quote_first = _quote_after(verb, sentence) if _colon_follows(verb, sentence) else None
        subject = next((c for c in children if c.dep_ == "nsubj"), None)
        agent = next((c for c in children if c.dep_ == "agent"), None)
        agent_head = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
        passive_subject = next((c for c in children if c.dep_ == "nsubjpass"), None)
        content = quote_first or _clause_content(verb)  # 'X said: "…"' takes the quote
        if agent_head is not None and verb.dep_ == "acl" and verb.head.lemma_.lower() in self._anaphors:
            # "This assertion, reported by Ria Novosti, …": a relay of an earlier claim.
            return Attribution(verb.i, verb.i + 1, cue_class, verb.head.i, verb.head.i + 1,
                               speaker_head=agent_head, anaphoric=True)
        if agent_head is not None and passive_subject is not None:
            if passive_subject.lemma_.lower() in self._anaphors:
                return Attribution(verb.i, verb.i + 1, cue_class, passive_subject.i,
                                   passive_subject.i + 1, speaker_head=agent_head, anaphoric=True)
            if content is None and passive_subject.lower_ in {"this", "that", "it"}:
                return Attribution(verb.i, verb.i + 1, cue_class, passive_subject.i, passive_subject.i + 1,
                                   speaker_head=agent_head, takes_previous=True)  # "This was stated by …"
            start, end = content or _subtree(passive_subject)
            if end - start < 1:
                return None
            return Attribution(verb.i, verb.i + 1, cue_class, start, end, speaker_head=agent_head,
                               relay_heads=_relays(verb))
        obj = next((c for c in children if c.dep_ == "dobj"), None)
        if content is None and obj is not None and obj.lower_ in {"this", "that", "it"} and subject is not None:
            return Attribution(verb.i, verb.i + 1, cue_class, obj.i, obj.i + 1, speaker_head=subject,
                               takes_previous=True)  # "He said this during a meeting with …"
        if content is None and verb.lemma_.lower() in self._nominal:
            content = _subtree(obj) if obj is not None and obj.pos_ != "PRON" else None
            if content is not None and content[1] - content[0] < 3:
                content = None  # "pointed out many times": not a statement
        if content is None:
            content = _quote_after(verb, sentence)
        if content is None:
            return None
        gap = None
        if content[1] <= verb.i:
            content = _with_quote_marks(sentence, content)
        resumed = _quote_resumed(verb, subject, sentence) if content[1] <= verb.i else None
        if resumed is not None:  # “X,” he said, “Y.”: one content in two fragments
            gap = (content[1], resumed[0])
            content = (content[0], resumed[1])
        if subject is not None:
            if subject.lower_ in {"who", "that"} and verb.dep_ == "relcl":
                subject = verb.head
            return Attribution(verb.i, verb.i + 1, cue_class, *content, speaker_head=subject, gap=gap,
                               relay_heads=_relays(verb))
        if verb.tag_ in {"VBG", "VBD", "VBZ", "VBP", "VB"} and verb.dep_ in {"advcl", "conj", "xcomp"}:
            # A participle or coordinated verb shares the speaker of the cue above it.
            for ancestor in verb.ancestors:
                if ancestor.lemma_.lower() in self._verb_class and ancestor.i != verb.i:
                    return Attribution(verb.i, verb.i + 1, cue_class, *content,
                                       inherit_from=ancestor.i, relay_heads=_relays(verb))
        return None

    # -- "according to X" -----------------------------------------------------
    def _phrase_cues(self, sentence: SpacySpan, found: list[Attribution]) -> list[Attribution]:
        results = []
        words = [t.lower_ for t in sentence]
        for i in range(len(words)):
            for phrase, cue_class in self._phrases:
                if words[i : i + len(phrase)] != phrase:
                    continue
                cue_start = sentence.start + i
                cue_end = cue_start + len(phrase)
                if cue_end >= sentence.end:
                    continue
                speaker = _phrase_object(sentence.doc[cue_end - 1], sentence.doc[cue_end])
                phrase_end = speaker.right_edge.i + 1
                start, end = _rest_of_sentence(sentence, cue_start, phrase_end)
                gap = _phrase_gap(sentence, cue_start, phrase_end) if start < cue_start and phrase_end < end else None
                if end > start:
                    results.append(Attribution(cue_start, cue_end, cue_class, start, end,  # type: ignore[arg-type]
                                               speaker_head=speaker, gap=gap))
        return results

    # -- ", the ministry argues," ------------------------------------------------
    def _parenthetical_cues(self, sentence: SpacySpan, found: list[Attribution]) -> list[Attribution]:
        """A cue between commas (or before the full stop) with a short subject before it.

        The small parser often mistags these ("the channel claims" as a noun phrase), so
        the shape is read off the tokens: ``, [det] [adj|noun|propn]+ CUE ,``."""
        taken = {a.cue_start for a in found}
        results = []
        doc = sentence.doc
        for comma in (t for t in sentence if t.text == ","):
            cue = self._parenthetical_cue_after(comma, sentence)
            if cue is None or cue.i in taken:
                continue
            after = doc[cue.i + 1]
            gap = None
            if after.text == ",":
                start, end = sentence.start, sentence.end
                gap = (comma.i, after.i + 1)
            else:
                start, end = sentence.start, comma.i
            start, end = _trim(doc, start, end)
            results.append(Attribution(cue.i, cue.i + 1, self._verb_class[cue.lemma_.lower()],
                                       start, end, speaker_head=doc[cue.i - 1],
                                       speaker_phrase=(comma.i + 1, cue.i), gap=gap))
        return results


    def _parenthetical_cue_after(self, comma: Token, sentence: SpacySpan) -> Token | None:
        """The cue of ``, the channel claims,`` starting right after that comma, if any."""
        doc = sentence.doc
        for j in range(comma.i + 1, min(comma.i + 8, sentence.end - 1)):
            token = doc[j]
            if token.pos_ not in {"DET", "ADJ", "NOUN", "PROPN", "PRON", "VERB"}:
                return None
            if (j > comma.i + 1 and token.lemma_.lower() in self._verb_class
                    and doc[j + 1].text in {",", "."} and doc[j - 1].pos_ in {"NOUN", "PROPN", "PRON"}):
                return token
            if token.pos_ == "VERB":
                return None
        return None


def _widen_to_quotes(attribution: Attribution, sentence: SpacySpan) -> None:
    """Take in the quotation marks around a content that is a quote of its own."""
    doc = sentence.doc
    start, end = attribution.content_start, attribution.content_end
    if start > sentence.start and end < sentence.end and doc[start - 1].text in OPEN_QUOTES:
        if doc[end].text in CLOSE_QUOTES:
            attribution.content_start, attribution.content_end = start - 1, end + 1
        elif end + 1 < sentence.end and doc[end].is_punct and doc[end + 1].text in CLOSE_QUOTES:
            attribution.content_start, attribution.content_end = start - 1, end + 2


def _cut_at_participle(attribution: Attribution, found: list[Attribution], doc) -> None:
    """"…emphasized that X, stating, ‘Y’": X ends where the participle's own claim begins."""
    for other in found:
        if other.inherit_from is not None and other.inherit_from == attribution.cue_start \
                and attribution.contains(other.cue_start):
            attribution.content_start, attribution.content_end = _trim(
                doc, attribution.content_start, other.cue_start)


def _clause_content(verb: Token) -> tuple[int, int] | None:
    for child in verb.children:  # before the cue too: “…,” the President said.
        if child.dep_ in _CONTENT_DEPS:
            start, end = _subtree(child)
            # Include the complementizer "that" but not the cue's own comma or quote.
            return _trim(verb.doc, start, end)
    return None


def _with_quote_marks(sentence: SpacySpan, content: tuple[int, int]) -> tuple[int, int]:
    """A quote before its cue with its marks and closing punctuation: “X,” he said."""
    doc = sentence.doc
    start, end = content
    if start > sentence.start and doc[start - 1].text in OPEN_QUOTES:
        start -= 1
    if end < sentence.end and doc[end].text in CLOSE_QUOTES:
        end += 1
    elif end + 1 < sentence.end and doc[end].is_punct and doc[end + 1].text in CLOSE_QUOTES:
        end += 2
    return start, end


def _quote_resumed(verb: Token, subject: Token | None, sentence: SpacySpan) -> tuple[int, int] | None:
    """The second half of a quote the cue interrupts: “X,” he said, [“Y.”]."""
    doc = sentence.doc
    i = max(verb.i, subject.right_edge.i if subject is not None and subject.i > verb.i else verb.i) + 1
    if i >= sentence.end or doc[i].text != ",":
        return None
    i += 1
    if i >= sentence.end or doc[i].text not in OPEN_QUOTES:
        return None
    close = next((k for k in range(i + 1, sentence.end) if doc[k].text in CLOSE_QUOTES), None)
    return (i, close + 1) if close is not None else _trim(doc, i, sentence.end)


def _colon_follows(verb: Token, sentence: SpacySpan) -> bool:
    return verb.i + 1 < sentence.end and verb.doc[verb.i + 1].text == ":"


def _quote_after(verb: Token, sentence: SpacySpan) -> tuple[int, int] | None:
    """A direct quote right after the cue: "…, stating, ‘Our operators …’"."""
    doc = sentence.doc
    i = verb.i + 1
    while i < sentence.end and doc[i].text in {",", ":"}:
        i += 1
    if i >= sentence.end or doc[i].text not in OPEN_QUOTES:
        return None
    close = next((k for k in range(sentence.end - 1, i, -1) if doc[k].text in CLOSE_QUOTES), None)
    if close is None:  # the quote runs on into the next sentences
        return _trim(doc, i, sentence.end)
    return (i, close + 1)


def _subtree(token: Token) -> tuple[int, int]:
    return _trim(token.doc, token.left_edge.i, token.right_edge.i + 1)


def _trim(doc, start: int, end: int) -> tuple[int, int]:
    """Drop leading/trailing punctuation (but keep quote marks that open and close)."""
    while start < end and (doc[start].is_punct and doc[start].text not in OPEN_QUOTES or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct and doc[end - 1].text not in CLOSE_QUOTES or doc[end - 1].is_space):
        end -= 1
    return start, end


def _rest_of_sentence(sentence: SpacySpan, cue_start: int, phrase_end: int) -> tuple[int, int]:
    """What an "according to X" phrase attributes: the sentence outside the phrase."""
    if cue_start - sentence.start <= 1:
        return _trim(sentence.doc, phrase_end, sentence.end)
    if phrase_end >= sentence.end - 1:
        return _trim(sentence.doc, sentence.start, cue_start)
    return _trim(sentence.doc, sentence.start, sentence.end)


def _phrase_object(last: Token, following: Token) -> Token:
    """The head of the noun phrase a cue phrase governs ("according to [the ministry]")."""
    for child in last.children:
        if child.dep_ == "pobj":
            return child
    # The parser sometimes leaves the phrase detached: take the end of the next name.
    token = following
    doc = following.doc
    while token.i + 1 < len(doc) and doc[token.i + 1].pos_ in {"PROPN", "NOUN"}:
        token = doc[token.i + 1]
    return token


def _phrase_gap(sentence: SpacySpan, start: int, end: int) -> tuple[int, int]:
    """The "according to X" phrase with the commas around it, as a gap in the content."""
    doc = sentence.doc
    if start > sentence.start and doc[start - 1].text == ",":
        start -= 1
    if end < sentence.end and doc[end].text == ",":
        end += 1
    return start, end


def _relays(verb: Token) -> list[Token]:
    """Outlets a cue names as its channel: "told [RIA Novosti]", "in an interview with [TASS]"."""
    relays = []
    for child in verb.children:
        if child.dep_ in {"dative", "dobj"} and child.pos_ == "PROPN":
            relays.append(child)
        elif child.dep_ == "prep" and child.lower_ in {"to", "with", "on"}:
            for grandchild in child.children:
                if grandchild.dep_ == "pobj" and grandchild.pos_ == "PROPN":
                    relays.append(grandchild)
                elif grandchild.dep_ == "pobj":  # "in an interview with X"
                    relays.extend(g for g in grandchild.subtree if g.dep_ == "pobj" and g.pos_ == "PROPN")
        elif child.dep_ == "prep" and child.lower_ == "in":
            relays.extend(g for g in child.subtree if g.dep_ == "pobj" and g.pos_ == "PROPN")
    return relays


def quote_marks_kind(text: str) -> QuoteKind:
    """Quote kind read off the quotation marks a content carries itself (single ones too)."""
    stripped = text.strip()
    if stripped[:1] in OPEN_QUOTES and stripped[-1:] in CLOSE_QUOTES and _balanced_single(stripped):
        return "direct"
    if any(q in stripped for q in "\"“”«»") or any(q in stripped for q in "‘"):
        return "mixed"
    return "indirect"


def _balanced_single(text: str) -> bool:
    """True when the whole text is one quotation (not two quoted words around prose)."""
    inner = text[1:-1]
    return not any(q in inner for q in "\"“”«»‘")
