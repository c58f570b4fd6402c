"""The optional trained tagger's findings, combined with the rules' drafts of a sentence.

The rules (:mod:`.attribution`) know the project's cue lexicon and how speakers are named,
relayed and linked; the tagger (:mod:`.tagger`) knows PolNeAR's broad cues and span
conventions. Where both find a cue, the rules' attribution stands and takes the
tagger's source, cue and content boundaries (:func:`_refine`); a cue only the tagger finds
becomes a draft of its own, its speaker resolved by the same rules; an opinion cue only
the rules find ("thinks") is doubted and dropped (:meth:`TaggerCombiner.doubted`). This
lives apart from :mod:`.pipeline` because it is a separate concern: the extractor's plain
loop reads the same with or without a tagger, and every judgement about trusting the
tagger is here.
"""

from __future__ import annotations

from collections.abc import Collection

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from claimscope.nlp.attribution import CueFinder
from claimscope.nlp.drafts import Draft, quote_speaker, sentences_around, tokens_at
from claimscope.nlp.speakers import (
    FIRST_PERSON,
    RELATIVE_PRONOUNS,
    SpeakerResolver,
    noun_phrase,
    span_of,
)
from claimscope.nlp.tagger import TaggedAttribution
from claimscope.nlp.transcript import Turn
from claimscope.records import UNNAMED_SOURCE, Span, Speaker

_OPINION_CLASSES = {"argue"}
_TRAILING = {",", ";", "-", "--", "—", "–"}
"""Punctuation that ends a clause, not a content (inside a quote a closing mark follows it)."""
_DEMONSTRATIVES = {"that", "this", "these", "those"}
_MEANINGFUL = {"NOUN", "PROPN", "PRON", "VERB", "ADJ", "NUM"}
_PERSONAL_PRONOUNS = {"i", "me", "he", "him", "she", "her", "you", "who", "whom"}


class TaggerCombiner:
    """Adds the tagger's findings in a sentence to the rules' drafts of it."""

    def __init__(self, cues: CueFinder, claim_anaphors: Collection[str], hedge_words: frozenset[str]) -> None:
        self._cues = cues
        self._claim_anaphors = claim_anaphors
        self._hedge_words = hedge_words

    def combine(self, sentence: SpacySpan, tagged: list[TaggedAttribution], drafts: list[Draft],
                resolver: SpeakerResolver, turn: Turn | None, relayed: bool) -> None:
        """A finding whose cue overlaps a draft's refines that draft; any other becomes a
        draft of its own (appended to ``drafts``), unless the sentence only relayed or
        attributed earlier claims."""
        for found in tagged:
            draft = next((d for d in drafts if d.cue_span and _overlaps(d.cue_span, found.cue)), None)
            if draft is not None:
                _refine(draft, found, sentence.doc)
            elif not relayed:
                drafts.extend(self._tagged_draft(sentence, found, resolver, turn, drafts))

    def doubted(self, draft: Draft) -> bool:
        """A claim of the rules with an opinion cue ("thinks", "believes", "calls") that the
        tagger, run over the same sentence, did not find: such verbs often attribute
        nothing ("people who think …", "what he calls …"), and the tagger has learnt from
        PolNeAR which do. Speech cues ("said", "note") stand on the rules alone."""
        return not draft.tagged and draft.cue_class in _OPINION_CLASSES

    def speaker_of(self, source: SpacySpan, resolver: SpeakerResolver) -> Speaker | None:
        """The speaker of a source span the tagger (or a reviewer) found, its span that one.

        "who" (PolNeAR marks the relative pronoun) speaks for the noun it hangs from. A
        source the rules cannot resolve ("the campaign", "he" with no antecedent) is kept under its
        own words, as a person for a personal pronoun and an organization otherwise: the
        tagger is confident someone speaks there. A document ("the IMF report stated", "a
        video by the committee shows") speaks for whoever made it, when the phrase names
        them, else under its own words."""
        head = source.root
        if head.lemma_.lower() in self._claim_anaphors:
            owner = _owner(head)
            if owner is None:
                return Speaker(source.text, "organization", span_of(source))
            head = owner
        if head.lower_ in RELATIVE_PRONOUNS and head.head.dep_ == "relcl":
            head = head.head.head
        speaker = resolver.resolve(head, source if source.start <= head.i < source.end else None)
        if speaker is None:
            kind = "person" if head.lower_ in _PERSONAL_PRONOUNS else "organization"
            return Speaker(source.text, kind, span_of(source))
        return Speaker(speaker.name, speaker.kind, span_of(source))

    def _is_hedge(self, cue: SpacySpan) -> bool:
        """A hedge word standing for a cue ("reportedly", "allegedly"), not a verb that is a
        hedge as well ("believe", "suggest"): the verb says who holds the content."""
        return cue.text.lower() in self._hedge_words and not any(t.pos_ in {"VERB", "AUX"} for t in cue)

    def _tagged_draft(self, sentence: SpacySpan, found: TaggedAttribution, resolver: SpeakerResolver,
                      turn: Turn | None, around: list[Draft]) -> list[Draft]:
        """A claim from a cue only the tagger found. A punctuation cue (a transcript's
        "NAME:") is left to the rules' transcript turns. A first-person source ("I think",
        inside a quote or a transcript turn) is whoever speaks there: the speaker of the
        claim whose content holds the cue, else the turn's; with neither it is no one
        the ledger could name, and the cue is dropped."""
        doc = sentence.doc
        cue, source = tokens_at(doc, found.cue), _source_tokens(doc, found.source)
        content = _content_tokens(doc, found)
        if cue is None or content is None or (turn is not None and not any(c.isalpha() for c in cue.text)):
            return []
        if self._is_hedge(cue) or not _says_something(doc[content[0]:content[1]]):
            return []  # "X reportedly did Y" is X's act, hedged, for the rules
        pending = False
        if source is None:
            speaker = Speaker(UNNAMED_SOURCE, "anonymous", None)
        elif source.root.lower_ in FIRST_PERSON:
            speaker = _first_person_speaker(source, cue, turn, around, resolver)
            if speaker is None:
                speaker, pending = Speaker(source.text, "person", span_of(source)), True
        else:
            speaker = self.speaker_of(source, resolver)
        if speaker is None:
            return []
        if source is not None and not pending:
            resolver.remember(speaker, source)
        start, end, gap = content
        verb = next((t.i for t in cue if t.pos_ in {"VERB", "AUX"}), cue.root.i)  # its adverbs hedge it
        return [Draft(sentences_around(sentence, start, end), speaker, self._cues.cue_class_of(cue), span_of(cue), start, end, verb,
                      gap=gap, quoted_first_person=pending, tagged=True)]


def give_first_persons_their_speakers(drafts: list[Draft], regions: list[tuple[int, int]],
                                      author: Speaker) -> list[Draft]:
    """A tagged "I think …" that no claim of its sentence encloses: outside quotation marks
    it is the article's own voice (an op-ed's "I believe"); inside a quote it is the words of
    the one attributed in the sentence that opens or closes the quote, and with no such
    speaker no one the ledger could name speaks, so the claim is dropped."""
    kept = []
    for draft in drafts:
        if not draft.quoted_first_person:
            kept.append(draft)
            continue
        at = draft.cue_span.start if draft.cue_span else draft.sentence.start_char
        region = next(((a, b) for a, b in regions if a <= at < b), None)
        if region is None:
            draft.speaker, draft.quoted_first_person = author, False
            kept.append(draft)
            continue
        quoted = quote_speaker(drafts, *region)
        if quoted is not None:
            draft.speaker = Speaker(quoted.speaker.name, quoted.speaker.kind, draft.speaker.span)
            draft.quoted_first_person = False
            kept.append(draft)
    return kept


def _refine(draft: Draft, found: TaggedAttribution, doc: Doc) -> None:
    """A cue both finders saw: the rules' speaker (kind, name), cue class and linking
    stand; the tagger only moves boundaries. Its content replaces the rules' (unless it is
    a stray word), fragments and all; its source span replaces the rules' (PolNeAR's
    sources take in appositions and titles); its cue replaces one it contains ("has
    confirmed")."""
    draft.tagged = True
    content = _content_tokens(doc, found)
    if content is not None and _says_something(doc[content[0]:content[1]]):
        draft.content_start, draft.content_end, draft.gap = content
        draft.sentence = sentences_around(draft.sentence, *content[:2])
    source = _source_tokens(doc, found.source)
    if source is not None and draft.speaker.span is not None:
        draft.speaker = Speaker(draft.speaker.name, draft.speaker.kind, span_of(source))
    cue = tokens_at(doc, found.cue)
    span = draft.cue_span
    if cue is not None and span is not None and cue.start_char <= span.start and span.end <= cue.end_char:
        draft.cue_span = span_of(cue)


def _first_person_speaker(source: SpacySpan, cue: SpacySpan, turn: Turn | None, around: list[Draft],
                          resolver: SpeakerResolver) -> Speaker | None:
    enclosing = [d for d in around if d.speaker.kind != "author" and not d.quoted_first_person
                 and d.content_start <= cue.start and cue.end <= d.content_end]
    if enclosing:
        inner = min(enclosing, key=lambda d: d.content_end - d.content_start)
        return Speaker(inner.speaker.name, inner.speaker.kind, span_of(source))
    if turn is not None:
        person = source.doc.char_span(turn.person_start, turn.person_end)
        name = resolver.person_name(person) if person is not None else turn.person
        return Speaker(name, "person", span_of(source))
    return None  # perhaps a quote's speaker: :func:`give_first_persons_their_speakers`


def _says_something(content: SpacySpan) -> bool:
    """A content with a word that stands for something (PolNeAR marks "it" and "what"),
    not a stray "the", nor a lone "that" or "this", which points at a claim made elsewhere
    ("Having said that", "He said this": the rules give such a cue the previous sentence)."""
    words = [t for t in content if not t.is_punct]
    if len(words) == 1 and words[0].lower_ in _DEMONSTRATIVES:
        return False
    return any(t.pos_ in _MEANINGFUL for t in words)


def _owner(document: Token) -> Token | None:
    """Who made a document the phrase names: "the IMF report", "Russia's statement", "a
    report by Politico", "a video of the ministry"."""
    for child in document.children:
        if child.dep_ in {"compound", "poss", "nmod"} and child.pos_ in {"PROPN", "PRON"}:
            return child
        if child.dep_ == "prep" and child.lower_ in {"by", "from", "of"}:
            made_by = next((t for t in child.children if t.dep_ == "pobj" and t.pos_ == "PROPN"), None)
            if made_by is not None:
                return made_by
    return None


def _source_tokens(doc: Doc, span: Span | None) -> SpacySpan | None:
    """The tagger's source, mended where it stops early: a bare determiner ("the" of "the
    source") is widened to its noun phrase, a trailing comma or relative pronoun ("The
    fighter, who") is dropped."""
    tokens = tokens_at(doc, span)
    if tokens is None:
        return None
    if len(tokens) == 1 and tokens[0].pos_ == "DET" and tokens[0].head.pos_ in {"NOUN", "PROPN"}:
        return noun_phrase(tokens[0].head)
    end = tokens.end
    if end - 1 > tokens.start and doc[end - 1].lower_ in RELATIVE_PRONOUNS:
        end -= 1
        while end - 1 > tokens.start and doc[end - 1].text == ",":
            end -= 1
    return doc[tokens.start : end]


def _content_tokens(doc: Doc, found: TaggedAttribution) -> tuple[int, int, tuple[int, int] | None] | None:
    """The tagged content as a draft holds it: token range, and the gap between two fragments."""
    pieces = [tokens_at(doc, fragment) for fragment in found.content]
    if not pieces or any(piece is None for piece in pieces):
        return None
    first, last = pieces[0], pieces[-1]
    end = max(first.end, last.end)
    while end - 1 > first.start and doc[end - 1].text in _TRAILING:
        end -= 1  # "policies that create more revenue," and the next clause
    if len(pieces) == 1 or first.end >= last.start:
        return first.start, end, None
    return first.start, end, (first.end, last.start)


def _overlaps(a: Span, b: Span | None) -> bool:
    return b is not None and a.start < b.end and b.start < a.end
